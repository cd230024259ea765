import type { ControlDb } from '../db/types.ts';
import { uuidv7 } from '../ids.ts';
import { JobPayloadError } from './errors.ts';
import { type Job, toJob } from './job.ts';
import { findJobById, findJobByIdempotencyKey, insertJob } from './jobs.repo.ts';
import { assertType, serialisePayload } from './payload.ts';
import type { JobPayload } from './types.ts';

export const DEFAULT_MAX_ATTEMPTS = 5;

export interface EnqueueRequest {
  type: string;
  /** Ids and small parameters only: the control plane holds no personal data. */
  payload: JobPayload;
  /** Not before this time (default: now). */
  runAt?: Date;
  /**
   * At most one job per key: enqueueing again with a key already used returns the existing job
   * (whatever its status) instead of adding one. Honoured as long as the job is kept (finished
   * jobs are purged after the runner's retention period).
   */
  idempotencyKey?: string;
  /** Claims before the job is marked failed (default 5). */
  maxAttempts?: number;
}

export interface EnqueueResult {
  job: Job;
  /** false when the idempotency key was already used and `job` is the existing one. */
  created: boolean;
}

/**
 * Adds a job to the queue. `db` may be a control-plane transaction: the job then exists exactly
 * when the rest of that transaction commits.
 */
export async function enqueue(db: ControlDb, request: EnqueueRequest): Promise<EnqueueResult> {
  assertType(request.type);
  const payloadJson = serialisePayload(request.payload);
  const maxAttempts = request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
    throw new JobPayloadError('maxAttempts must be an integer from 1 to 100');
  }
  const key = request.idempotencyKey ?? null;
  if (key !== null && (key.length === 0 || key.length > 400)) {
    throw new JobPayloadError('An idempotency key must have 1 to 400 characters');
  }
  if (request.runAt && Number.isNaN(request.runAt.getTime())) throw new JobPayloadError('runAt is not a valid date');
  // Two rounds at most: the job holding the key may be purged between our insert and our read.
  for (let round = 0; round < 2; round++) {
    const inserted = await insertJob(db, {
      id: uuidv7(),
      type: request.type,
      payloadJson,
      idempotencyKey: key,
      maxAttempts,
      runAt: request.runAt ?? null,
    });
    if (inserted) return { job: toJob(inserted), created: true };
    const existing = key === null ? null : await findJobByIdempotencyKey(db, key);
    if (existing) return { job: toJob(existing), created: false };
  }
  throw new Error(`Could not enqueue a ${request.type} job: its idempotency key keeps conflicting`);
}

/** A job by id (null when unknown or purged). */
export async function getJob(db: ControlDb, id: string): Promise<Job | null> {
  const row = await findJobById(db, id);
  return row ? toJob(row) : null;
}
