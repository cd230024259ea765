import { type Kysely, sql } from 'kysely';

/**
 * A cell's outbox: operations that wrote this cell and must still be applied to the control plane
 * (which cannot share the cell's transaction). The reconciliation job reads pending entries
 * through the partial index; finished entries are purged after a retention period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outbox (
      id uuid primary key,
      type text not null check (length(type) between 1 and 200),
      payload jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      done_at timestamptz,
      attempts integer not null default 0 check (attempts >= 0),
      last_error text,
      next_attempt_at timestamptz
    )`.execute(db);
  await sql`create index outbox_pending_idx on outbox (created_at) where done_at is null`.execute(db);
  await sql`create index outbox_done_idx on outbox (done_at) where done_at is not null`.execute(db);
}
