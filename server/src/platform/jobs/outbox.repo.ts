import { type Selectable, sql } from 'kysely';
import type { CellDb } from '../db/types.ts';
import type { OutboxTable } from './outbox.tables.ts';

/** All SQL of a cell's outbox. Every function takes the handle to use (the cell or a transaction on it). */

export type OutboxRow = Selectable<OutboxTable>;

const COLUMNS = ['id', 'type', 'payload', 'created_at', 'done_at', 'attempts', 'last_error', 'next_attempt_at'] as const;

function msFromNow(ms: number) {
  return sql<Date>`now() + cast(${ms} as double precision) * interval '1 millisecond'`;
}

export async function insertOutboxEntry(
  cellTrx: CellDb,
  entry: { id: string; type: string; payloadJson: string },
): Promise<OutboxRow> {
  return cellTrx
    .insertInto('outbox')
    .values({ id: entry.id, type: entry.type, payload: sql<string>`cast(${entry.payloadJson} as jsonb)` })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findOutboxEntry(cell: CellDb, id: string): Promise<OutboxRow | null> {
  return (await cell.selectFrom('outbox').select(COLUMNS).where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Marks an entry applied; false when it already was (or does not exist). */
export async function markOutboxDone(cell: CellDb, id: string): Promise<boolean> {
  const result = await cell
    .updateTable('outbox')
    .set({ done_at: sql<Date>`now()`, next_attempt_at: null })
    .where('id', '=', id)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Takes pending entries older than the grace period (younger ones are probably still being
 * completed by the operation that wrote them) and not leased or backing off. Setting
 * next_attempt_at to the end of a lease, in the same statement, keeps concurrent reconciliations
 * (several nodes) off the same entries without holding a transaction while the handler runs.
 */
export async function claimPendingOutbox(
  cell: CellDb,
  request: { graceMs: number; leaseMs: number; limit: number },
): Promise<OutboxRow[]> {
  return cell
    .with('next', (qb) =>
      qb
        .selectFrom('outbox')
        .select('id')
        .where('done_at', 'is', null)
        .where('created_at', '<=', msFromNow(-request.graceMs))
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', sql<Date>`now()`)]))
        .orderBy('created_at')
        .limit(request.limit)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('outbox')
    .from('next')
    .set({ attempts: sql<number>`outbox.attempts + 1`, next_attempt_at: msFromNow(request.leaseMs) })
    .whereRef('outbox.id', '=', 'next.id')
    .returning(COLUMNS.map((column) => `outbox.${column}` as const))
    .execute();
}

/** Remembers why an entry could not be applied and when to try again. */
export async function recordOutboxFailure(cell: CellDb, id: string, error: string, retryInMs: number): Promise<void> {
  await cell
    .updateTable('outbox')
    .set({ last_error: error, next_attempt_at: msFromNow(retryInMs) })
    .where('id', '=', id)
    .where('done_at', 'is', null)
    .execute();
}

/** Deletes entries applied longer ago than the retention. */
export async function purgeDoneOutbox(cell: CellDb, olderThanMs: number): Promise<number> {
  const result = await cell
    .deleteFrom('outbox')
    .where('done_at', 'is not', null)
    .where('done_at', '<', msFromNow(-olderThanMs))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
