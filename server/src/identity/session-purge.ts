import { JURISDICTIONS } from '../../../common/src/jurisdiction.ts';
import type { Stores } from '../platform/db/stores.ts';
import type { JobRunner } from '../platform/jobs/index.ts';
import { deleteSessionDetailsBefore, deleteSessionsEndedBefore } from './sessions.repo.ts';

/**
 * Sessions are personal data (with their IP addresses and user agents in the home cell): kept
 * while they live, plus a day for the agent's "recent sessions" and for investigations, then
 * deleted. The audit log keeps what happened (session.created, session.ended).
 */
export const SESSIONS_PURGE_JOB = 'identity.sessions.purge';
const KEEP_AFTER_END_MS = 24 * 3_600_000;

export async function purgeSessions(stores: Stores, absoluteMs: number, now = new Date()): Promise<{ sessions: number; details: number }> {
  const sessions = await deleteSessionsEndedBefore(stores.control.db, new Date(now.getTime() - KEEP_AFTER_END_MS));
  let details = 0;
  for (const j of JURISDICTIONS) {
    details += await deleteSessionDetailsBefore(stores.cells[j].db, new Date(now.getTime() - absoluteMs - KEEP_AFTER_END_MS));
  }
  return { sessions, details };
}

export function registerSessionPurge(jobs: JobRunner, stores: Stores, absoluteMs: number): void {
  jobs.register(SESSIONS_PURGE_JOB, async () => {
    await purgeSessions(stores, absoluteMs);
  });
  jobs.every(SESSIONS_PURGE_JOB, 3_600_000);
}
