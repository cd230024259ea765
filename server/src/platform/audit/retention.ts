import { uuidv7 } from '../ids.ts';
import { appendAuditEvent, boundarySeq, entryAt, listChains } from './audit.repo.ts';
import type { AuditStore } from './audit-stores.ts';
import { checkpointMessage, PLATFORM_CHAIN } from './chain.ts';
import { deleteUpToAnchor, listCheckpoints } from './checkpoints.repo.ts';
import type { PublicKeys } from './signing-keys.ts';
import { MIN_RETENTION_DAYS, signedCheckpointOf } from './verify.ts';

/**
 * Retention (ENTENTE_AUDIT_RETENTION_DAYS, default 400, at least 183): entries older than the
 * retention are deleted in whole prefixes of their chain, each ending at a signed checkpoint
 * signed before the cut-off, which stays as the chain's new anchor: verification then starts
 * from it (the first remaining entry links to the anchor's hash). Each step is its own short
 * transaction, so the chain verifies between two steps too. The checkpoint must verify with the
 * signing keys and match its entry before anything is deleted. Each step is audited in the
 * store's platform chain (`audit.retention_applied`).
 */

export const RETENTION_JOB = 'platform.audit.retention';
export const RETENTION_EVERY_MS = 6 * 3_600_000;
/** Entries deleted per step (at least; a step ends at a checkpoint). */
const STEP = 10_000;

export interface RetentionResult {
  store: string;
  chain: string;
  anchorSeq: number;
  deleted: number;
}

export async function applyRetention(
  store: AuditStore,
  options: { retentionDays: number; keys: PublicKeys; now?: Date },
): Promise<RetentionResult[]> {
  if (!Number.isInteger(options.retentionDays) || options.retentionDays < MIN_RETENTION_DAYS) {
    throw new RangeError(`Audit retention must be at least ${MIN_RETENTION_DAYS} days`);
  }
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionDays * 86_400_000);
  const results: RetentionResult[] = [];
  for (const chain of await listChains(store.db)) {
    const firstSeq = await boundarySeq(store.db, chain, 'min');
    if (firstSeq === null) continue;
    const candidates = (await listCheckpoints(store.db, chain, firstSeq))
      .map(signedCheckpointOf)
      .filter((c) => Date.parse(c.time) < cutoff.getTime() && c.store === store.id && options.keys.verify(c.kid, checkpointMessage(c), c.signature));
    let done = firstSeq - 1;
    for (const [index, anchor] of candidates.entries()) {
      const isLast = index === candidates.length - 1;
      if (anchor.seq - done < STEP && !isLast) continue;
      // The anchor must be the entry it claims: a checkpoint that no longer matches is a problem
      // for `audit verify` to report, not a reason to delete evidence.
      const entry = await entryAt(store.db, chain, anchor.seq);
      if (!entry || Number(entry.seq) !== anchor.seq || entry.hash !== anchor.hash) break;
      const deleted = await store.db.transaction().execute(async (trx) => {
        const count = await deleteUpToAnchor(trx, chain, anchor.seq);
        await appendAuditEvent(trx, {
          id: uuidv7(),
          occurred_at: new Date(),
          actor_id: null,
          organisation_id: null,
          action: 'audit.retention_applied',
          resource_type: 'audit_chain',
          resource_id: chain,
          outcome: 'success',
          ip: null,
          request_id: null,
          details: { store: store.id, upToSeq: anchor.seq, deleted: count, retentionDays: options.retentionDays },
          chain_id: PLATFORM_CHAIN,
        });
        return count;
      });
      results.push({ store: store.id, chain, anchorSeq: anchor.seq, deleted });
      done = anchor.seq;
    }
  }
  return results;
}
