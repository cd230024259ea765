import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { CellDb } from '../db/types.ts';
import { uuidv7 } from '../ids.ts';
import { DuplicateHandlerError, UnknownOutboxTypeError } from './errors.ts';
import { findOutboxEntry, insertOutboxEntry, markOutboxDone, type OutboxRow } from './outbox.repo.ts';
import { assertType, serialisePayload } from './payload.ts';
import type { JobPayload } from './types.ts';

/**
 * The outbox makes operations that write a cell and then the control plane safe against a crash
 * in between (they cannot share a transaction):
 *
 *   const entry = await cell.transaction().execute(async (trx) => {
 *     … write the cell with trx …
 *     return recordInOutbox(trx, 'identity.member.added', { principalId, orgId });
 *   });
 *   await outbox.apply(cell, 'FR', entry); // the control-plane write, then completeOutbox
 *
 * If the process stops before `apply` finishes, the reconciliation job (outbox-reconciliation.ts)
 * finds the entry and runs the same registered handler. Handlers are therefore idempotent: they
 * may run again after a crash between their write and the entry being marked done.
 */

export interface OutboxEntry {
  id: string;
  type: string;
  payload: JobPayload;
  createdAt: Date;
  doneAt: Date | null;
  attempts: number;
  lastError: string | null;
}

export interface OutboxContext {
  readonly id: string;
  readonly type: string;
  readonly payload: JobPayload;
  /** The cell whose outbox holds the entry. */
  readonly jurisdiction: Jurisdiction;
}

/** Applies an entry to the control plane. Idempotent; throwing leaves the entry pending. */
export type OutboxHandler = (entry: OutboxContext) => Promise<void>;

export function toOutboxEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    type: row.type,
    payload: row.payload as JobPayload,
    createdAt: row.created_at,
    doneAt: row.done_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

/**
 * Records the rest of an operation in the cell's outbox. Call it with the cell's transaction,
 * so that the entry exists exactly when the cell write commits. The payload holds ids only.
 */
export async function recordInOutbox(cellTrx: CellDb, type: string, payload: JobPayload): Promise<OutboxEntry> {
  assertType(type);
  const row = await insertOutboxEntry(cellTrx, { id: uuidv7(), type, payloadJson: serialisePayload(payload) });
  return toOutboxEntry(row);
}

/** Marks an entry applied. False when it already was: someone else (the reconciliation) finished it. */
export function completeOutbox(cell: CellDb, id: string): Promise<boolean> {
  return markOutboxDone(cell, id);
}

export async function getOutboxEntry(cell: CellDb, id: string): Promise<OutboxEntry | null> {
  const row = await findOutboxEntry(cell, id);
  return row ? toOutboxEntry(row) : null;
}

/** The handlers of outbox entries, by type: one registry per process, shared by use cases and the reconciliation. */
export class OutboxRegistry {
  readonly #handlers = new Map<string, OutboxHandler>();

  register(type: string, handler: OutboxHandler): void {
    assertType(type);
    if (this.#handlers.has(type)) throw new DuplicateHandlerError('outbox', type);
    this.#handlers.set(type, handler);
  }

  has(type: string): boolean {
    return this.#handlers.has(type);
  }

  /** Runs the entry's handler (not marking it done). */
  async run(jurisdiction: Jurisdiction, entry: Pick<OutboxEntry, 'id' | 'type' | 'payload'>): Promise<void> {
    const handler = this.#handlers.get(entry.type);
    if (!handler) throw new UnknownOutboxTypeError(entry.type);
    await handler({ id: entry.id, type: entry.type, payload: entry.payload, jurisdiction });
  }

  /**
   * The normal path, right after the cell transaction committed: runs the handler, then marks the
   * entry done. If it throws, the entry stays pending and the reconciliation repairs it later.
   */
  async apply(cell: CellDb, jurisdiction: Jurisdiction, entry: Pick<OutboxEntry, 'id' | 'type' | 'payload'>): Promise<void> {
    await this.run(jurisdiction, entry);
    await completeOutbox(cell, entry.id);
  }
}
