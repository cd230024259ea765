/** A value that survives JSON.stringify / JSON.parse unchanged. */
import type { JsonValue } from '../json.ts';

export type { JsonValue };

/**
 * What a job or an outbox entry carries: ids and small parameters only. Never personal data — the
 * jobs table is in the control plane, and an outbox payload may be logged or inspected.
 */
export type JobPayload = { [key: string]: JsonValue };

/** Job and outbox types: lower-case words joined by dots (`workspace.space.moved`). */
export const TYPE_PATTERN = /^[a-z0-9]+(?:[._:-][a-z0-9]+)*$/;
export const MAX_TYPE_LENGTH = 200;
/** Ids, not documents: a payload bigger than this is refused. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;
