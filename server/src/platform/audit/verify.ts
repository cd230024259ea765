import { boundarySeq, chainPages, findChainHead, listChains } from './audit.repo.ts';
import type { AuditStore } from './audit-stores.ts';
import { entryOfRow, type SignedCheckpoint } from './chain.ts';
import { type ChainProblem, ChainWalker } from './chain-walker.ts';
import { type CheckpointRow, listCheckpoints } from './checkpoints.repo.ts';
import type { PublicKeys } from './signing-keys.ts';

/**
 * `audit verify` on the databases: every chain of every store, entry by entry, in pages read by
 * short statements (on PGlite the one connection is never held for long), recomputing each hash,
 * checking links, sequence continuity, the retention anchor, every checkpoint's signature and
 * that it matches its entry, and the chain's head row. Stops each chain at its first bad entry.
 */

/** Retention never deletes entries younger than this (config: ENTENTE_AUDIT_RETENTION_DAYS ≥ 183). */
export const MIN_RETENTION_DAYS = 183;
const DAY_MS = 86_400_000;

export interface ChainReport {
  store: string;
  chain: string;
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Retention's anchor (the chain starts after it), if any. */
  anchorSeq: number | null;
  checkpoints: number;
  lastCheckpointSeq: number | null;
  /** Entries after the last checkpoint: chained but not yet signed. */
  unsignedTail: number;
  problem: ChainProblem | null;
}

export interface VerifyOptions {
  keys: PublicKeys | null;
  /** Only these chains (an organisation's id, or `platform`). */
  chains?: readonly string[];
  now?: Date;
  pageSize?: number;
  /** Called after each page (progress for long runs). */
  onProgress?: (report: { store: string; chain: string; entries: number }) => void;
}

export const signedCheckpointOf = (row: CheckpointRow): SignedCheckpoint => ({
  store: row.store,
  chain: row.chain_id,
  seq: Number(row.seq),
  hash: row.hash,
  time: row.signed_at.toISOString(),
  kid: row.key_id,
  signature: row.signature,
});

export async function verifyStore(store: AuditStore, options: VerifyOptions): Promise<ChainReport[]> {
  const chains = (await listChains(store.db)).filter((c) => !options.chains || options.chains.includes(c));
  const reports: ChainReport[] = [];
  for (const chain of chains) reports.push(await verifyChain(store, chain, options));
  return reports;
}

export async function verifyChain(store: AuditStore, chain: string, options: VerifyOptions): Promise<ChainReport> {
  const pageSize = options.pageSize ?? 2000;
  const checkpoints = (await listCheckpoints(store.db, chain)).map(signedCheckpointOf);
  const walker = new ChainWalker({
    store: store.id,
    chain,
    start: { kind: 'stored', now: options.now ?? new Date(), anchorMinAgeMs: MIN_RETENTION_DAYS * DAY_MS },
    checkpoints,
    keys: options.keys,
  });
  const walk = async (fromSeq: number) => {
    for await (const rows of chainPages(store.db, chain, fromSeq, pageSize)) {
      for (const row of rows) if (!walker.push(entryOfRow(row))) return;
      options.onProgress?.({ store: store.id, chain, entries: walker.count });
    }
  };
  await walk((await boundarySeq(store.db, chain, 'min')) ?? 1);
  // The head row must be the last entry. Appends may land while we walk: read on, a few times.
  for (let attempt = 0; !walker.problem && attempt < 5; attempt++) {
    const head = await findChainHead(store.db, chain);
    const last = walker.last;
    if (head && last && head.seq === last.seq && head.hash === last.hash) break;
    if (!head && !last) break;
    if (head && (!last || head.seq > last.seq) && attempt < 4) {
      await walk(last ? last.seq + 1 : ((await boundarySeq(store.db, chain, 'min')) ?? 1));
      continue;
    }
    walker.problem = {
      store: store.id,
      chain,
      seq: head && last && head.seq > last.seq ? last.seq + 1 : (last?.seq ?? null),
      id: head && last && head.seq > last.seq ? null : (last?.id ?? null),
      kind: 'head_mismatch',
      detail: head
        ? `the chain's head says seq ${head.seq} (${head.hash}), its last entry is seq ${last?.seq ?? 0}${last ? ` (${last.hash})` : ''}`
        : `entries up to seq ${last?.seq} exist but the chain has no head row`,
    };
  }
  const problem = walker.finish();
  return {
    store: store.id,
    chain,
    entries: walker.count,
    firstSeq: walker.first?.seq ?? null,
    lastSeq: walker.last?.seq ?? null,
    anchorSeq: walker.anchor?.seq ?? null,
    checkpoints: walker.checkpointsVerified,
    lastCheckpointSeq: walker.lastCheckpointSeq,
    unsignedTail: walker.unsignedTail,
    problem,
  };
}
