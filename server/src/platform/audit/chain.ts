import { createHash } from 'node:crypto';

/**
 * The canonical encoding and hash of an audit entry (docs/security.md, "Audit").
 *
 * Each store (the control plane, each cell) holds one chain per organisation — chain id = the
 * organisation's UUID — and one for events without organisation — chain id `platform`. An entry's
 * hash is
 *
 *     hash = lower-hex( SHA-256( UTF-8( JCS(entry) ) ) )
 *
 * where JCS is the JSON Canonicalization Scheme (RFC 8785: object keys sorted by UTF-16 code
 * units, no whitespace, ECMAScript number and string serialisation) and `entry` is the object
 *
 *     { "format": "entente-audit-entry/1", "chain", "seq", "prevHash",
 *       "id", "occurredAt", "actorId", "organisationId", "action", "resourceType", "resourceId",
 *       "outcome", "ip", "requestId", "details" }
 *
 * with every column of the row: `occurredAt` as ISO 8601 UTC with milliseconds
 * (`2026-11-29T10:00:00.000Z`), absent values as `null`, `details` as stored (a JSON object).
 * `prevHash` is the previous entry's hash, or 64 zeros (GENESIS) for the first entry of a chain.
 * Anybody can recompute it with a JCS library and SHA-256: nothing here is secret. Authenticity
 * comes from signed checkpoints (checkpoints.ts).
 */

export const ENTRY_FORMAT = 'entente-audit-entry/1';
export const GENESIS = '0'.repeat(64);
export const PLATFORM_CHAIN = 'platform';
const HASH = /^[0-9a-f]{64}$/;

/** An entry as the chain sees it: the row, with its time as an ISO string. */
export interface ChainEntry {
  chain: string;
  seq: number;
  prevHash: string;
  hash: string;
  id: string;
  occurredAt: string;
  actorId: string | null;
  organisationId: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: string;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export function chainIdFor(organisationId: string | null | undefined): string {
  return organisationId ?? PLATFORM_CHAIN;
}

export function isHash(value: unknown): value is string {
  return typeof value === 'string' && HASH.test(value);
}

/** RFC 8785 JSON Canonicalization Scheme for the JSON values audit entries hold. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      // JSON.stringify escapes exactly what RFC 8785 asks (", \, control characters, with the
      // short forms \b \t \n \f \r and \u00xx in lower case) and nothing else.
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('JCS: a number must be finite');
      // ECMAScript's Number-to-String is JCS's number serialisation (−0 becomes 0).
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const object = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is what RFC 8785 specifies.
      const keys = Object.keys(object)
        .filter((k) => object[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`JCS: cannot encode a ${typeof value}`);
  }
}

/**
 * The encoding of an entry split around its two chain-dependent values: encoding =
 * `beforePrev + prevHash + beforeSeq + seq + after`. The keys are sorted, so `prevHash` and `seq`
 * always sit at the same places; appends hand these parts to the database, which completes and
 * hashes them with the head it has just locked, in one statement (audit.repo.ts).
 */
export function entryEncodingParts(entry: Omit<ChainEntry, 'hash' | 'seq' | 'prevHash'>): { beforePrev: string; beforeSeq: string; after: string } {
  const members: [string, unknown][] = [
    ['format', ENTRY_FORMAT],
    ['chain', entry.chain],
    ['id', entry.id],
    ['occurredAt', entry.occurredAt],
    ['actorId', entry.actorId],
    ['organisationId', entry.organisationId],
    ['action', entry.action],
    ['resourceType', entry.resourceType],
    ['resourceId', entry.resourceId],
    ['outcome', entry.outcome],
    ['ip', entry.ip],
    ['requestId', entry.requestId],
    ['details', entry.details],
    ['prevHash', PREV],
    ['seq', SEQ],
  ];
  members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let text = '{';
  const parts: string[] = [];
  members.forEach(([key, value], i) => {
    text += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:`;
    if (value === PREV) {
      parts.push(`${text}"`);
      text = '"';
    } else if (value === SEQ) {
      parts.push(text);
      text = '';
    } else text += canonicalJson(value);
  });
  parts.push(`${text}}`);
  const [beforePrev, beforeSeq, after] = parts as [string, string, string];
  return { beforePrev, beforeSeq, after };
}

const PREV = Symbol('prevHash');
const SEQ = Symbol('seq');

/** The exact text that is hashed for an entry: JCS of the entry object (see the top of this file). */
export function entryEncoding(entry: Omit<ChainEntry, 'hash'>): string {
  const { beforePrev, beforeSeq, after } = entryEncodingParts(entry);
  return `${beforePrev}${entry.prevHash}${beforeSeq}${canonicalJson(entry.seq)}${after}`;
}

export function entryHash(entry: Omit<ChainEntry, 'hash'>): string {
  return createHash('sha256').update(entryEncoding(entry), 'utf8').digest('hex');
}

/** An audit row's columns (Date, snake_case), without its chain position. */
export interface AuditRowFields {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  organisation_id: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown> | string;
  chain_id: string;
}

/** A row's fields as the chain names them, without seq and hashes: what an append encodes. */
export function entryFieldsOfRow(row: AuditRowFields): Omit<ChainEntry, 'seq' | 'prevHash' | 'hash'> {
  return {
    chain: row.chain_id,
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    actorId: row.actor_id,
    organisationId: row.organisation_id,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    outcome: row.outcome,
    ip: row.ip,
    requestId: row.request_id,
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details,
  };
}

/** A stored row (Date, snake_case) as a chain entry. */
export function entryOfRow(row: AuditRowFields & { seq: number | string; prev_hash: string; hash: string }): ChainEntry {
  return { ...entryFieldsOfRow(row), seq: Number(row.seq), prevHash: row.prev_hash, hash: row.hash };
}

export const CHECKPOINT_FORMAT = 'entente-audit-checkpoint/1';

/** A checkpoint: "in this store, the entry of this chain at this seq has this hash", signed. */
export interface SignedCheckpoint {
  store: string;
  chain: string;
  seq: number;
  hash: string;
  /** Signing time, ISO 8601 UTC with milliseconds. */
  time: string;
  kid: string;
  /** Ed25519 over checkpointMessage(), base64url. */
  signature: string;
}

/** The exact text a checkpoint's signature covers (JCS, like entries). */
export function checkpointMessage(checkpoint: Pick<SignedCheckpoint, 'store' | 'chain' | 'seq' | 'hash' | 'time'>): string {
  return canonicalJson({
    format: CHECKPOINT_FORMAT,
    store: checkpoint.store,
    chain: checkpoint.chain,
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    time: checkpoint.time,
  });
}
