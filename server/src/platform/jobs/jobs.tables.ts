import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Where a job is in its life: waiting (possibly for a retry), taken by a runner, or finished. */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/**
 * The control plane's job queue (migration 20261128191000_platform_jobs). The payload holds ids
 * only — the control plane never holds personal data, and neither do its jobs.
 */
export interface JobsTable {
  id: string;
  type: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  idempotency_key: string | null;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: ColumnType<Date, Date | string, Date | string>;
  locked_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  locked_by: string | null;
  last_error: string | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, Date | string>;
}

declare module '../db/types.ts' {
  interface ControlPlaneTables {
    jobs: JobsTable;
  }
}
