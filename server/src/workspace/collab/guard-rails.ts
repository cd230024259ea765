/**
 * The collaboration server's limits, in one place (docs/collaboration.md, "Guard rails").
 *
 * Each protects the shared process from one client: a huge update or document would pin memory
 * and CPU for every editor of the document; too many sockets on one document make each keystroke's
 * fan-out expensive; a flood of messages starves the others. A client that exceeds a limit has
 * its own connection closed with a reason; nobody else is affected.
 */

/** Largest Yjs update accepted in one message (a big paste fits; images are uploaded, not inlined). */
export const MAX_UPDATE_BYTES = 2 * 1024 * 1024;

/**
 * Largest WebSocket message: an update plus the protocol's framing (document name, types,
 * lengths). `ws` refuses larger frames before they are buffered whole.
 */
export const MAX_COLLAB_MESSAGE_BYTES = MAX_UPDATE_BYTES + 16 * 1024;

/**
 * Largest document (its encoded state, tracked as the loaded state plus every accepted update):
 * beyond it further growth is refused. Deleting text still works (deletions are small).
 */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Sockets on one document on one node (the benchmark runs 200 editors on one document). */
export const MAX_CONNECTIONS_PER_DOCUMENT = 250;

/**
 * Per-connection token bucket over incoming messages (updates, awareness, sync): a person typing
 * fast sends ~20–40 a second with cursor moves; a burst of 400 absorbs a reconnect's replay.
 */
export const MESSAGE_BUCKET = { capacity: 400, refillPerSecond: 100 } as const;

/** How long a collaboration ticket is valid: just enough to open the socket. */
export const TICKET_TTL_MS = 60_000;

/**
 * Group commit of the update log: appends are written in one INSERT per cell with those of the
 * same event-loop turn (0) or of this many milliseconds, and with all that arrived while the
 * previous INSERT was committing. 0 keeps an idle document's edits as fast as possible; under
 * load batches form by themselves at the pace of the database's commits.
 */
export const APPEND_BATCH_WINDOW_MS = 0;

/** Compaction is scheduled once a document has been quiet this long... */
export const COMPACT_AFTER_QUIET_MS = 5_000;
/** ...or as soon as this many updates have been logged since the last compaction on this node. */
export const COMPACT_AFTER_UPDATES = 500;

/** Live connections are re-checked against the database this often even without an event. */
export const RECHECK_INTERVAL_MS = 60_000;

/** Close codes sent to clients (4000–4999 are application codes in RFC 6455). */
export const CLOSE = {
  accessRevoked: { code: 4403, reason: 'access-revoked' },
  accessChanged: { code: 4003, reason: 'access-changed' },
  sessionEnded: { code: 4401, reason: 'session-ended' },
  epochChanged: { code: 4409, reason: 'epoch-changed' },
  tooLarge: { code: 4413, reason: 'too-large' },
  /** A change nesting content deeper than MAX_CONTENT_DEPTH (common/src/content-depth.ts). */
  tooDeep: { code: 4422, reason: 'too-deep' },
  /**
   * A change with new elements hanging from content the server never received (update-depth.ts):
   * not taken, and the client reconnects, its resync sending what was missing with it.
   */
  tooEarly: { code: 4425, reason: 'too-early' },
  rateLimited: { code: 4429, reason: 'rate-limited' },
  tooManyConnections: { code: 4430, reason: 'too-many-connections' },
  malformed: { code: 4400, reason: 'malformed-message' },
  unavailable: { code: 4503, reason: 'storage-unavailable' },
} as const;

/** A simple token bucket (one per connection). */
export class TokenBucket {
  #tokens: number;
  #last: number;
  readonly #capacity: number;
  readonly #refillPerMs: number;

  constructor(capacity: number, refillPerSecond: number, now = Date.now()) {
    this.#capacity = capacity;
    this.#tokens = capacity;
    this.#refillPerMs = refillPerSecond / 1000;
    this.#last = now;
  }

  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#last) * this.#refillPerMs);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
