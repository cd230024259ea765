import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { boundarySeq, chainPages, firstSeqSince } from './audit.repo.ts';
import type { AuditStore } from './audit-stores.ts';
import { canonicalJson, type ChainEntry, entryOfRow, isHash, type SignedCheckpoint } from './chain.ts';
import { type ChainProblem, ChainWalker } from './chain-walker.ts';
import { checkpointChain } from './checkpoints.ts';
import { listCheckpoints } from './checkpoints.repo.ts';
import { type AuditSigningKeys, PublicKeys, type PublicSigningKey } from './signing-keys.ts';
import { signedCheckpointOf } from './verify.ts';

/**
 * An organisation's audit export, JSON Lines (docs/operations.md, "Audit"), for its SIEM and for
 * a verifier that has no access to Entente's databases:
 *
 *   - one line per event, `{"type":"event","store":…,"chain":…,"seq":…,"prevHash":…,"hash":…,
 *     "id":…,"occurredAt":…,"actorId":…,"organisationId":…,"action":…,"resourceType":…,
 *     "resourceId":…,"outcome":…,"ip":…,"requestId":…,"details":{…}}`, the organisation's chain
 *     of each store (control, fr, qc) in turn, in sequence order;
 *   - then one line per checkpoint of those chains, `{"type":"checkpoint","store","chain","seq",
 *     "hash","time","kid","signature"}` (one is signed at export, on each chain's last entry);
 *   - a final line `{"type":"end","format":"entente-audit-export/1","organisationId","since",
 *     "exportedAt","chains":[{store,chain,firstSeq,lastSeq,lastHash,entries}],"keys":[public
 *     keys as JWK],"kid","signature"}`, signed (Ed25519 over the JCS of the line without
 *     `signature`), so that removing lines at the end is detected too.
 *
 * Every line is JCS (RFC 8785). Each chain verifies on its own: recompute each entry's hash
 * (chain.ts), follow prevHash, check the checkpoints' signatures and hashes, and the end line.
 * Compare the key ids with `GET /api/audit/signing-keys` of the Entente that produced it.
 */

export const EXPORT_FORMAT = 'entente-audit-export/1';

interface ChainSummary {
  store: string;
  chain: string;
  firstSeq: number;
  lastSeq: number;
  lastHash: string;
  entries: number;
}

export interface ExportResult {
  lines: number;
  chains: ChainSummary[];
  /** Chains that could not be checkpointed at export because they do not verify. */
  problems: ChainProblem[];
}

export async function exportOrganisation(options: {
  stores: readonly AuditStore[];
  organisationId: string;
  since?: Date | null;
  keys: AuditSigningKeys;
  write: (line: string) => void | Promise<void>;
  now?: () => Date;
  pageSize?: number;
}): Promise<ExportResult> {
  const { organisationId, keys, write } = options;
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 2000;
  const chains: ChainSummary[] = [];
  const problems: ChainProblem[] = [];
  const checkpointLines: string[] = [];
  let lines = 0;
  for (const store of options.stores) {
    const signed = await checkpointChain(store, organisationId, keys, now);
    if (signed.problem) problems.push(signed.problem);
    const from = options.since ? await firstSeqSince(store.db, organisationId, options.since) : await boundarySeq(store.db, organisationId, 'min');
    if (from === null) continue;
    let summary: ChainSummary | null = null;
    for await (const rows of chainPages(store.db, organisationId, from, pageSize)) {
      for (const row of rows) {
        const entry = entryOfRow(row);
        await write(canonicalJson({ type: 'event', store: store.id, ...entry }));
        lines++;
        summary ??= { store: store.id, chain: organisationId, firstSeq: entry.seq, lastSeq: entry.seq, lastHash: entry.hash, entries: 0 };
        summary.lastSeq = entry.seq;
        summary.lastHash = entry.hash;
        summary.entries++;
      }
    }
    if (!summary) continue;
    chains.push(summary);
    // The anchor-like checkpoint just before the first exported entry is useful to a verifier too.
    for (const checkpoint of await listCheckpoints(store.db, organisationId, summary.firstSeq - 1)) {
      checkpointLines.push(canonicalJson({ type: 'checkpoint', ...signedCheckpointOf(checkpoint) }));
    }
  }
  for (const line of checkpointLines) {
    await write(line);
    lines++;
  }
  const end = {
    type: 'end',
    format: EXPORT_FORMAT,
    organisationId,
    since: options.since ? options.since.toISOString() : null,
    exportedAt: now().toISOString(),
    chains,
    keys: keys.list(),
  };
  const { kid, signature } = keys.sign(canonicalJson({ ...end, kid: keys.currentKid }));
  await write(canonicalJson({ ...end, kid, signature }));
  lines++;
  return { lines, chains, problems };
}

export interface ExportVerification {
  ok: boolean;
  organisationId: string | null;
  exportedAt: string | null;
  chains: { store: string; chain: string; entries: number; checkpoints: number; problem: ChainProblem | null }[];
  /** Problems of the file itself (not JSON, no end line, bad end signature, unknown keys). */
  fileProblems: string[];
  /** Key ids that signed: compare them with GET /api/audit/signing-keys. */
  keyIds: string[];
}

/**
 * Verifies an export file with nothing but the file (and optionally the public keys to trust,
 * e.g. saved from `GET /api/audit/signing-keys`; without them the keys in the file are used and
 * their ids are reported for comparison). Two passes: checkpoints and the end line, then events.
 */
export async function verifyExportFile(file: string, options: { trustedKeys?: readonly PublicSigningKey[] } = {}): Promise<ExportVerification> {
  const fileProblems: string[] = [];
  const checkpoints = new Map<string, SignedCheckpoint[]>();
  let end: Record<string, unknown> | null = null;
  let lineNo = 0;
  let afterEnd = false;
  for await (const line of lines(file)) {
    lineNo++;
    if (line.trim() === '') continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      fileProblems.push(`line ${lineNo}: not JSON`);
      continue;
    }
    if (afterEnd) fileProblems.push(`line ${lineNo}: after the end line`);
    if (parsed.type === 'checkpoint') {
      const checkpoint = asCheckpoint(parsed);
      if (!checkpoint) fileProblems.push(`line ${lineNo}: malformed checkpoint`);
      else {
        const key = `${checkpoint.store}\u0000${checkpoint.chain}`;
        checkpoints.set(key, [...(checkpoints.get(key) ?? []), checkpoint]);
      }
    } else if (parsed.type === 'end') {
      if (end) fileProblems.push(`line ${lineNo}: a second end line`);
      end = parsed;
      afterEnd = true;
    } else if (parsed.type !== 'event') fileProblems.push(`line ${lineNo}: unknown line type`);
  }
  const result: ExportVerification = { ok: false, organisationId: null, exportedAt: null, chains: [], fileProblems, keyIds: [] };
  if (!end) {
    fileProblems.push('no end line: the export is incomplete (truncated?)');
    return result;
  }
  result.organisationId = typeof end.organisationId === 'string' ? end.organisationId : null;
  result.exportedAt = typeof end.exportedAt === 'string' ? end.exportedAt : null;
  let keys: PublicKeys;
  try {
    keys = new PublicKeys(options.trustedKeys ?? (end.keys as PublicSigningKey[]));
  } catch (error) {
    fileProblems.push(`the public keys are malformed: ${(error as Error).message}`);
    return result;
  }
  const { signature, ...signedPart } = end;
  const kid = typeof end.kid === 'string' ? end.kid : '';
  result.keyIds = [...new Set([kid, ...[...checkpoints.values()].flat().map((c) => c.kid)])].filter(Boolean);
  if (typeof signature !== 'string' || !keys.verify(kid, canonicalJson(signedPart), signature)) {
    fileProblems.push(keys.has(kid) ? 'the end line’s signature does not verify' : `the end line is signed by ${kid || '(none)'}, not a trusted key`);
  }
  const summaries = Array.isArray(end.chains) ? (end.chains as ChainSummary[]) : [];
  if (result.organisationId === null || !Array.isArray(end.chains)) fileProblems.push('the end line is malformed');

  const walkers = new Map<string, ChainWalker>();
  for (const summary of summaries) {
    walkers.set(
      `${summary.store}\u0000${summary.chain}`,
      new ChainWalker({ store: summary.store, chain: summary.chain, start: { kind: 'as_found' }, checkpoints: checkpoints.get(`${summary.store}\u0000${summary.chain}`) ?? [], keys }),
    );
  }
  lineNo = 0;
  for await (const line of lines(file)) {
    lineNo++;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (parsed.type !== 'event') continue;
    const entry = asEntry(parsed);
    const walker = entry ? walkers.get(`${String(parsed.store)}\u0000${entry.chain}`) : undefined;
    if (!entry || !walker) {
      fileProblems.push(`line ${lineNo}: ${entry ? 'an event of a chain the end line does not list' : 'malformed event'}`);
      continue;
    }
    walker.push(entry);
  }
  for (const summary of summaries) {
    const walker = walkers.get(`${summary.store}\u0000${summary.chain}`) as ChainWalker;
    let problem = walker.finish();
    if (!problem && (walker.first?.seq !== summary.firstSeq || walker.last?.seq !== summary.lastSeq || walker.last?.hash !== summary.lastHash || walker.count !== summary.entries)) {
      problem = {
        store: summary.store,
        chain: summary.chain,
        seq: walker.last ? walker.last.seq + 1 : summary.firstSeq,
        id: null,
        kind: 'export_mismatch',
        detail: `the end line lists seq ${summary.firstSeq}–${summary.lastSeq} (${summary.entries} entries), the file holds ${walker.first?.seq ?? '-'}–${walker.last?.seq ?? '-'} (${walker.count})`,
      };
    }
    result.chains.push({ store: summary.store, chain: summary.chain, entries: walker.count, checkpoints: walker.checkpointsVerified, problem });
  }
  result.ok = fileProblems.length === 0 && result.chains.every((c) => c.problem === null);
  return result;
}

function lines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
}

const text = (v: unknown): v is string => typeof v === 'string';
const textOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

function asEntry(line: Record<string, unknown>): ChainEntry | null {
  const { chain, seq, prevHash, hash, id, occurredAt, actorId, organisationId, action, resourceType, resourceId, outcome, ip, requestId, details } = line;
  if (!text(chain) || typeof seq !== 'number' || !Number.isSafeInteger(seq) || !isHash(prevHash) || !isHash(hash) || !text(id) || !text(occurredAt)) return null;
  if (!textOrNull(actorId) || !textOrNull(organisationId) || !text(action) || !textOrNull(resourceType) || !textOrNull(resourceId) || !text(outcome)) return null;
  if (!textOrNull(ip) || !textOrNull(requestId) || typeof details !== 'object' || details === null || Array.isArray(details)) return null;
  return { chain, seq, prevHash, hash, id, occurredAt, actorId, organisationId, action, resourceType, resourceId, outcome, ip, requestId, details: details as Record<string, unknown> };
}

function asCheckpoint(line: Record<string, unknown>): SignedCheckpoint | null {
  const { store, chain, seq, hash, time, kid, signature } = line;
  if (!text(store) || !text(chain) || typeof seq !== 'number' || !Number.isSafeInteger(seq) || !isHash(hash) || !text(time) || !text(kid) || !text(signature)) return null;
  return { store, chain, seq, hash, time, kid, signature };
}
