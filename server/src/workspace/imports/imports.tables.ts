import type { ColumnType, Generated } from 'kysely';

/**
 * Imports of Markdown, HTML and DOCX files into a space, in the space's cell (migration
 * 20261129205000). A row follows one upload: converting → creating → done | failed, with counts
 * for the progress bar and the per-file report. `created_documents` and `created_images` are
 * written before the content, so a rollback — now, or after a crash — knows what to remove.
 */
export const IMPORT_STATUSES = ['converting', 'creating', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** A jsonb column with a default: read parsed, written as JSON text (or left to its default). */
type Json<T> = ColumnType<T, string | undefined, string>;

export interface DocumentImportsTable {
  id: string;
  space_id: string;
  parent_id: string | null;
  created_by: string;
  file_name: string;
  status: ImportStatus;
  total: Generated<number>;
  processed: Generated<number>;
  imported: Generated<number>;
  failed: Generated<number>;
  error: string | null;
  report: Json<unknown>;
  created_documents: Json<string[]>;
  created_images: Json<{ id: string; key: string }[]>;
  created_at: Generated<Date>;
  heartbeat_at: Generated<Date>;
  completed_at: Date | null;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    document_imports: DocumentImportsTable;
  }
}
