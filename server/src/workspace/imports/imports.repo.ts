import { type Selectable, sql } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { DocumentImportsTable, ImportStatus } from './imports.tables.ts';
import './imports.tables.ts';
import '../images/images.tables.ts';
import '../workspace.tables.ts';

/** All SQL of document imports (cell of the space). jsonb values go as JSON text (see export.repo.ts). */

const COLUMNS = [
  'id',
  'space_id',
  'parent_id',
  'created_by',
  'file_name',
  'status',
  'total',
  'processed',
  'imported',
  'failed',
  'error',
  'report',
  'created_documents',
  'created_images',
  'created_at',
  'heartbeat_at',
  'completed_at',
] as const;

/** jsonb columns come back parsed (their ColumnType's select side). */
export type ImportRow = Selectable<DocumentImportsTable>;

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

function toRow(row: Record<string, unknown>): ImportRow {
  return {
    ...(row as unknown as ImportRow),
    report: parsed(row.report),
    created_documents: parsed<string[]>(row.created_documents),
    created_images: parsed<ImportRow['created_images']>(row.created_images),
  };
}

export async function insertImport(db: CellDb, row: { id: string; space_id: string; parent_id: string | null; created_by: string; file_name: string }): Promise<void> {
  await db
    .insertInto('document_imports')
    .values({ ...row, status: 'converting', error: null, completed_at: null })
    .execute();
}

/** The import if it is in one of `spaceIds` (the reader's spaces in this cell). */
export async function findImportAmong(db: CellDb, id: string, spaceIds: string[]): Promise<ImportRow | null> {
  if (spaceIds.length === 0) return null;
  const row = await db.selectFrom('document_imports').select(COLUMNS).where('id', '=', id).where('space_id', 'in', spaceIds).executeTakeFirst();
  return row ? toRow(row) : null;
}

export async function findImport(db: CellDb, id: string): Promise<ImportRow | null> {
  const row = await db.selectFrom('document_imports').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toRow(row) : null;
}

export async function updateProgress(db: CellDb, id: string, patch: { status?: ImportStatus; total?: number; processed?: number }): Promise<void> {
  await db
    .updateTable('document_imports')
    .set({ ...patch, heartbeat_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Recorded in the transaction that creates them: a crash after it still knows what to remove. */
export async function recordCreatedDocuments(db: CellDb, id: string, documentIds: string[]): Promise<void> {
  await db
    .updateTable('document_imports')
    .set({ created_documents: sql`${JSON.stringify(documentIds)}::jsonb`, status: 'creating', heartbeat_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Before the object is written: a crash between the two leaves a key the rollback removes. */
export async function recordCreatedImage(db: CellDb, id: string, image: { id: string; key: string }): Promise<void> {
  await db
    .updateTable('document_imports')
    .set({ created_images: sql`created_images || ${JSON.stringify([image])}::jsonb`, heartbeat_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function finishImport(
  db: CellDb,
  id: string,
  result: { status: 'done' | 'failed'; imported: number; failed: number; error: string | null; report: unknown; keepCreated: boolean },
): Promise<void> {
  await db
    .updateTable('document_imports')
    .set({
      status: result.status,
      imported: result.imported,
      failed: result.failed,
      error: result.error,
      report: sql`${JSON.stringify(result.report)}::jsonb`,
      // Once rolled back there is nothing left to remove.
      ...(result.keepCreated ? {} : { created_documents: sql`'[]'::jsonb`, created_images: sql`'[]'::jsonb` }),
      heartbeat_at: sql<Date>`now()`,
      completed_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Imports of this cell whose process stopped signalling before they finished. */
export async function listAbandonedImports(db: CellDb, before: Date): Promise<ImportRow[]> {
  const rows = await db
    .selectFrom('document_imports')
    .select(COLUMNS)
    .where('status', 'in', ['converting', 'creating'])
    .where('heartbeat_at', '<', before)
    .orderBy('heartbeat_at')
    .limit(20)
    .execute();
  return rows.map(toRow);
}

/** Takes an abandoned import for its rollback (false if another node took it first). */
export async function claimAbandoned(db: CellDb, id: string, before: Date): Promise<boolean> {
  const result = await db
    .updateTable('document_imports')
    .set({ heartbeat_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', 'in', ['converting', 'creating'])
    .where('heartbeat_at', '<', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Rollback: the images' rows (no foreign key to their document, on purpose: images.tables.ts). */
export async function deleteImageRows(db: CellDb, spaceId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('document_images').where('space_id', '=', spaceId).where('id', 'in', ids).execute();
}

/** Rollback: the documents created (their content, access rows and descendants go by cascade). */
export async function deleteDocumentRows(db: CellDb, spaceId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('documents').where('space_id', '=', spaceId).where('id', 'in', ids).execute();
}
