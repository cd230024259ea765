import type { JobStatus } from './jobs.tables.ts';
import type { JobRow } from './jobs.repo.ts';
import type { JobPayload } from './types.ts';

/** A job as the rest of the code sees it. */
export interface Job {
  id: string;
  type: string;
  payload: JobPayload;
  idempotencyKey: string | null;
  status: JobStatus;
  /** Claims so far (the one running included). */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    type: row.type,
    payload: row.payload as JobPayload,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
