import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import type { Classification } from '../workspace.tables.ts';

/**
 * Classification levels of spaces (control plane) and documents (the space's cell). The columns
 * (migrations 20261130110000) are declared here only, with `withTables`, so that the rows the rest
 * of the workspace selects keep their shape.
 */
interface LevelColumn {
  classification: string | null;
}
const control = (db: ControlDb) => db.withTables<{ space_directory: LevelColumn }>();
const cell = (db: CellDb) => db.withTables<{ documents: LevelColumn }>();

export interface SpaceLevelRow {
  id: string;
  jurisdiction: 'FR' | 'QC';
  classification: string | null;
}

export async function findSpaceLevels(db: ControlDb, spaceIds: readonly string[]): Promise<SpaceLevelRow[]> {
  if (spaceIds.length === 0) return [];
  return control(db).selectFrom('space_directory').select(['id', 'jurisdiction', 'classification']).where('id', 'in', spaceIds).execute();
}

export async function updateSpaceLevel(db: ControlDb, spaceId: string, level: string | null): Promise<void> {
  await control(db).updateTable('space_directory').set({ classification: level }).where('id', '=', spaceId).execute();
}

/** The workspace labels (public, internal, restricted) of spaces of one cell. */
export async function findWorkspaceLabels(db: CellDb, spaceIds: readonly string[]): Promise<{ id: string; classification: Classification }[]> {
  if (spaceIds.length === 0) return [];
  return db.selectFrom('spaces').select(['id', 'classification']).where('id', 'in', spaceIds).execute();
}

export async function findDocumentLevels(db: CellDb, documentIds: readonly string[]): Promise<{ id: string; space_id: string; classification: string | null }[]> {
  if (documentIds.length === 0) return [];
  return cell(db).selectFrom('documents').select(['id', 'space_id', 'classification']).where('id', 'in', documentIds).execute();
}

export async function updateDocumentLevel(db: CellDb, documentId: string, level: string | null): Promise<void> {
  await cell(db).updateTable('documents').set({ classification: level }).where('id', '=', documentId).execute();
}

/** A duplicate keeps the original's own level: copying a page must not be a way to lower it. */
export async function copyDocumentLevel(db: CellDb, fromId: string, toId: string): Promise<void> {
  const [from] = await findDocumentLevels(db, [fromId]);
  if (from?.classification) await updateDocumentLevel(db, toId, from.classification);
}
