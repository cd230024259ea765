import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/**
 * A cell's outbox (migration 20261128191000_platform_outbox): one row per operation that wrote
 * this cell and still has to reach the control plane. Written in the cell's own transaction, so
 * it exists exactly when the cell write committed.
 */
export interface OutboxTable {
  id: string;
  type: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  created_at: ColumnType<Date, never, never>;
  done_at: ColumnType<Date | null, never, Date | string | null>;
  attempts: Generated<number>;
  last_error: string | null;
  /** Not before this time may the reconciliation take the entry: a lease while it runs, a backoff after a failure. */
  next_attempt_at: ColumnType<Date | null, never, Date | string | null>;
}

declare module '../db/types.ts' {
  interface CellTables {
    outbox: OutboxTable;
  }
}
