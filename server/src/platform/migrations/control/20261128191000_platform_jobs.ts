import { type Kysely, sql } from 'kysely';

/**
 * The job queue of the control plane. The payload holds ids only (never personal data). A unique
 * idempotency key lets producers enqueue "at most one job for this thing" (a nullable unique column:
 * jobs without a key never collide). Two partial indexes serve the runner's two questions: which
 * queued jobs are due, and which running jobs have outlived their lease.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table jobs (
      id uuid primary key,
      type text not null check (length(type) between 1 and 200),
      payload jsonb not null default '{}'::jsonb,
      idempotency_key text unique check (length(idempotency_key) between 1 and 400),
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      attempts integer not null default 0 check (attempts >= 0),
      max_attempts integer not null check (max_attempts between 1 and 100),
      run_at timestamptz not null default now(),
      locked_at timestamptz,
      locked_by text,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index jobs_due_idx on jobs (run_at) where status = 'queued'`.execute(db);
  await sql`create index jobs_running_idx on jobs (locked_at) where status = 'running'`.execute(db);
  await sql`create index jobs_finished_idx on jobs (updated_at) where status in ('done', 'failed')`.execute(db);
}
