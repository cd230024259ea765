import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { ControlDb, ControlPlaneTables } from '../db/types.ts';
import type { JobsTable } from './jobs.tables.ts';

/** All SQL of the job queue. Every function takes the handle to use (the database or a transaction). */

export type JobRow = Selectable<JobsTable>;

const COLUMNS = [
  'id',
  'type',
  'payload',
  'idempotency_key',
  'status',
  'attempts',
  'max_attempts',
  'run_at',
  'locked_at',
  'locked_by',
  'last_error',
  'created_at',
  'updated_at',
] as const;

/** `now() + ms` (ms may be negative), computed by the database so that every node agrees on the clock. */
function msFromNow(ms: number) {
  return sql<Date>`now() + cast(${ms} as double precision) * interval '1 millisecond'`;
}

export interface NewJobRow {
  id: string;
  type: string;
  payloadJson: string;
  idempotencyKey: string | null;
  maxAttempts: number;
  /** null: now, by the database's clock. */
  runAt: Date | null;
}

/** Inserts a job; null when its idempotency key is already taken (the caller then reads that job). */
export async function insertJob(db: ControlDb, job: NewJobRow): Promise<JobRow | null> {
  const row = await db
    .insertInto('jobs')
    .values({
      id: job.id,
      type: job.type,
      payload: sql<string>`cast(${job.payloadJson} as jsonb)`,
      idempotency_key: job.idempotencyKey,
      status: 'queued',
      max_attempts: job.maxAttempts,
      run_at: job.runAt ?? sql<Date>`now()`,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

export async function findJobById(db: ControlDb, id: string): Promise<JobRow | null> {
  return (await db.selectFrom('jobs').select(COLUMNS).where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function findJobByIdempotencyKey(db: ControlDb, key: string): Promise<JobRow | null> {
  return (await db.selectFrom('jobs').select(COLUMNS).where('idempotency_key', '=', key).executeTakeFirst()) ?? null;
}

export interface ClaimRequest {
  types: readonly string[];
  limit: number;
  workerId: string;
  /** A running job whose lock is older than this was left by a dead worker and is taken again. */
  leaseMs: number;
}

/**
 * Takes up to `limit` due jobs of the given types for one worker, in one statement (so one short
 * transaction, which matters on PGlite's single connection). `for update skip locked` makes
 * concurrent runners on PostgreSQL take disjoint sets; the row lock is held only while this
 * statement runs, after which `status = 'running'` and the lease keep other runners away.
 * Each claim counts as an attempt.
 */
export async function claimJobs(db: ControlDb, request: ClaimRequest): Promise<JobRow[]> {
  if (request.types.length === 0 || request.limit <= 0) return [];
  return db
    .with('next', (qb) =>
      qb
        .selectFrom('jobs')
        .select('id')
        .where('type', 'in', [...request.types])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', sql<Date>`now()`)]),
            eb.and([eb('status', '=', 'running'), eb('locked_at', '<', msFromNow(-request.leaseMs))]),
          ]),
        )
        .orderBy('run_at')
        .limit(request.limit)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('jobs')
    .from('next')
    .set({
      status: 'running',
      attempts: sql<number>`jobs.attempts + 1`,
      locked_at: sql<Date>`now()`,
      locked_by: request.workerId,
      updated_at: sql<Date>`now()`,
    })
    .whereRef('jobs.id', '=', 'next.id')
    .returning(COLUMNS.map((column) => `jobs.${column}` as const))
    .execute();
}

/** Identifies one claim of one job: a worker that lost its lease can no longer change the job. */
export interface JobClaim {
  id: string;
  workerId: string;
  attempts: number;
}

/** Matches the job only while it is still held by this claim (fencing against a taken-over lease). */
function heldBy(claim: JobClaim) {
  return (eb: ExpressionBuilder<ControlPlaneTables, 'jobs'>) =>
    eb.and([
      eb('id', '=', claim.id),
      eb('status', '=', 'running'),
      eb('locked_by', '=', claim.workerId),
      eb('attempts', '=', claim.attempts),
    ]);
}

export async function markJobDone(db: ControlDb, claim: JobClaim): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'done', locked_at: null, updated_at: sql<Date>`now()` })
    .where(heldBy(claim))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Puts the job back in the queue, due after the delay, remembering why it failed. */
export async function scheduleJobRetry(db: ControlDb, claim: JobClaim, delayMs: number, error: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'queued',
      run_at: msFromNow(delayMs),
      locked_at: null,
      locked_by: null,
      last_error: error,
      updated_at: sql<Date>`now()`,
    })
    .where(heldBy(claim))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markJobFailed(db: ControlDb, claim: JobClaim, error: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'failed', locked_at: null, last_error: error, updated_at: sql<Date>`now()` })
    .where(heldBy(claim))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives a job back (its runner is stopping): due now, and this claim does not count as an attempt. */
export async function releaseJob(db: ControlDb, claim: JobClaim): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'queued',
      attempts: sql<number>`greatest(attempts - 1, 0)`,
      run_at: sql<Date>`now()`,
      locked_at: null,
      locked_by: null,
      updated_at: sql<Date>`now()`,
    })
    .where(heldBy(claim))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Keeps the lease of the jobs a live worker is still running. */
export async function renewJobLeases(db: ControlDb, workerId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('jobs')
    .set({ locked_at: sql<Date>`now()` })
    .where('id', 'in', [...ids])
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Deletes finished jobs last updated longer ago than the given ages. An idempotency key is
 * honoured as long as its job is kept, so the retention also bounds that guarantee.
 */
export async function purgeFinishedJobs(db: ControlDb, ages: { doneMs: number; failedMs: number }): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'done'), eb('updated_at', '<', msFromNow(-ages.doneMs))]),
        eb.and([eb('status', '=', 'failed'), eb('updated_at', '<', msFromNow(-ages.failedMs))]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
