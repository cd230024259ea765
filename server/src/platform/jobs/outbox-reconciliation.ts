import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { CellDb } from '../db/types.ts';
import { type BackoffOptions, retryDelayMs } from './backoff.ts';
import type { JobRunner, JobsLogger } from './job-runner.ts';
import { type OutboxRegistry, toOutboxEntry } from './outbox.ts';
import { claimPendingOutbox, markOutboxDone, purgeDoneOutbox, recordOutboxFailure } from './outbox.repo.ts';
import { OutboxReconciliationError } from './errors.ts';
import { describeError, errorName } from './payload.ts';

/** The Kysely handle of each cell. */
export type CellHandles = Readonly<Record<Jurisdiction, CellDb>>;

export interface ReconcileOptions {
  logger: JobsLogger;
  /** Entries younger than this are left to the operation that wrote them (default 1 min). */
  graceMs?: number;
  /** Time one reconciliation may spend on an entry before another may take it (default 5 min). */
  leaseMs?: number;
  /** Entries claimed per statement (default 50). */
  batchSize?: number;
  /** Bound on the entries one run handles per cell, so a run stays short (default 500). */
  maxPerRun?: number;
  /** Delay before retrying an entry whose handler failed, by attempt (default 30 s doubling to 1 h). */
  backoff?: BackoffOptions;
  /** How long applied entries are kept (default 7 days). */
  retentionMs?: number;
}

export type ReconcileReport = Record<Jurisdiction, { applied: number; failed: number }>;

const DEFAULT_OUTBOX_BACKOFF: BackoffOptions = { baseMs: 30_000, maxMs: 60 * 60_000 };

/**
 * Repairs half-done operations: in each cell, runs the handler of every pending entry older than
 * the grace period and marks it done. Running it again right after does nothing more. A failing
 * entry is retried later with backoff; it is never dropped (it is an inconsistency an operator
 * must see: attempts and last_error say what happens).
 */
export async function reconcileOutbox(
  cells: CellHandles,
  registry: OutboxRegistry,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const graceMs = options.graceMs ?? 60_000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 50;
  const maxPerRun = options.maxPerRun ?? 500;
  const backoff = options.backoff ?? DEFAULT_OUTBOX_BACKOFF;
  const report = {} as ReconcileReport;
  const unreachable: Jurisdiction[] = [];
  for (const jurisdiction of JURISDICTIONS) {
    const cell = cells[jurisdiction];
    const counts = { applied: 0, failed: 0 };
    report[jurisdiction] = counts;
    try {
      while (counts.applied + counts.failed < maxPerRun) {
        const limit = Math.min(batchSize, maxPerRun - counts.applied - counts.failed);
        const rows = await claimPendingOutbox(cell, { graceMs, leaseMs, limit });
        for (const entry of rows.map(toOutboxEntry)) {
          try {
            await registry.run(jurisdiction, entry);
            await markOutboxDone(cell, entry.id);
            counts.applied++;
          } catch (error) {
            counts.failed++;
            await recordOutboxFailure(cell, entry.id, describeError(error), retryDelayMs(entry.attempts, backoff));
            options.logger.error(
              { outboxId: entry.id, outboxType: entry.type, cell: jurisdiction, attempt: entry.attempts, error: errorName(error) },
              'Outbox entry could not be applied',
            );
          }
        }
        if (rows.length < limit) break;
      }
      await purgeDoneOutbox(cell, options.retentionMs ?? 7 * 24 * 3_600_000);
    } catch (error) {
      // One cell being away must not keep the other one unrepaired.
      unreachable.push(jurisdiction);
      options.logger.error({ cell: jurisdiction, error: errorName(error) }, 'Outbox of a cell could not be reconciled');
    }
    if (counts.applied > 0) {
      options.logger.info({ cell: jurisdiction, applied: counts.applied }, 'Outbox entries repaired');
    }
  }
  if (unreachable.length > 0) throw new OutboxReconciliationError(unreachable);
  return report;
}

export const OUTBOX_RECONCILE_JOB = 'platform.outbox.reconcile';

/**
 * Runs the reconciliation as a job on the runner, enqueued every `everyMs` (default 1 min) with an
 * idempotency key per time bucket: with several nodes, one job per minute, run by one of them.
 */
export function registerOutboxReconciliation(
  runner: JobRunner,
  deps: { cells: CellHandles; registry: OutboxRegistry; everyMs?: number } & ReconcileOptions,
): void {
  runner.register(OUTBOX_RECONCILE_JOB, async () => {
    await reconcileOutbox(deps.cells, deps.registry, deps);
  });
  runner.every(OUTBOX_RECONCILE_JOB, deps.everyMs ?? 60_000);
}
