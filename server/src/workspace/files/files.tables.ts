import type { Generated } from 'kysely';

/**
 * Tables of the files area (workspace/files/README.md). Everything about a space's files is in
 * the space's cell; the control plane holds only the quota overrides an operator sets (limits,
 * no content, no names).
 *
 * Bytes are objects of the cell's store, encrypted with the space's data key:
 * `spaces/<spaceId>/files/<fileId>/<versionId>` (a version's bytes), `spaces/<spaceId>/thumbnails/<versionId>`,
 * `spaces/<spaceId>/uploads/<uploadId>/<offset>-<partId>` (tus parts, while an upload lasts).
 */
export const FILE_KINDS = ['folder', 'file'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const FILE_STATUSES = ['clean', 'unscanned', 'quarantined'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];
export const UPLOAD_STATUSES = ['uploading', 'complete', 'quarantined'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

/** One tree per space: folders and files, names unique per folder among live items. */
export interface FilesTable {
  id: string;
  space_id: string;
  /** A folder of the same space, or null at the root. */
  parent_id: string | null;
  kind: FileKind;
  /** As shown: sanitised, NFC, trimmed, 1–255 characters (content-types.ts). */
  name: string;
  /** The name compared for uniqueness: NFC, lower case (computed in TypeScript, same on every server). */
  name_key: string;
  /** Files only: the version served (the latest upload, or a restored one). */
  current_version_id: string | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_by: string | null;
  updated_at: Generated<Date>;
  trashed_at: Date | null;
  trashed_by: string | null;
  /**
   * The item whose trashing took this one to the trash (itself for the item the agent trashed):
   * restoring that item restores exactly what went with it; the trash lists the items trashed directly.
   */
  trashed_with: string | null;
}

/** The versions of a file, never removed one by one (a file deleted for good takes all its versions). */
export interface FileVersionsTable {
  id: string;
  file_id: string;
  space_id: string;
  /** 1, 2, 3… per file. */
  number: number;
  /**
   * The encrypted object holding the bytes: `spaces/<spaceId>/files/<fileId>/<versionId>` of the
   * version that uploaded them. A restored version points to the object of the version it
   * restores (the bytes are not copied: versions are immutable and go away only with their file).
   */
  object_key: string;
  size: number;
  /** Detected from the bytes (content-types.ts), never the client's claim. */
  content_type: string;
  /** Hex SHA-256 of the plaintext. */
  sha256: string;
  status: FileStatus;
  /** The scanner's name for what it found, when quarantined. */
  signature: string | null;
  thumbnail_key: string | null;
  created_by: string | null;
  /**
   * The uploader's organisation, for its quota (usage = bytes its agents uploaded, in both cells);
   * null for restored versions (no new bytes) and agents without organisation.
   */
  organisation_id: string | null;
  /** Bytes counted in the quotas: `size` for an upload, 0 for a restored version (it shares its object). */
  billed_bytes: number;
  restored_from: string | null;
  created_at: Generated<Date>;
}

/** A tus upload in progress (or just finished, until it expires): its length is reserved in the quotas. */
export interface FileUploadsTable {
  id: string;
  space_id: string;
  created_by: string;
  organisation_id: string | null;
  /** The folder the new file goes into (null: the root); ignored for a new version. */
  folder_id: string | null;
  /** Set for a new version of this file. */
  file_id: string | null;
  /** Sanitised name of the new file. */
  filename: string;
  /** The client's claim (`filetype`): kept for the record, never used to decide anything. */
  declared_type: string | null;
  length: number;
  offset: number;
  status: UploadStatus;
  result_file_id: string | null;
  result_version_id: string | null;
  signature: string | null;
  expires_at: Date;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The stored pieces of an upload, one encrypted object per accepted PATCH body. */
export interface FileUploadPartsTable {
  upload_id: string;
  offset: number;
  length: number;
  object_key: string;
}

/**
 * Objects to delete once `not_before` has passed: the bytes of files deleted for good (at once),
 * and objects being written (a version, a thumbnail) that a crash could leave without a row —
 * their entry is removed when the row that owns them commits. The purge job works through it.
 */
export interface FileObjectDeletionsTable {
  object_key: string;
  space_id: string;
  not_before: Date;
  created_at: Generated<Date>;
}

/** Control plane: quota limits an operator set for a space or an organisation (absent: the configured default). */
export interface StorageQuotasTable {
  scope: 'space' | 'organisation';
  owner_id: string;
  /** Bytes; null: the default (the row then only serves as the lock of the organisation's quota). */
  limit_bytes: number | null;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    files: FilesTable;
    file_versions: FileVersionsTable;
    file_uploads: FileUploadsTable;
    file_upload_parts: FileUploadPartsTable;
    file_object_deletions: FileObjectDeletionsTable;
  }
  interface ControlPlaneTables {
    storage_quotas: StorageQuotasTable;
  }
}
