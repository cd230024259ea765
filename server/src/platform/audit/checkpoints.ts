import { uuidv7 } from '../ids.ts';
import { boundarySeq, chainPages, lastEntry, listChains } from './audit.repo.ts';
import type { AuditStore } from './audit-stores.ts';
import { checkpointMessage, entryOfRow } from './chain.ts';
import { type ChainProblem, ChainWalker } from './chain-walker.ts';
import { insertCheckpoint, latestCheckpoint } from './checkpoints.repo.ts';
import type { AuditSigningKeys } from './signing-keys.ts';
import { MIN_RETENTION_DAYS, signedCheckpointOf } from './verify.ts';

/**
 * Signed checkpoints. Periodically (the job `platform.audit.checkpoint`, every 10 minutes) and at
 * each export, the platform signs, for every chain that grew, `{store, chain, seq, hash, time}`
 * of its last entry with its Ed25519 key (signing-keys.ts; the signed text is
 * chain.ts#checkpointMessage). Before signing, it verifies the entries added since the previous
 * checkpoint (whose signature it checks too): a checkpoint never vouches for a chain already
 * broken. A checkpoint makes any later rewrite of the entries it covers detectable even by
 * someone who recomputes every hash, since they cannot sign.
 */

export const CHECKPOINT_JOB = 'platform.audit.checkpoint';
export const CHECKPOINT_EVERY_MS = 10 * 60_000;

export interface CheckpointResult {
  store: string;
  chain: string;
  /** The seq signed, or null when the chain had nothing new (or was broken). */
  seq: number | null;
  problem: ChainProblem | null;
}

export async function checkpointStore(
  store: AuditStore,
  keys: AuditSigningKeys,
  options: { chains?: readonly string[]; now?: () => Date } = {},
): Promise<CheckpointResult[]> {
  const chains = (await listChains(store.db)).filter((c) => !options.chains || options.chains.includes(c));
  const results: CheckpointResult[] = [];
  for (const chain of chains) results.push(await checkpointChain(store, chain, keys, options.now ?? (() => new Date())));
  return results;
}

export async function checkpointChain(store: AuditStore, chain: string, keys: AuditSigningKeys, now: () => Date = () => new Date()): Promise<CheckpointResult> {
  const target = await lastEntry(store.db, chain);
  const previousRow = await latestCheckpoint(store.db, chain);
  if (!target || (previousRow && Number(previousRow.seq) >= Number(target.seq))) return { store: store.id, chain, seq: null, problem: null };
  const previous = previousRow ? signedCheckpointOf(previousRow) : null;
  const targetSeq = Number(target.seq);
  const walker = new ChainWalker({
    store: store.id,
    chain,
    start: previous ? { kind: 'trusted', seq: previous.seq, hash: previous.hash } : { kind: 'stored', now: now(), anchorMinAgeMs: MIN_RETENTION_DAYS * 86_400_000 },
    checkpoints: [],
    keys,
  });
  if (previous) {
    // The point we continue from must itself be genuine.
    const genuine = previous.store === store.id && keys.has(previous.kid) && keys.verify(previous.kid, checkpointMessage(previous), previous.signature);
    if (!genuine) {
      return {
        store: store.id,
        chain,
        seq: null,
        problem: { store: store.id, chain, seq: previous.seq, id: null, kind: 'checkpoint_signature', detail: `the latest checkpoint (seq ${previous.seq}) does not verify with the signing keys` },
      };
    }
  }
  const from = previous ? previous.seq + 1 : ((await boundarySeq(store.db, chain, 'min')) ?? 1);
  outer: for await (const rows of chainPages(store.db, chain, from, 2000, targetSeq)) {
    for (const row of rows) if (!walker.push(entryOfRow(row))) break outer;
  }
  const problem = walker.finish();
  if (problem || walker.last?.seq !== targetSeq || walker.last.hash !== target.hash) {
    return {
      store: store.id,
      chain,
      seq: null,
      problem: problem ?? { store: store.id, chain, seq: targetSeq, id: target.id, kind: 'head_mismatch', detail: 'the last entry changed while it was being verified' },
    };
  }
  const time = now();
  const message = checkpointMessage({ store: store.id, chain, seq: targetSeq, hash: target.hash, time: time.toISOString() });
  const { kid, signature } = keys.sign(message);
  await insertCheckpoint(store.db, { id: uuidv7(), store: store.id, chain_id: chain, seq: targetSeq, hash: target.hash, signed_at: time, key_id: kid, signature });
  return { store: store.id, chain, seq: targetSeq, problem: null };
}
