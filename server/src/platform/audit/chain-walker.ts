import { type ChainEntry, chainIdFor, checkpointMessage, entryHash, GENESIS, type SignedCheckpoint } from './chain.ts';
import type { PublicKeys } from './signing-keys.ts';

/**
 * Walks one chain entry by entry, in sequence order, and stops at the first thing wrong. The same
 * walker serves `audit verify` on a database, the checkpoint job (which verifies what it is about
 * to sign) and the verification of an export file without any database.
 */

export type ProblemKind =
  /** The entry's content does not give its stored hash: edited (or its seq changed). */
  | 'hash_mismatch'
  /** prev_hash is not the previous entry's hash: an entry was inserted, deleted or reordered. */
  | 'broken_link'
  /** A sequence number is missing: an entry was deleted. */
  | 'missing_entry'
  /** Two entries claim one sequence number. */
  | 'duplicate_entry'
  /** Entries out of order (in an export file). */
  | 'out_of_order'
  /** The entry is filed in a chain that is not its organisation's. */
  | 'wrong_chain'
  /** The chain starts after seq 1 without a signed checkpoint just before (retention's anchor). */
  | 'unanchored_start'
  /** The anchor was signed too recently for retention to have deleted what is before it. */
  | 'young_anchor'
  /** A checkpoint's signature does not verify. */
  | 'checkpoint_signature'
  /** A checkpoint is signed by a key that is not in the key file (or the export's keys). */
  | 'checkpoint_unknown_key'
  /** A checkpoint signed for another store or chain. */
  | 'checkpoint_misplaced'
  /** A valid checkpoint names another hash than the entry at its seq: the chain was rewritten. */
  | 'checkpoint_mismatch'
  /** A checkpoint names a seq beyond the chain's last entry: the end was cut off. */
  | 'checkpoint_beyond_end'
  /** The chain's head row does not match its last entry (tail cut off, or forged appends). */
  | 'head_mismatch'
  /** An export's signed summary does not match its lines. */
  | 'export_mismatch';

export interface ChainProblem {
  store: string;
  chain: string;
  /** The first bad entry's (or checkpoint's) sequence number, when there is one. */
  seq: number | null;
  /** The id of the entry found at that place, when there is one. */
  id: string | null;
  kind: ProblemKind;
  /** Short technical detail (expected/found), English. */
  detail: string;
}

export type WalkStart =
  /** A stored chain: from seq 1 (GENESIS), or from retention's anchor checkpoint. */
  | { kind: 'stored'; now: Date; anchorMinAgeMs: number }
  /** Continue after a point already verified and signed (the checkpoint job). */
  | { kind: 'trusted'; seq: number; hash: string }
  /** An export from a date: the first entry's prev_hash is taken as found. */
  | { kind: 'as_found' };

export interface WalkOptions {
  store: string;
  chain: string;
  start: WalkStart;
  checkpoints: readonly SignedCheckpoint[];
  keys: PublicKeys | null;
}

export class ChainWalker {
  readonly store: string;
  readonly chain: string;
  problem: ChainProblem | null = null;
  count = 0;
  first: { seq: number; id: string } | null = null;
  last: { seq: number; hash: string; id: string } | null = null;
  /** Valid checkpoints matched against their entry. */
  checkpointsVerified = 0;
  lastCheckpointSeq: number | null = null;
  anchor: SignedCheckpoint | null = null;
  readonly #start: WalkStart;
  readonly #keys: PublicKeys | null;
  readonly #checkpoints: readonly SignedCheckpoint[];
  readonly #bySeq = new Map<number, SignedCheckpoint[]>();

  constructor(options: WalkOptions) {
    this.store = options.store;
    this.chain = options.chain;
    this.#start = options.start;
    this.#keys = options.keys;
    this.#checkpoints = options.checkpoints;
    for (const checkpoint of options.checkpoints) {
      const list = this.#bySeq.get(checkpoint.seq) ?? [];
      list.push(checkpoint);
      this.#bySeq.set(checkpoint.seq, list);
    }
  }

  /** Feeds the next entry; false once a problem was found (the walk stops there). */
  push(entry: ChainEntry): boolean {
    if (this.problem) return false;
    const fail = (kind: ProblemKind, detail: string, seq: number | null = entry.seq) => {
      this.problem = { store: this.store, chain: this.chain, seq, id: entry.id, kind, detail };
      return false;
    };
    if (entry.chain !== this.chain) return fail('wrong_chain', `entry filed in chain ${entry.chain}, walking ${this.chain}`);
    const previous = this.last;
    if (!previous) {
      const start = this.#start;
      if (start.kind === 'trusted') {
        if (entry.seq !== start.seq + 1) return fail(entry.seq > start.seq + 1 ? 'missing_entry' : 'out_of_order', `expected seq ${start.seq + 1}, found ${entry.seq}`, start.seq + 1);
        if (entry.prevHash !== start.hash) return fail('broken_link', `prev_hash ${entry.prevHash} is not the hash ${start.hash} of seq ${start.seq}`);
      } else if (entry.seq === 1 || start.kind === 'as_found') {
        if (entry.seq === 1 && entry.prevHash !== GENESIS) return fail('broken_link', 'the first entry of a chain must link to GENESIS (64 zeros)');
        if (entry.seq < 1) return fail('out_of_order', `seq ${entry.seq} below 1`);
      } else {
        const anchors = (this.#bySeq.get(entry.seq - 1) ?? []).filter((c) => this.#checkpointProblem(c) === null);
        const anchor = anchors[0];
        if (!anchor) {
          return fail('unanchored_start', `the chain starts at seq ${entry.seq} with no valid signed checkpoint at seq ${entry.seq - 1}: entries 1–${entry.seq - 1} were deleted`, 1);
        }
        if (entry.prevHash !== anchor.hash) return fail('broken_link', `prev_hash ${entry.prevHash} is not the anchor's hash ${anchor.hash}`);
        const age = start.now.getTime() - Date.parse(anchor.time);
        if (age < start.anchorMinAgeMs) {
          return fail('young_anchor', `entries up to seq ${anchor.seq} are gone but their anchor was signed ${anchor.time}, within the shortest retention allowed`, 1);
        }
        this.anchor = anchor;
      }
      this.first = { seq: entry.seq, id: entry.id };
    } else {
      if (entry.seq === previous.seq) return fail('duplicate_entry', `a second entry at seq ${entry.seq} (first: ${previous.id})`);
      if (entry.seq < previous.seq) return fail('out_of_order', `seq ${entry.seq} after seq ${previous.seq}`);
      if (entry.seq > previous.seq + 1) return fail('missing_entry', `seq ${previous.seq + 1} is missing (next found: ${entry.seq})`, previous.seq + 1);
    }
    const computed = entryHash(entry);
    if (computed !== entry.hash) return fail('hash_mismatch', `content hashes to ${computed}, stored hash is ${entry.hash}`);
    if (previous && entry.prevHash !== previous.hash) return fail('broken_link', `prev_hash ${entry.prevHash} is not the hash ${previous.hash} of seq ${previous.seq} (${previous.id})`);
    if (entry.chain !== chainIdFor(entry.organisationId)) return fail('wrong_chain', `an entry of organisation ${entry.organisationId ?? '(none)'} in chain ${entry.chain}`);
    for (const checkpoint of this.#bySeq.get(entry.seq) ?? []) {
      const problem = this.#checkpointProblem(checkpoint);
      if (problem) return fail(problem.kind, problem.detail);
      if (checkpoint.hash !== entry.hash) return fail('checkpoint_mismatch', `the checkpoint signed ${checkpoint.time} says ${checkpoint.hash}, the entry is ${entry.hash}: the chain was rewritten up to here`);
      this.checkpointsVerified++;
      this.lastCheckpointSeq = entry.seq;
    }
    this.last = { seq: entry.seq, hash: entry.hash, id: entry.id };
    this.count++;
    return true;
  }

  /** After the last entry: checkpoints beyond it mean the end of the chain was cut off. */
  finish(): ChainProblem | null {
    if (this.problem) return this.problem;
    const lastSeq = this.last?.seq ?? (this.#start.kind === 'trusted' ? this.#start.seq : 0);
    const beyond = this.#checkpoints.filter((c) => c.seq > lastSeq).sort((a, b) => a.seq - b.seq)[0];
    const invalid = beyond ? this.#checkpointProblem(beyond) : null;
    if (beyond && invalid) {
      this.problem = { store: this.store, chain: this.chain, seq: beyond.seq, id: null, ...invalid };
    } else if (beyond) {
      this.problem = {
        store: this.store,
        chain: this.chain,
        seq: lastSeq + 1,
        id: null,
        kind: 'checkpoint_beyond_end',
        detail: `a checkpoint signed ${beyond.time} covers seq ${beyond.seq}, the chain ends at ${lastSeq}: entries ${lastSeq + 1}–${beyond.seq} were deleted`,
      };
    }
    return this.problem;
  }

  /** Entries after the last checkpoint: chained, but a rewrite of them would go unnoticed. */
  get unsignedTail(): number {
    if (!this.last) return 0;
    const covered = this.lastCheckpointSeq ?? this.anchor?.seq ?? (this.#start.kind === 'trusted' ? this.#start.seq : (this.first?.seq ?? 1) - 1);
    return this.last.seq - covered;
  }

  #checkpointProblem(checkpoint: SignedCheckpoint): { kind: ProblemKind; detail: string } | null {
    if (checkpoint.store !== this.store || checkpoint.chain !== this.chain) {
      return { kind: 'checkpoint_misplaced', detail: `the checkpoint at seq ${checkpoint.seq} was signed for ${checkpoint.store}/${checkpoint.chain}` };
    }
    if (!this.#keys?.has(checkpoint.kid)) {
      return { kind: 'checkpoint_unknown_key', detail: `the checkpoint at seq ${checkpoint.seq} is signed by ${checkpoint.kid}, which is not a known signing key` };
    }
    if (!this.#keys.verify(checkpoint.kid, checkpointMessage(checkpoint), checkpoint.signature)) {
      return { kind: 'checkpoint_signature', detail: `the signature of the checkpoint at seq ${checkpoint.seq} does not verify` };
    }
    return null;
  }
}
