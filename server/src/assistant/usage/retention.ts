import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import { CONTENT_RETENTION_DAYS } from './content-log.ts';
import { deleteContentLogBefore } from './usage.repo.ts';

/** The content log is kept CONTENT_RETENTION_DAYS days, then deleted by this hourly job (short batches). */
export const CONTENT_LOG_SWEEP_JOB = 'assistant.ai_content_log.sweep';

export async function sweepContentLog(stores: Stores, now = new Date(), days = CONTENT_RETENTION_DAYS): Promise<number> {
  const before = new Date(now.getTime() - days * 86_400_000);
  let total = 0;
  for (const j of JURISDICTIONS) {
    for (;;) {
      const n = await deleteContentLogBefore(stores.cells[j].db, before, 1000);
      total += n;
      if (n < 1000) break;
    }
  }
  return total;
}

export function registerContentLogSweep(jobs: JobRunner, stores: Stores): void {
  jobs.register(CONTENT_LOG_SWEEP_JOB, async () => {
    await sweepContentLog(stores);
  });
  jobs.every(CONTENT_LOG_SWEEP_JOB, 3_600_000);
}
