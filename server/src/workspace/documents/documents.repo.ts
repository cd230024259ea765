import { type Selectable, sql } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { DocumentsTable, SpaceRole } from '../workspace.tables.ts';
import { grantedRole } from '../access.repo.ts';
import '../workspace.tables.ts';

/** All SQL of the documents tree (the space's cell). */
export type DocumentRow = Omit<Selectable<DocumentsTable>, 'created_at' | 'created_by' | 'trashed_by'>;
export type ListedDocument = DocumentRow & { granted_role: SpaceRole | null };

const COLUMNS = ['id', 'space_id', 'parent_id', 'title', 'position', 'restricted', 'epoch', 'updated_at', 'trashed_at'] as const;

/**
 * The space's documents (in or out of the trash), each with the principal's `document_access`
 * row: the caller filters restricted ones (access.ts's rule) before anything is shown.
 */
export async function listDocumentRows(db: CellDb, spaceId: string, principalId: string, trashed: boolean): Promise<ListedDocument[]> {
  return db
    .selectFrom('documents as d')
    .select([
      'd.id',
      'd.space_id',
      'd.parent_id',
      'd.title',
      'd.position',
      'd.restricted',
      'd.epoch',
      'd.updated_at',
      'd.trashed_at',
      grantedRole(principalId),
    ])
    .where('d.space_id', '=', spaceId)
    .where('d.trashed_at', trashed ? 'is not' : 'is', null)
    .orderBy('d.parent_id')
    .orderBy('d.position')
    .orderBy('d.id')
    .execute();
}

export async function findDocumentRow(db: CellDb, id: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('documents').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function findDocumentInSpace(db: CellDb, spaceId: string, id: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('documents').select(COLUMNS).where('id', '=', id).where('space_id', '=', spaceId).executeTakeFirst();
}

/**
 * Locks the space's row for the transaction: changes of the tree are serialised per space, so
 * two concurrent moves cannot each pass the cycle check and together make a loop.
 */
export async function lockSpaceTree(db: CellDb, spaceId: string): Promise<boolean> {
  const row = await db.selectFrom('spaces').select('id').where('id', '=', spaceId).forUpdate().executeTakeFirst();
  return row !== undefined;
}

export async function insertDocumentRow(
  db: CellDb,
  row: { id: string; space_id: string; parent_id: string | null; title: string; position: number; restricted: boolean; created_by: string },
): Promise<DocumentRow> {
  return db.insertInto('documents').values({ ...row, epoch: 1 }).returning(COLUMNS).executeTakeFirstOrThrow();
}

/** Siblings under `parentId` (null: the root), in order, the given document excluded. */
export async function siblingIds(db: CellDb, spaceId: string, parentId: string | null, exceptId?: string): Promise<string[]> {
  let query = db
    .selectFrom('documents')
    .select('id')
    .where('space_id', '=', spaceId)
    .where('parent_id', parentId === null ? 'is' : '=', parentId)
    .orderBy('position')
    .orderBy('id');
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.execute()).map((r) => r.id);
}

/** Positions 0, 1, 2… in the given order (rows whose position is already right are left alone). */
export async function renumber(db: CellDb, ids: readonly string[]): Promise<void> {
  for (const [position, id] of ids.entries()) {
    await db.updateTable('documents').set({ position }).where('id', '=', id).where('position', '!=', position).execute();
  }
}

export async function nextPosition(db: CellDb, spaceId: string, parentId: string | null): Promise<number> {
  const row = await db
    .selectFrom('documents')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('space_id', '=', spaceId)
    .where('parent_id', parentId === null ? 'is' : '=', parentId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

/** The document and its ancestors' ids, walking up (a recursive query, bounded by the tree). */
export async function ancestorIds(db: CellDb, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from documents where id = ${id}
      union all
      select d.id, d.parent_id, up.depth + 1 from documents d join up on d.id = up.parent_id where up.depth < 10000
    )
    select id from up`.execute(db);
  return result.rows.map((r) => r.id);
}

/** The document and all its descendants' ids. */
export async function subtreeIds(db: CellDb, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive down(id, depth) as (
      select id, 0 from documents where id = ${id}
      union all
      select d.id, down.depth + 1 from documents d join down on d.parent_id = down.id where down.depth < 10000
    )
    select id from down`.execute(db);
  return result.rows.map((r) => r.id);
}

export async function updateDocumentRow(
  db: CellDb,
  id: string,
  patch: Partial<Pick<Selectable<DocumentsTable>, 'title' | 'parent_id' | 'position' | 'restricted'>>,
): Promise<DocumentRow> {
  return db
    .updateTable('documents')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Sends these documents to the trash with one timestamp (those already there keep theirs). */
export async function trashRows(db: CellDb, ids: readonly string[], by: string, at: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('documents')
    .set({ trashed_at: at, trashed_by: by })
    .where('id', 'in', ids)
    .where('trashed_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Takes out of the trash those of these documents trashed at `at` (together with the one restored). */
export async function restoreRows(db: CellDb, ids: readonly string[], at: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('documents')
    .set({ trashed_at: null, trashed_by: null })
    .where('id', 'in', ids)
    .where('trashed_at', '=', at)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes for good (its descendants, access list, log, snapshots and versions go by cascade). */
export async function deleteDocumentRow(db: CellDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('documents').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function listAccessRows(db: CellDb, documentId: string): Promise<{ principal_id: string; role: SpaceRole }[]> {
  return db.selectFrom('document_access').select(['principal_id', 'role']).where('document_id', '=', documentId).orderBy('created_at').execute();
}

export async function replaceAccessRows(db: CellDb, documentId: string, entries: readonly { principalId: string; role: SpaceRole }[]): Promise<void> {
  await db.deleteFrom('document_access').where('document_id', '=', documentId).execute();
  if (entries.length === 0) return;
  await db
    .insertInto('document_access')
    .values(entries.map((e) => ({ document_id: documentId, principal_id: e.principalId, role: e.role })))
    .execute();
}

/**
 * Adds one principal to a document's access list, atomically: two agents granting at once both
 * end up listed (no read-modify-write). False when they were listed already (then nothing changes).
 */
export async function insertAccessRow(db: CellDb, documentId: string, entry: { principalId: string; role: SpaceRole }): Promise<boolean> {
  const inserted = await db
    .insertInto('document_access')
    .values({ document_id: documentId, principal_id: entry.principalId, role: entry.role })
    .onConflict((oc) => oc.columns(['document_id', 'principal_id']).doNothing())
    .returning('principal_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Removes a principal from the access lists of every document of a space (they left it). */
export async function deleteAccessRowsOf(db: CellDb, spaceId: string, principalId: string): Promise<number> {
  const result = await db
    .deleteFrom('document_access')
    .where('principal_id', '=', principalId)
    .where('document_id', 'in', (eb) => eb.selectFrom('documents').select('id').where('space_id', '=', spaceId))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Gives `toId` the same access list as `fromId` (a copy, or a child of a restricted document). */
export async function copyAccessRows(db: CellDb, fromId: string, toId: string): Promise<void> {
  await db
    .insertInto('document_access')
    .columns(['document_id', 'principal_id', 'role'])
    .expression((eb) => eb.selectFrom('document_access').select([eb.val(toId).as('document_id'), 'principal_id', 'role']).where('document_id', '=', fromId))
    .execute();
}

/** Demo seeding: a document with a fixed id, once. */
export async function insertDocumentIfAbsent(
  db: CellDb,
  row: { id: string; space_id: string; parent_id: string | null; title: string; position: number; created_by: string },
): Promise<void> {
  await db
    .insertInto('documents')
    .values({ ...row, restricted: false, epoch: 1 })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Whether the document has any stored content (an update in its log or a snapshot). */
export async function hasStoredContent(db: CellDb, documentId: string): Promise<boolean> {
  const update = await db.selectFrom('document_updates').select('id').where('document_id', '=', documentId).limit(1).executeTakeFirst();
  if (update) return true;
  const snapshot = await db.selectFrom('document_snapshots').select('document_id').where('document_id', '=', documentId).executeTakeFirst();
  return snapshot !== undefined;
}
