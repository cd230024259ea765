import type { Generated } from 'kysely';

/** One security event. The same shape in the control plane and in each cell. */
export interface AuditEventsTable {
  id: string;
  occurred_at: Date;
  /** Principal who acted, or null (anonymous, system). */
  actor_id: string | null;
  /** Organisation the event is accounted to: the unit of tamper-evident chains. */
  organisation_id: string | null;
  /** Dotted verb, e.g. `session.created`, `space.member_added`. */
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  request_id: string | null;
  /** Small structured details: ids and codes, never secrets or document content. */
  details: Generated<Record<string, unknown>>;
  /** The chain the entry belongs to in this store: the organisation's id, or `platform` (chain.ts). */
  chain_id: string;
  /** Position in the chain, from 1, without gaps. */
  seq: number;
  /** Hash of the previous entry of the chain (64 zeros for the first), lower-case hex. */
  prev_hash: string;
  /** SHA-256 of the entry's canonical encoding (chain.ts), lower-case hex. */
  hash: string;
}

/** The last entry of each chain of the store: the row appends lock to serialise (FOR UPDATE). */
export interface AuditChainHeadsTable {
  chain_id: string;
  seq: number;
  /** The hash of the entry before the head (what the append links the new entry to). */
  prev_hash: string;
  hash: string;
  updated_at: Date;
}

/** A signed statement "in store S, chain C, the entry at seq N has hash H" (checkpoints.ts). */
export interface AuditCheckpointsTable {
  id: string;
  store: string;
  chain_id: string;
  seq: number;
  hash: string;
  /** The signing time, part of what is signed. */
  signed_at: Date;
  /** JWK thumbprint (RFC 7638) of the Ed25519 public key. */
  key_id: string;
  /** Ed25519 signature, base64url. */
  signature: string;
}

declare module '../db/types.ts' {
  interface ControlPlaneTables {
    audit_events: AuditEventsTable;
    audit_chain_heads: AuditChainHeadsTable;
    audit_checkpoints: AuditCheckpointsTable;
  }
  interface CellTables {
    audit_events: AuditEventsTable;
    audit_chain_heads: AuditChainHeadsTable;
    audit_checkpoints: AuditCheckpointsTable;
  }
}
