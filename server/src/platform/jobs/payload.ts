import { InvalidJobTypeError, JobPayloadError } from './errors.ts';
import { type JobPayload, MAX_PAYLOAD_BYTES, MAX_TYPE_LENGTH, TYPE_PATTERN } from './types.ts';

export function assertType(type: string): void {
  if (type.length > MAX_TYPE_LENGTH || !TYPE_PATTERN.test(type)) throw new InvalidJobTypeError(type);
}

/**
 * The payload as stored (JSON text), refusing what would not come back identical or is too big:
 * a payload is ids and small parameters, so a large one is a bug (or personal data sneaking in).
 */
export function serialisePayload(payload: JobPayload): string {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new JobPayloadError('A payload must be a JSON object');
  }
  let text: string;
  try {
    text = JSON.stringify(payload);
  } catch {
    throw new JobPayloadError('A payload must be JSON-serialisable');
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new JobPayloadError(`A payload may not exceed ${MAX_PAYLOAD_BYTES} bytes of JSON (ids only)`);
  }
  return text;
}

const MAX_ERROR_LENGTH = 1000;

/** What is kept of an error in last_error: its class and message, cut short. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `Non-error thrown: ${String(error)}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/** For logs: the error's class name only, never its message (which might quote data). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
