import type { Generated } from 'kysely';

/**
 * One row per space created by `entente import` (cell of the new space): where it came from, the
 * mapping from the archive's ids to the new ones (internal links and parents were rewritten with
 * it), who could not be re-attached, and the audit extract of the source, kept verbatim as an
 * encrypted object (`spaces/<spaceId>/imports/<importId>/audit.jsonl`) — a record of what happened
 * elsewhere, never replayed into this instance's hash chains as if it had happened here.
 *
 * `status` is `importing` until the space is complete and visible; an import whose process died
 * leaves such a row with an old `heartbeat_at`, and the next import removes that half space.
 */
export interface SpaceImportsTable {
  id: string;
  space_id: string;
  status: 'importing' | 'complete';
  source_instance: string;
  source_space_id: string;
  /** When the archive was made. */
  source_created_at: Date;
  format_version: number;
  /** SHA-256 of the archive's manifest.json (it holds the SHA-256 of every entry). */
  manifest_sha256: string;
  audit_object_key: string | null;
  audit_sha256: string | null;
  audit_events: number;
  /** `{ documents: {old: new}, images: …, files: …, fileVersions: …, documentVersions: … }`. */
  mapping: Generated<Record<string, Record<string, string>>>;
  /** What was not re-attached (members whose principal does not exist here) and counts. */
  report: Generated<Record<string, unknown>>;
  started_at: Generated<Date>;
  heartbeat_at: Generated<Date>;
  completed_at: Date | null;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    space_imports: SpaceImportsTable;
  }
}
