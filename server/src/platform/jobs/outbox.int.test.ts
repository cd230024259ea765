import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestStores } from '../../../test/support/db.ts';
import type { CellDb, ControlDb } from '../db/types.ts';
import { enqueue } from './enqueue.ts';
import { JobRunner, type JobsLogger } from './job-runner.ts';
import { getOutboxEntry, type OutboxContext, OutboxRegistry, recordInOutbox } from './outbox.ts';
import { type CellHandles, reconcileOutbox, registerOutboxReconciliation } from './outbox-reconciliation.ts';

function fakeLogger() {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn() } satisfies JobsLogger;
}

let env: Awaited<ReturnType<typeof openTestStores>>;
let control: ControlDb;
let cells: CellHandles;

beforeAll(async () => {
  env = await openTestStores();
  control = env.stores.control.db;
  cells = { FR: env.stores.cells.FR.db, QC: env.stores.cells.QC.db };
});
afterAll(async () => {
  await env?.close();
});

/**
 * A stand-in for an operation's second half: it writes the control plane (here a job, whose
 * idempotency key makes the write idempotent, as a real handler must be) and counts its runs.
 */
function controlPlaneWriter(type: string) {
  const runs: OutboxContext[] = [];
  const registry = new OutboxRegistry();
  registry.register(type, async (entry) => {
    runs.push(entry);
    await enqueue(control, { type: 'test.follow-up', payload: entry.payload, idempotencyKey: `outbox:${entry.id}` });
  });
  return { registry, runs };
}

async function followUpExists(outboxId: string): Promise<boolean> {
  const row = await control.selectFrom('jobs').select('id').where('idempotency_key', '=', `outbox:${outboxId}`).executeTakeFirst();
  return row !== undefined;
}

/** The cell half of an operation: written and committed, with its outbox entry, in one transaction. */
function writeCell(cell: CellDb, type: string, payload: { memberId: string }) {
  return cell.transaction().execute((trx) => recordInOutbox(trx, type, payload));
}

/** Makes the entries look older than any grace period, without waiting. */
async function age(cell: CellDb, id: string) {
  await cell.updateTable('outbox').set({ next_attempt_at: null }).where('id', '=', id).execute();
}

describe('outbox', () => {
  it('repairs an operation interrupted between the cell and the control plane, exactly once', async () => {
    const { registry, runs } = controlPlaneWriter('test.member.added');
    const entry = await writeCell(cells.QC, 'test.member.added', { memberId: 'm-1' });
    // "Crash": the process stops here; the control-plane write never happens.
    expect(await followUpExists(entry.id)).toBe(false);

    const logger = fakeLogger();
    const first = await reconcileOutbox(cells, registry, { logger, graceMs: 0 });
    expect(first.QC).toEqual({ applied: 1, failed: 0 });
    expect(runs).toEqual([{ id: entry.id, type: 'test.member.added', payload: { memberId: 'm-1' }, jurisdiction: 'QC' }]);
    expect(await followUpExists(entry.id)).toBe(true);
    expect((await getOutboxEntry(cells.QC, entry.id))?.doneAt).toBeInstanceOf(Date);

    const second = await reconcileOutbox(cells, registry, { logger, graceMs: 0 });
    expect(second).toEqual({ FR: { applied: 0, failed: 0 }, QC: { applied: 0, failed: 0 } });
    expect(runs).toHaveLength(1);
  });

  it('leaves recent entries to the operation that is completing them', async () => {
    const { registry, runs } = controlPlaneWriter('test.member.recent');
    const entry = await writeCell(cells.FR, 'test.member.recent', { memberId: 'm-2' });
    await reconcileOutbox(cells, registry, { logger: fakeLogger(), graceMs: 60_000 });
    expect(runs).toHaveLength(0);
    await registry.apply(cells.FR, 'FR', entry);
    expect(runs).toHaveLength(1);
    expect((await getOutboxEntry(cells.FR, entry.id))?.doneAt).toBeInstanceOf(Date);
    await reconcileOutbox(cells, registry, { logger: fakeLogger(), graceMs: 0 });
    expect(runs).toHaveLength(1);
  });

  it('records nothing when the cell transaction rolls back', async () => {
    let id = '';
    await expect(
      cells.FR.transaction().execute(async (trx) => {
        id = (await recordInOutbox(trx, 'test.member.rolledback', { memberId: 'm-3' })).id;
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await getOutboxEntry(cells.FR, id)).toBeNull();
  });

  it('keeps a failing entry pending, with its error, and retries it after a backoff', async () => {
    const registry = new OutboxRegistry();
    let fail = true;
    const handler = vi.fn(async () => {
      if (fail) throw new Error('control plane away');
    });
    registry.register('test.member.flaky', handler);
    const entry = await writeCell(cells.FR, 'test.member.flaky', { memberId: 'm-4' });
    const logger = fakeLogger();
    const first = await reconcileOutbox(cells, registry, { logger, graceMs: 0 });
    expect(first.FR).toEqual({ applied: 0, failed: 1 });
    expect(await getOutboxEntry(cells.FR, entry.id)).toMatchObject({
      doneAt: null,
      attempts: 1,
      lastError: 'Error: control plane away',
    });
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ outboxId: entry.id, outboxType: 'test.member.flaky', cell: 'FR' }),
      expect.any(String),
    );
    // Backing off: an immediate second run leaves it alone.
    await reconcileOutbox(cells, registry, { logger, graceMs: 0 });
    expect(handler).toHaveBeenCalledOnce();
    fail = false;
    await age(cells.FR, entry.id);
    expect((await reconcileOutbox(cells, registry, { logger, graceMs: 0 })).FR).toEqual({ applied: 1, failed: 0 });
    expect(await getOutboxEntry(cells.FR, entry.id)).toMatchObject({ attempts: 2 });
  });

  it('reports an entry whose type has no handler without dropping it', async () => {
    const entry = await writeCell(cells.QC, 'test.member.orphan', { memberId: 'm-5' });
    const report = await reconcileOutbox(cells, new OutboxRegistry(), { logger: fakeLogger(), graceMs: 0 });
    expect(report.QC.failed).toBeGreaterThanOrEqual(1);
    expect(await getOutboxEntry(cells.QC, entry.id)).toMatchObject({
      doneAt: null,
      lastError: expect.stringContaining('UnknownOutboxTypeError'),
    });
    await cells.QC.deleteFrom('outbox').where('id', '=', entry.id).execute();
  });

  it('runs as a periodic job on the job runner', async () => {
    const { registry, runs } = controlPlaneWriter('test.member.scheduled');
    const entry = await writeCell(cells.FR, 'test.member.scheduled', { memberId: 'm-6' });
    const runner = new JobRunner(control, { logger: fakeLogger() });
    registerOutboxReconciliation(runner, { cells, registry, logger: fakeLogger(), graceMs: 0 });
    expect(await runner.runDue()).toBe(1);
    expect(runs.map((run) => run.id)).toEqual([entry.id]);
    expect(await followUpExists(entry.id)).toBe(true);
    // Same time bucket: no second reconciliation job.
    expect(await runner.runDue()).toBe(0);
  });
});
