import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { ControlDb } from '../db/types.ts';
import { uuidv7 } from '../ids.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
import { enqueue } from './enqueue.ts';
import { DuplicateHandlerError, JobRunnerStoppedError } from './errors.ts';
import { type Job, toJob } from './job.ts';
import {
  claimJobs,
  type JobClaim,
  markJobDone,
  markJobFailed,
  purgeFinishedJobs,
  releaseJob,
  renewJobLeases,
  scheduleJobRetry,
} from './jobs.repo.ts';
import { assertType, describeError, errorName } from './payload.ts';
import type { JobPayload } from './types.ts';

export type JobsLogger = Pick<FastifyBaseLogger, 'error' | 'warn' | 'info'>;

/** What a handler receives. */
export interface JobContext {
  readonly id: string;
  readonly type: string;
  readonly payload: JobPayload;
  /** 1 for the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when the runner is stopping and its grace period is over: finish or give up soon. */
  readonly signal: AbortSignal;
}

/**
 * Runs one job. Delivery is at least once (a job whose worker died is run again, and a job whose
 * "done" could not be written is run again after its lease), so a handler must be idempotent.
 * Throwing schedules a retry, until the job's max attempts.
 */
export type JobHandler = (job: JobContext) => Promise<void>;

export interface JobRunnerOptions {
  logger: JobsLogger;
  /** Names this runner in locked_by; unique per process by default. */
  workerId?: string;
  /** Time between two polls when the queue had nothing (more) to give (default 1 s). */
  pollIntervalMs?: number;
  /** Handlers running at once in this process (default 4). */
  concurrency?: number;
  /** A running job whose lock is older than this is considered abandoned (default 5 min). */
  leaseMs?: number;
  backoff?: BackoffOptions;
  /** How long finished jobs (and so their idempotency keys) are kept (default 7 days; failed: 30 days). */
  retention?: { doneMs: number; failedMs: number };
  /** stop() aborts handlers' signals after this grace period, then still waits for them (default 10 s). */
  stopGraceMs?: number;
}

interface Schedule {
  type: string;
  intervalMs: number;
  payload: JobPayload;
  lastBucket: number | null;
}

const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Polls the control plane's jobs table and runs the handlers registered here, by type.
 *
 * Claiming is one short statement (see claimJobs); handlers run outside any transaction, so on
 * PGlite the single connection is free while they work, and on PostgreSQL several runners (one per
 * node) share the queue without ever running the same claim twice. A live runner renews the lease
 * of the jobs it runs; a job whose runner died is taken again once its lease is over.
 */
export class JobRunner {
  readonly workerId: string;
  readonly #db: ControlDb;
  readonly #logger: JobsLogger;
  readonly #pollIntervalMs: number;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #backoff: BackoffOptions;
  readonly #retention: { doneMs: number; failedMs: number };
  readonly #stopGraceMs: number;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #schedules: Schedule[] = [];
  readonly #running = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #tick: Promise<void> | null = null;
  #started = false;
  #stopped = false;
  #stopping: Promise<void> | null = null;
  #lastPurge = 0;

  constructor(db: ControlDb, options: JobRunnerOptions) {
    this.#db = db;
    this.#logger = options.logger;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${uuidv7().slice(-12)}`;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#retention = options.retention ?? { doneMs: 7 * 24 * 3_600_000, failedMs: 30 * 24 * 3_600_000 };
    this.#stopGraceMs = options.stopGraceMs ?? 10_000;
  }

  /** Registers the handler of a job type. Only registered types are claimed by this runner. */
  register(type: string, handler: JobHandler): void {
    assertType(type);
    if (this.#handlers.has(type)) throw new DuplicateHandlerError('job', type);
    this.#handlers.set(type, handler);
  }

  /**
   * Enqueues a job of this type every `intervalMs`, once per interval across all the nodes: the
   * idempotency key names the interval's time bucket, so every runner asking for the same bucket
   * gets the same job. The type's handler must be registered (here or on another node).
   */
  every(type: string, intervalMs: number, payload: JobPayload = {}): void {
    assertType(type);
    if (!Number.isInteger(intervalMs) || intervalMs < 1_000) throw new RangeError('every(): interval of at least 1 s');
    this.#schedules.push({ type, intervalMs, payload, lastBucket: null });
  }

  /** Starts polling. */
  start(): void {
    if (this.#stopped) throw new JobRunnerStoppedError();
    if (this.#started) return;
    this.#started = true;
    this.#schedule(0);
  }

  /**
   * Graceful shutdown: no new claims; waits for the running handlers (their signal is aborted
   * after the grace period; a handler that then gives up has its job released, not counted as a
   * failure).
   */
  stop(): Promise<void> {
    // Every caller (a second SIGTERM, the test teardown) waits for the same shutdown.
    this.#stopping ??= this.#shutDown();
    return this.#stopping;
  }

  async #shutDown(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
    const grace = setTimeout(() => this.#abort.abort(new JobRunnerStoppedError()), this.#stopGraceMs);
    grace.unref();
    await Promise.allSettled(this.#running.values());
    clearTimeout(grace);
  }

  /**
   * Claims one batch of due jobs and runs it to the end. For tests and one-shot commands; a
   * started runner does the same on its own. Returns how many jobs were claimed.
   */
  async runDue(): Promise<number> {
    if (this.#stopped) throw new JobRunnerStoppedError();
    await this.#enqueueScheduled();
    const jobs = await this.#claim(this.#concurrency);
    await Promise.allSettled(jobs.map((job) => this.#launch(job)));
    return jobs.length;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#tick = this.#poll().finally(() => {
        this.#tick = null;
      });
    }, delayMs);
  }

  async #poll(): Promise<void> {
    let next = this.#pollIntervalMs;
    try {
      await this.#enqueueScheduled();
      await this.#purgeNow();
      const room = this.#concurrency - this.#running.size;
      if (room > 0) {
        const jobs = await this.#claim(room);
        for (const job of jobs) void this.#launch(job);
        // A full batch suggests more are waiting: come back as soon as there is room.
        if (jobs.length === room) next = Math.min(next, 10);
      }
    } catch (error) {
      // The database may be away for a while: keep polling, the queue is still there afterwards.
      this.#logger.warn({ workerId: this.workerId, error: errorName(error) }, 'Job runner could not poll the queue');
    }
    this.#schedule(next);
  }

  async #claim(limit: number): Promise<Job[]> {
    const rows = await claimJobs(this.#db, {
      types: [...this.#handlers.keys()],
      limit,
      workerId: this.workerId,
      leaseMs: this.#leaseMs,
    });
    return rows.map(toJob);
  }

  #launch(job: Job): Promise<void> {
    const run = this.#run(job).finally(() => {
      this.#running.delete(job.id);
      if (this.#running.size === 0 && this.#heartbeat) {
        clearInterval(this.#heartbeat);
        this.#heartbeat = null;
      }
    });
    this.#running.set(job.id, run);
    // While handlers run, renew their leases well before they expire.
    if (!this.#heartbeat) {
      this.#heartbeat = setInterval(() => void this.#renewLeases(), Math.max(20, Math.floor(this.#leaseMs / 3)));
      this.#heartbeat.unref();
    }
    return run;
  }

  async #run(job: Job): Promise<void> {
    const claim: JobClaim = { id: job.id, workerId: this.workerId, attempts: job.attempts };
    const handler = this.#handlers.get(job.type);
    const log = { jobId: job.id, jobType: job.type, attempt: job.attempts };
    try {
      if (!handler) throw new Error(`No handler for ${job.type}`); // claimJobs only returns registered types
      if (job.attempts > job.maxAttempts) {
        // Its last attempt was claimed by a worker that died: do not exceed max_attempts.
        await markJobFailed(this.#db, claim, 'Lease expired during the last attempt (its worker stopped)');
        this.#logger.error(log, 'Job failed: its worker stopped during the last attempt');
        return;
      }
      try {
        await handler({
          id: job.id,
          type: job.type,
          payload: job.payload,
          attempt: job.attempts,
          maxAttempts: job.maxAttempts,
          signal: this.#abort.signal,
        });
      } catch (error) {
        await this.#handleFailure(job, claim, error);
        return;
      }
      if (!(await markJobDone(this.#db, claim))) {
        this.#logger.warn(log, 'Job finished after its lease was taken over');
      }
    } catch (error) {
      // Writing the outcome failed (database away): the lease will expire and the job run again.
      this.#logger.error({ ...log, error: errorName(error) }, 'Job outcome could not be recorded');
    }
  }

  async #handleFailure(job: Job, claim: JobClaim, error: unknown): Promise<void> {
    // Logs name the job, never the error's message: it may quote data the job was handling.
    const log = { jobId: job.id, jobType: job.type, attempt: job.attempts, error: errorName(error) };
    if (this.#abort.signal.aborted) {
      await releaseJob(this.#db, claim);
      this.#logger.info(log, 'Job interrupted by shutdown, released');
      return;
    }
    if (job.attempts >= job.maxAttempts) {
      await markJobFailed(this.#db, claim, describeError(error));
      this.#logger.error(log, 'Job failed after its last attempt');
      return;
    }
    const delayMs = retryDelayMs(job.attempts, this.#backoff);
    await scheduleJobRetry(this.#db, claim, delayMs, describeError(error));
    this.#logger.warn({ ...log, retryInMs: delayMs }, 'Job failed, retry scheduled');
  }

  async #enqueueScheduled(): Promise<void> {
    const now = Date.now();
    for (const schedule of this.#schedules) {
      const bucket = Math.floor(now / schedule.intervalMs);
      if (bucket === schedule.lastBucket) continue;
      await enqueue(this.#db, {
        type: schedule.type,
        payload: schedule.payload,
        idempotencyKey: `every:${schedule.type}:${schedule.intervalMs}:${bucket}`,
        // A missed run is replaced by the next bucket's: no point retrying for long.
        maxAttempts: 1,
      });
      schedule.lastBucket = bucket;
    }
  }

  async #purgeNow(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPurge < PURGE_EVERY_MS) return;
    this.#lastPurge = now;
    await purgeFinishedJobs(this.#db, this.#retention);
  }

  async #renewLeases(): Promise<void> {
    if (this.#running.size === 0) return;
    try {
      await renewJobLeases(this.#db, this.workerId, [...this.#running.keys()]);
    } catch (error) {
      this.#logger.warn({ workerId: this.workerId, error: errorName(error) }, 'Job leases could not be renewed');
    }
  }
}
