import { EventPayloadError, InvalidTopicError } from './errors.ts';
import type { EventHandler, EventsLogger, JsonValue } from './event-bus.ts';

/** Topics: lower-case words joined by dots (`workspace.document.updated`). */
const TOPIC = /^[a-z0-9]+(?:[._:-][a-z0-9]+)*$/;
const MAX_TOPIC_LENGTH = 200;

/** Events tell, they do not carry documents: 64 KiB of JSON at most by default. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

export function assertTopic(topic: string): void {
  if (typeof topic !== 'string' || topic.length > MAX_TOPIC_LENGTH || !TOPIC.test(topic)) {
    throw new InvalidTopicError(String(topic));
  }
}

/** JSON text of a value, refusing what JSON cannot carry faithfully or what is too big. */
export function toJson(value: unknown, maxBytes: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    throw new EventPayloadError('An event payload must be JSON-serialisable');
  }
  if (text === undefined) throw new EventPayloadError('An event payload must be JSON-serialisable');
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new EventPayloadError(`An event payload may not exceed ${maxBytes} bytes of JSON`);
  }
  return text;
}

/**
 * Runs every handler with its own copy of the payload, each isolated from the others: a throw or
 * a rejection is logged (by topic and error class, not content) and the rest still run. Resolves
 * when all have finished.
 */
export async function deliver(
  handlers: Iterable<EventHandler>,
  topic: string,
  json: string,
  logger: EventsLogger,
): Promise<void> {
  const running: Promise<void>[] = [];
  const report = (error: unknown) => {
    logger.error({ topic, error: error instanceof Error ? error.name : typeof error }, 'Event handler failed');
  };
  for (const handler of [...handlers]) {
    try {
      const result = handler(JSON.parse(json) as JsonValue, topic);
      if (result instanceof Promise) running.push(result.catch(report));
    } catch (error) {
      report(error);
    }
  }
  await Promise.all(running);
}
