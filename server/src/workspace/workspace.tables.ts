import type { ColumnType, Generated } from 'kysely';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { AssuranceLevel } from '../identity/federation/upstream.ts';

/**
 * Tables of the workspace module.
 *
 * Control plane (routing and authorisation only, pseudonymous ids): which cell a space lives in,
 * who is a member with which role, and a keyed hash of each pending invitation's address so that
 * an invitation can be matched at a first sign-in without the address leaving the space's cell.
 *
 * Cell (the space's jurisdiction): everything else — the space's name and description, the
 * documents, their encrypted Yjs update log and snapshots, versions, invitations' addresses.
 */
export const SPACE_ROLES = ['owner', 'editor', 'commenter', 'reader'] as const;
export type SpaceRole = (typeof SPACE_ROLES)[number];
/** Strongest first: a role includes the rights of every role after it. */
export const ROLE_RANK: Record<SpaceRole, number> = { owner: 4, editor: 3, commenter: 2, reader: 1 };

/**
 * Classification labels of a space, shared by both states' vocabularies (shown translated):
 * `public` (diffusable), `internal` (usage interne / non classifié), `restricted` (diffusion
 * restreinte / renseignements confidentiels). Nothing classified above that goes into Entente.
 */
export const CLASSIFICATIONS = ['public', 'internal', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

// ── control plane ────────────────────────────────────────────────────────────────────────────
export interface SpaceDirectoryTable {
  id: string;
  jurisdiction: Jurisdiction;
  created_at: Generated<Date>;
}

export interface SpaceMembersTable {
  space_id: string;
  principal_id: string;
  role: SpaceRole;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SpaceInvitationIndexTable {
  /** Same id as the invitation row in the space's cell. */
  id: string;
  space_id: string;
  /** HMAC-SHA256 (server secret) of the lower-cased address: matched at sign-in, never reversed. */
  email_hmac: string;
  role: SpaceRole;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  created_at: Generated<Date>;
}

// ── cell ─────────────────────────────────────────────────────────────────────────────────────
export interface SpacesTable {
  id: string;
  name: string;
  description: string;
  min_assurance: AssuranceLevel;
  classification: Classification;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Set when the space is deleted (spaces/delete-space.ts): from then on nothing reads it. */
  deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  deleted_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SpaceInvitationsTable {
  id: string;
  space_id: string;
  email: string;
  role: SpaceRole;
  invited_by: string;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

export interface DocumentsTable {
  id: string;
  space_id: string;
  parent_id: string | null;
  title: string;
  /** Order among siblings (fractional-free: renumbered on move). */
  position: number;
  /** When true, only `document_access` rows (and the space's owners) reach the document. */
  restricted: boolean;
  /** Changes when the content is replaced wholesale (import, space move, restore of a backup). */
  epoch: number;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  trashed_at: Date | null;
  trashed_by: string | null;
}

export interface DocumentAccessTable {
  document_id: string;
  principal_id: string;
  /** At most the member's space role (the lower of the two applies). */
  role: SpaceRole;
  created_at: Generated<Date>;
}

/** Append-only log of accepted Yjs updates, encrypted with the space's data key. */
export interface DocumentUpdatesTable {
  id: Generated<string>; // bigint identity, read as string
  document_id: string;
  epoch: number;
  key_version: number;
  data: Uint8Array;
  created_at: Generated<Date>;
}

/** The compacted state of a document up to `upto_update_id`, and its derived copies. */
export interface DocumentSnapshotsTable {
  document_id: string;
  epoch: number;
  key_version: number;
  state: Uint8Array;
  upto_update_id: string;
  /** Derived copies (plain, for search, export and the assistant). */
  content_json: unknown;
  content_markdown: string;
  content_text: string;
  content_hash: string;
  updated_at: Generated<Date>;
}

export interface DocumentVersionsTable {
  id: string;
  document_id: string;
  epoch: number;
  kind: 'auto' | 'named' | 'before_restore';
  name: string | null;
  key_version: number;
  state: Uint8Array;
  content_text: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

declare module '../platform/db/types.ts' {
  interface ControlPlaneTables {
    space_directory: SpaceDirectoryTable;
    space_members: SpaceMembersTable;
    space_invitation_index: SpaceInvitationIndexTable;
  }
  interface CellTables {
    spaces: SpacesTable;
    space_invitations: SpaceInvitationsTable;
    documents: DocumentsTable;
    document_access: DocumentAccessTable;
    document_updates: DocumentUpdatesTable;
    document_snapshots: DocumentSnapshotsTable;
    document_versions: DocumentVersionsTable;
  }
}
