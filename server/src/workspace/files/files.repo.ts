import { type Selectable, sql } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { FileKind, FileStatus, FilesTable, FileVersionsTable } from './files.tables.ts';
import './files.tables.ts';
import '../workspace.tables.ts';

/** All SQL of the files tree and its versions (the space's cell). */

export interface ItemRow {
  id: string;
  space_id: string;
  parent_id: string | null;
  kind: FileKind;
  name: string;
  current_version_id: string | null;
  created_by: string;
  updated_by: string | null;
  updated_at: Date;
  trashed_at: Date | null;
  trashed_with: string | null;
  /** Of the current version (null for folders). */
  size: number | null;
  content_type: string | null;
  status: FileStatus | null;
  thumbnail_key: string | null;
  version_count: number;
}

export type VersionRow = Selectable<FileVersionsTable>;

function items(db: CellDb) {
  return db
    .selectFrom('files as f')
    .leftJoin('file_versions as v', 'v.id', 'f.current_version_id')
    .select((eb) => [
      'f.id',
      'f.space_id',
      'f.parent_id',
      'f.kind',
      'f.name',
      'f.current_version_id',
      'f.created_by',
      'f.updated_by',
      'f.updated_at',
      'f.trashed_at',
      'f.trashed_with',
      'v.size',
      'v.content_type',
      'v.status',
      'v.thumbnail_key',
      eb.selectFrom('file_versions as c').select(eb.fn.countAll<number>().as('n')).whereRef('c.file_id', '=', 'f.id').as('version_count'),
    ]);
}

function normalise(row: Omit<ItemRow, 'version_count'> & { version_count: number | null }): ItemRow {
  return { ...row, version_count: Number(row.version_count ?? 0) };
}

/** Live items of a folder (null: the root), folders first, then by name. */
export async function listChildren(db: CellDb, spaceId: string, parentId: string | null): Promise<ItemRow[]> {
  const rows = await items(db)
    .where('f.space_id', '=', spaceId)
    .where('f.parent_id', parentId === null ? 'is' : '=', parentId)
    .where('f.trashed_at', 'is', null)
    .orderBy(sql`f.kind = 'file'`)
    .orderBy('f.name_key')
    .orderBy('f.id')
    .execute();
  return rows.map(normalise);
}

/** What the agent put in the trash (each item trashed directly; its descendants go and come back with it), latest first. */
export async function listTrashRoots(db: CellDb, spaceId: string): Promise<ItemRow[]> {
  const rows = await items(db)
    .where('f.space_id', '=', spaceId)
    .where('f.trashed_at', 'is not', null)
    .whereRef('f.trashed_with', '=', 'f.id')
    .orderBy('f.trashed_at', 'desc')
    .orderBy('f.id')
    .execute();
  return rows.map(normalise);
}

export async function findItem(db: CellDb, spaceId: string, id: string): Promise<ItemRow | undefined> {
  const row = await items(db).where('f.space_id', '=', spaceId).where('f.id', '=', id).executeTakeFirst();
  return row ? normalise(row) : undefined;
}

/** An item among the given spaces (those the actor is a member of): its space, to check the role there. */
export async function findItemAmong(db: CellDb, id: string, spaceIds: readonly string[]): Promise<{ id: string; space_id: string } | undefined> {
  if (spaceIds.length === 0) return undefined;
  return db.selectFrom('files').select(['id', 'space_id']).where('id', '=', id).where('space_id', 'in', spaceIds).executeTakeFirst();
}

/** The folders from the root down to `id` (included), for the breadcrumb and cycle checks. */
export async function ancestry(db: CellDb, id: string): Promise<{ id: string; name: string; parent_id: string | null }[]> {
  const result = await sql<{ id: string; name: string; parent_id: string | null; depth: number }>`
    with recursive chain (id, name, parent_id, depth) as (
      select f.id, f.name, f.parent_id, 0 from files f where f.id = ${id}
      union all
      select p.id, p.name, p.parent_id, c.depth + 1
        from files p join chain c on p.id = c.parent_id
       where c.depth < 1000
    )
    select id, name, parent_id, depth from chain order by depth desc`.execute(db);
  return result.rows.map(({ id: itemId, name, parent_id }) => ({ id: itemId, name, parent_id }));
}

/**
 * The item and everything under it, however deep: `union` (not `union all`) stops on rows already
 * found, so even a cycle ends. No depth cap: a cap would leave the deepest items out of the
 * creators check and the objects of a delete for good.
 */
export async function subtreeIds(db: CellDb, id: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive tree (id) as (
      select f.id from files f where f.id = ${id}
      union
      select c.id from files c join tree t on c.parent_id = t.id
    )
    select id from tree`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Levels of folders below the folder `id` (0: none), counted up to `cap`. */
export async function folderHeight(db: CellDb, id: string, cap: number): Promise<number> {
  const result = await sql<{ height: number | string | null }>`
    with recursive tree (id, depth) as (
      select f.id, 0 from files f where f.id = ${id}
      union all
      select c.id, t.depth + 1 from files c join tree t on c.parent_id = t.id where c.kind = 'folder' and t.depth < ${cap}
    )
    select max(depth) as height from tree`.execute(db);
  return Number(result.rows[0]?.height ?? 0);
}

/** The live item of the folder with this name key, other than `exceptId`. */
export async function findLiveNamesake(db: CellDb, spaceId: string, parentId: string | null, key: string, exceptId?: string): Promise<{ id: string; kind: FileKind; name: string } | undefined> {
  let query = db
    .selectFrom('files')
    .select(['id', 'kind', 'name'])
    .where('space_id', '=', spaceId)
    .where('parent_id', parentId === null ? 'is' : '=', parentId)
    .where('name_key', '=', key)
    .where('trashed_at', 'is', null);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

export interface NewItem {
  id: string;
  space_id: string;
  parent_id: string | null;
  kind: FileKind;
  name: string;
  name_key: string;
  created_by: string;
  updated_by: string;
}

export async function insertItem(db: CellDb, row: NewItem, at: Date): Promise<void> {
  await db
    .insertInto('files')
    .values({ ...row, current_version_id: null, created_at: at, updated_at: at, trashed_at: null, trashed_by: null, trashed_with: null })
    .execute();
}

export async function updateItem(
  db: CellDb,
  id: string,
  patch: Partial<Pick<FilesTable, 'name' | 'name_key' | 'parent_id' | 'current_version_id' | 'updated_by'>> & { updated_at: Date },
): Promise<void> {
  await db.updateTable('files').set(patch).where('id', '=', id).execute();
}

/** Moves the live items among `ids` to the trash, recording `root` as the item trashed directly. */
export async function trashItems(db: CellDb, ids: readonly string[], root: string, by: string, at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('files')
    .set({ trashed_at: at, trashed_by: by, trashed_with: root })
    .where('id', 'in', ids)
    .where('trashed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Brings back the items among `ids` that went to the trash with `root`. */
export async function restoreItems(db: CellDb, ids: readonly string[], root: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('files')
    .set({ trashed_at: null, trashed_by: null, trashed_with: null })
    .where('id', 'in', ids)
    .where('trashed_with', '=', root)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes the item; its subtree and every version go with it (foreign keys cascade). */
export async function deleteItem(db: CellDb, id: string): Promise<void> {
  await db.deleteFrom('files').where('id', '=', id).execute();
}

/** Who created each item of the subtree (delete for good: the uploader may delete only what is theirs). */
export async function creatorsOf(db: CellDb, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('files').select('created_by').distinct().where('id', 'in', ids).execute();
  return rows.map((r) => r.created_by);
}

/** Every object the versions of these files use (bytes and thumbnails). */
export async function objectKeysOf(db: CellDb, fileIds: readonly string[]): Promise<string[]> {
  if (fileIds.length === 0) return [];
  const rows = await db.selectFrom('file_versions').select(['object_key', 'thumbnail_key']).where('file_id', 'in', fileIds).execute();
  return [...new Set(rows.flatMap((r) => (r.thumbnail_key ? [r.object_key, r.thumbnail_key] : [r.object_key])))];
}

export async function listVersions(db: CellDb, fileId: string): Promise<VersionRow[]> {
  return db.selectFrom('file_versions').selectAll().where('file_id', '=', fileId).orderBy('number', 'desc').execute();
}

export async function findVersion(db: CellDb, fileId: string, versionId: string): Promise<VersionRow | undefined> {
  return db.selectFrom('file_versions').selectAll().where('file_id', '=', fileId).where('id', '=', versionId).executeTakeFirst();
}

export async function nextVersionNumber(db: CellDb, fileId: string): Promise<number> {
  const row = await db.selectFrom('file_versions').select((eb) => eb.fn.max('number').as('n')).where('file_id', '=', fileId).executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

export async function insertVersion(db: CellDb, row: Omit<VersionRow, 'created_at'> & { created_at: Date }): Promise<void> {
  await db.insertInto('file_versions').values(row).execute();
}

/** Trash roots older than `before`, in any space of the cell (the purge job). */
export async function expiredTrashRoots(db: CellDb, before: Date, limit: number): Promise<{ id: string; space_id: string }[]> {
  return db
    .selectFrom('files')
    .select(['id', 'space_id'])
    .where('trashed_at', '<', before)
    .whereRef('trashed_with', '=', 'id')
    .orderBy('trashed_at')
    .limit(limit)
    .execute();
}

/** Locks the space's row (the same lock as the documents tree): tree changes of one space are serialised, so concurrent moves cannot make a cycle. */
export async function lockSpace(db: CellDb, spaceId: string): Promise<boolean> {
  const row = await db.selectFrom('spaces').select('id').where('id', '=', spaceId).forUpdate().executeTakeFirst();
  return row !== undefined;
}

// ── objects waiting to be deleted ───────────────────────────────────────────────────────────

export async function scheduleObjectDeletions(db: CellDb, spaceId: string, keys: readonly string[], notBefore: Date): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('file_object_deletions')
    .values(keys.map((key) => ({ object_key: key, space_id: spaceId, not_before: notBefore })))
    .onConflict((oc) => oc.column('object_key').doUpdateSet({ not_before: notBefore }))
    .execute();
}

/** The objects are now owned by committed rows: nothing to delete. */
export async function cancelObjectDeletions(db: CellDb, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.deleteFrom('file_object_deletions').where('object_key', 'in', keys).execute();
}

export async function dueObjectDeletions(db: CellDb, now: Date, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('file_object_deletions').select('object_key').where('not_before', '<=', now).orderBy('not_before').limit(limit).execute();
  return rows.map((r) => r.object_key);
}

/** Whether a version row still uses the object (a pending deletion of an object in use is dropped, never carried out). */
export async function objectInUse(db: CellDb, key: string): Promise<boolean> {
  const bytes = await db.selectFrom('file_versions').select('id').where('object_key', '=', key).limit(1).executeTakeFirst();
  if (bytes) return true;
  const thumbnail = await db.selectFrom('file_versions').select('id').where('thumbnail_key', '=', key).limit(1).executeTakeFirst();
  return thumbnail !== undefined;
}
