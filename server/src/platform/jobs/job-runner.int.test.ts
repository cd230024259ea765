import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestStores } from '../../../test/support/db.ts';
import { openPostgres } from '../db/database.ts';
import type { ControlDb, ControlPlaneTables } from '../db/types.ts';
import { enqueue, getJob } from './enqueue.ts';
import { DuplicateHandlerError, InvalidJobTypeError, JobPayloadError } from './errors.ts';
import { type JobContext, JobRunner, type JobsLogger } from './job-runner.ts';
import { claimJobs, markJobDone } from './jobs.repo.ts';

function fakeLogger() {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn() } satisfies JobsLogger;
}

const FAST = { baseMs: 5, maxMs: 20 };

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('Condition not met in time');
    await sleep(10);
  }
}

let env: Awaited<ReturnType<typeof openTestStores>>;
let db: ControlDb;

beforeAll(async () => {
  env = await openTestStores();
  db = env.stores.control.db;
});
afterAll(async () => {
  await env?.close();
});

describe('enqueue', () => {
  it('adds a queued job and returns the existing one for a used idempotency key', async () => {
    const first = await enqueue(db, { type: 'test.enqueue', payload: { spaceId: 'a' }, idempotencyKey: 'space:a' });
    const again = await enqueue(db, { type: 'test.enqueue', payload: { spaceId: 'b' }, idempotencyKey: 'space:a' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.job.id).toBe(first.job.id);
    expect(again.job.payload).toEqual({ spaceId: 'a' });
    expect(first.job).toMatchObject({ status: 'queued', attempts: 0, maxAttempts: 5, idempotencyKey: 'space:a' });
    const rows = await db.selectFrom('jobs').select('id').where('idempotency_key', '=', 'space:a').execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses bad types, oversized payloads and bad attempt counts', async () => {
    await expect(enqueue(db, { type: 'Not A Type', payload: {} })).rejects.toBeInstanceOf(InvalidJobTypeError);
    await expect(enqueue(db, { type: 'test.big', payload: { blob: 'x'.repeat(10_000) } })).rejects.toBeInstanceOf(
      JobPayloadError,
    );
    await expect(enqueue(db, { type: 'test.big', payload: {}, maxAttempts: 0 })).rejects.toBeInstanceOf(JobPayloadError);
  });

  it('joins the caller’s control-plane transaction', async () => {
    let id = '';
    await expect(
      db.transaction().execute(async (trx) => {
        id = (await enqueue(trx, { type: 'test.trx', payload: {} })).job.id;
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await getJob(db, id)).toBeNull();
  });
});

describe('JobRunner', () => {
  it('runs a due job with its payload and marks it done', async () => {
    const runner = new JobRunner(db, { logger: fakeLogger() });
    const seen: JobContext[] = [];
    runner.register('test.run', async (job) => {
      seen.push(job);
    });
    const { job } = await enqueue(db, { type: 'test.run', payload: { documentId: 'd1' } });
    expect(await runner.runDue()).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: job.id, type: 'test.run', payload: { documentId: 'd1' }, attempt: 1 });
    expect(await getJob(db, job.id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await runner.runDue()).toBe(0);
  });

  it('leaves a job planned for later alone until it is due', async () => {
    const runner = new JobRunner(db, { logger: fakeLogger() });
    const handler = vi.fn(async () => {});
    runner.register('test.later', handler);
    const { job } = await enqueue(db, { type: 'test.later', payload: {}, runAt: new Date(Date.now() + 60_000) });
    expect(await runner.runDue()).toBe(0);
    expect(handler).not.toHaveBeenCalled();
    await db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('id', '=', job.id).execute();
    expect(await runner.runDue()).toBe(1);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('retries a failing job with backoff, then succeeds', async () => {
    const logger = fakeLogger();
    const runner = new JobRunner(db, { logger, backoff: FAST });
    let calls = 0;
    runner.register('test.flaky', async () => {
      calls++;
      if (calls === 1) throw new Error('backend away for agent@example.org');
    });
    const { job } = await enqueue(db, { type: 'test.flaky', payload: {} });
    await runner.runDue();
    const afterFailure = await getJob(db, job.id);
    expect(afterFailure).toMatchObject({ status: 'queued', attempts: 1 });
    expect(afterFailure?.lastError).toContain('backend away');
    expect(afterFailure?.runAt.getTime()).toBeGreaterThan(job.runAt.getTime());
    await until(async () => (await runner.runDue()) > 0);
    expect(await getJob(db, job.id)).toMatchObject({ status: 'done', attempts: 2 });
    // Logged by id and type only: the message (which may quote personal data) stays out of logs.
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ jobId: job.id, jobType: 'test.flaky' }), expect.any(String));
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('example.org');
  });

  it('marks a job failed after its last attempt, keeping a truncated error', async () => {
    const logger = fakeLogger();
    const runner = new JobRunner(db, { logger, backoff: FAST });
    const handler = vi.fn(async () => {
      throw new Error(`nope ${'x'.repeat(5000)}`);
    });
    runner.register('test.doomed', handler);
    const { job } = await enqueue(db, { type: 'test.doomed', payload: {}, maxAttempts: 2 });
    await until(async () => {
      await runner.runDue();
      return (await getJob(db, job.id))?.status === 'failed';
    });
    const failed = await getJob(db, job.id);
    expect(handler).toHaveBeenCalledTimes(2);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed?.lastError?.length).toBeLessThanOrEqual(1000);
    expect(failed?.lastError).toMatch(/^Error: nope x+…$/);
    expect(logger.error).toHaveBeenCalledWith({ jobId: job.id, jobType: 'test.doomed', attempt: 2, error: 'Error' }, expect.any(String));
  });

  it('takes again a job whose worker died, and ignores that worker if it comes back', async () => {
    const runner = new JobRunner(db, { logger: fakeLogger(), leaseMs: 200 });
    const handler = vi.fn(async () => {});
    runner.register('test.orphan', handler);
    const { job } = await enqueue(db, { type: 'test.orphan', payload: {} });
    const [dead] = await claimJobs(db, { types: ['test.orphan'], limit: 1, workerId: 'dead-worker', leaseMs: 200 });
    expect(dead?.id).toBe(job.id);
    expect(await runner.runDue()).toBe(0); // still within the dead worker's lease
    await sleep(300);
    expect(await runner.runDue()).toBe(1);
    expect(handler).toHaveBeenCalledWith(expect.objectContaining({ id: job.id, attempt: 2 }));
    expect(await getJob(db, job.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await markJobDone(db, { id: job.id, workerId: 'dead-worker', attempts: 1 })).toBe(false);
  });

  it('does not exceed max attempts when the worker of the last one died', async () => {
    const runner = new JobRunner(db, { logger: fakeLogger(), leaseMs: 100 });
    const handler = vi.fn(async () => {});
    runner.register('test.lastgasp', handler);
    const { job } = await enqueue(db, { type: 'test.lastgasp', payload: {}, maxAttempts: 1 });
    await claimJobs(db, { types: ['test.lastgasp'], limit: 1, workerId: 'dead-worker', leaseMs: 100 });
    await sleep(200);
    await runner.runDue();
    expect(handler).not.toHaveBeenCalled();
    expect(await getJob(db, job.id)).toMatchObject({ status: 'failed' });
  });

  it('keeps the lease of a long job alive while its handler runs', async () => {
    // The handler runs for three leases; renewals (every third of a lease) keep the other runner off.
    const runner = new JobRunner(db, { logger: fakeLogger(), leaseMs: 400 });
    const other = new JobRunner(db, { logger: fakeLogger(), leaseMs: 400 });
    const handler = vi.fn(async () => {
      await sleep(1200);
    });
    runner.register('test.long', handler);
    other.register('test.long', handler);
    await enqueue(db, { type: 'test.long', payload: {} });
    const first = runner.runDue();
    await sleep(900);
    expect(await other.runDue()).toBe(0);
    await first;
    expect(handler).toHaveBeenCalledOnce();
  });

  it('polls on its own and stop() waits for the running handler', async () => {
    const runner = new JobRunner(db, { logger: fakeLogger(), pollIntervalMs: 20 });
    let release!: () => void;
    const started = vi.fn();
    runner.register('test.graceful', async () => {
      started();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const { job } = await enqueue(db, { type: 'test.graceful', payload: {} });
    runner.start();
    await until(() => started.mock.calls.length > 0);
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await sleep(100);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await getJob(db, job.id)).toMatchObject({ status: 'done' });
  });

  it('releases, without counting an attempt, a job whose handler gives up at shutdown', async () => {
    const runner = new JobRunner(db, { logger: fakeLogger(), pollIntervalMs: 20, stopGraceMs: 50 });
    const started = vi.fn();
    runner.register('test.interrupted', async ({ signal }) => {
      started();
      await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    });
    const { job } = await enqueue(db, { type: 'test.interrupted', payload: {} });
    runner.start();
    await until(() => started.mock.calls.length > 0);
    await runner.stop();
    expect(await getJob(db, job.id)).toMatchObject({ status: 'queued', attempts: 0, lastError: null });
  });

  it('refuses a second handler for the same type', () => {
    const runner = new JobRunner(db, { logger: fakeLogger() });
    runner.register('test.once', async () => {});
    expect(() => runner.register('test.once', async () => {})).toThrow(DuplicateHandlerError);
  });

  it('enqueues a periodic job once per interval, even from several runners', async () => {
    const handler = vi.fn(async () => {});
    const a = new JobRunner(db, { logger: fakeLogger() });
    const b = new JobRunner(db, { logger: fakeLogger() });
    a.register('test.periodic', handler);
    b.register('test.periodic', handler);
    a.every('test.periodic', 3_600_000);
    b.every('test.periodic', 3_600_000);
    await Promise.all([a.runDue(), b.runDue()]);
    await Promise.all([a.runDue(), b.runDue()]);
    expect(handler).toHaveBeenCalledOnce();
    const rows = await db.selectFrom('jobs').select('id').where('type', '=', 'test.periodic').execute();
    expect(rows).toHaveLength(1);
  });

  it('never runs a job twice with two runners polling in parallel', async () => {
    // Two "nodes": on PostgreSQL, two separate pools on the same database.
    const second =
      env.stores.control.kind === 'postgres' && env.config.control.databaseUrl
        ? await openPostgres<ControlPlaneTables>('control-2', env.config.control.databaseUrl, {
            schema: env.stores.control.schema === 'public' ? null : env.stores.control.schema,
          })
        : null;
    try {
      const runs = new Map<string, string[]>();
      const handler = (name: string) => async (job: JobContext) => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), name]);
        await sleep(2);
      };
      const a = new JobRunner(db, { logger: fakeLogger(), pollIntervalMs: 5, concurrency: 4, workerId: 'a' });
      const b = new JobRunner(second?.db ?? db, { logger: fakeLogger(), pollIntervalMs: 5, concurrency: 4, workerId: 'b' });
      a.register('test.parallel', handler('a'));
      b.register('test.parallel', handler('b'));
      const ids = new Set<string>();
      for (let i = 0; i < 60; i++) ids.add((await enqueue(db, { type: 'test.parallel', payload: { i } })).job.id);
      a.start();
      b.start();
      await until(async () => {
        const left = await db
          .selectFrom('jobs')
          .select('id')
          .where('type', '=', 'test.parallel')
          .where('status', '!=', 'done')
          .execute();
        return left.length === 0;
      });
      await Promise.all([a.stop(), b.stop()]);
      expect(new Set(runs.keys())).toEqual(ids);
      const twice = [...runs.values()].filter((names) => names.length > 1);
      expect(twice).toEqual([]);
      if (second) {
        // The claim itself, raced from both pools: disjoint batches covering every job.
        for (let i = 0; i < 40; i++) await enqueue(db, { type: 'test.claimrace', payload: { i } });
        const handles = [db, second.db];
        const batches = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            claimJobs(handles[i % 2] as ControlDb, { types: ['test.claimrace'], limit: 5, workerId: `w${i}`, leaseMs: 60_000 }),
          ),
        );
        const claimed = batches.flat().map((row) => row.id);
        expect(claimed).toHaveLength(40);
        expect(new Set(claimed).size).toBe(40);
      }
    } finally {
      await second?.close();
    }
  });
});
