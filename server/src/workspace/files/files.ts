import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { isUuid, uuidv7 } from '../../platform/ids.ts';
import { requireNotMoving, roleAtLeast } from '../access.ts';
import { findMemberships } from '../access.repo.ts';
import { type AuditTrx, type RequestMeta, requireActor, requireAssuranceFor } from '../spaces/deps.ts';
import { namesOf } from '../spaces/members.ts';
import { loadSpace, spacePath } from '../spaces/spaces.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import { nameKey, numberedName, validName } from './content-types.ts';
import { spaceChanged } from '../live/space-events.ts';
import { type FilesDeps, fileEvent, fileUrl, nowOf } from './deps.ts';
import {
  ancestry,
  cancelObjectDeletions,
  creatorsOf,
  deleteItem,
  dueObjectDeletions,
  expiredTrashRoots,
  findItem,
  findItemAmong,
  findLiveNamesake,
  findVersion,
  folderHeight,
  insertItem,
  insertVersion,
  type ItemRow,
  listChildren,
  listTrashRoots,
  listVersions,
  lockSpace,
  nextVersionNumber,
  objectInUse,
  objectKeysOf,
  restoreItems,
  scheduleObjectDeletions,
  subtreeIds,
  trashItems,
  updateItem,
} from './files.repo.ts';
import type { FileKind, FileStatus } from './files.tables.ts';
import { organisationOf, type QuotaView, quotaView } from './quotas.ts';

/**
 * The files area of a space: one tree of folders and files, versions, trash. Readers list and
 * download; editors upload, create folders, rename, move, trash, restore and restore versions;
 * owners — and whoever created everything concerned — delete for good, from the trash only.
 * Non-members get 404 (as for a space that does not exist). Changes and content need a session
 * at the space's minimum level of assurance; listing does not (the UI then offers the step-up).
 * Tree changes lock the space's row (as the documents tree does), so that concurrent moves cannot
 * together make a cycle and names stay unique per folder.
 */
export interface FileItem {
  id: string;
  kind: FileKind;
  name: string;
  parentId: string | null;
  size: number | null;
  contentType: string | null;
  status: FileStatus;
  versionCount: number;
  updatedAt: string;
  updatedBy: { id: string; name: string } | null;
  trashedAt: string | null;
  thumbnailUrl: string | null;
  downloadUrl: string | null;
}

export interface FilesListing {
  folder: { id: string; name: string; parentId: string | null } | null;
  path: { id: string; name: string }[];
  items: FileItem[];
  quota: QuotaView;
  canEdit: boolean;
}

export interface FileVersionView {
  id: string;
  number: number;
  size: number;
  contentType: string;
  status: FileStatus;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  current: boolean;
}

/** Where a file-area request acts: the space, its cell, the actor's role there. */
export interface SpaceContext {
  spaceId: string;
  jurisdiction: Jurisdiction;
  role: SpaceRole;
  minAssurance: AssuranceLevel;
  /** Being moved to the other cell (`entente spaces move`): readable, not writable. */
  moving: boolean;
}

/** Days an item stays in the trash before the purge job deletes it for good. */
export const TRASH_RETENTION_DAYS = 30;

/**
 * How deep folders may nest (the root's children are at level 1): a bound on every walk of the
 * tree (breadcrumbs, exports), checked when a folder is created or moved (409 `too_deep`).
 */
export const MAX_FOLDER_DEPTH = 64;

/** The item that has the name, said with the refusal: the client offers « new version » or « keep both » (members see its name anyway). */
export const nameTaken = (existing: { id: string; kind: FileKind; name: string }) =>
  new AppError('file_name_taken', { status: 409, extensions: { existingId: existing.id, existingKind: existing.kind, existingName: existing.name } });
export const nameInvalid = () => new AppError('file_name_invalid', { status: 400 });
export const inTrash = () => new AppError('file_in_trash', { status: 409 });
const notInTrash = () => new AppError('file_not_in_trash', { status: 409 });
const moveRefused = (reason: 'cycle' | 'not_a_folder' | 'parent_in_trash' | 'too_deep') =>
  new AppError('file_move_refused', { status: 409, params: { reason, limit: MAX_FOLDER_DEPTH }, extensions: { reason } });
export const quarantined = () => new AppError('file_quarantined', { status: 403 });

// ── access ──────────────────────────────────────────────────────────────────────────────────

/** The space for a files request; 404 for a non-member or a space that does not exist. */
export async function spaceContext(stores: Stores, actor: Actor, spaceId: string): Promise<SpaceContext> {
  const { access, space } = await loadSpace(stores, actor, spaceId);
  return {
    spaceId: access.spaceId,
    jurisdiction: access.jurisdiction,
    role: access.role,
    minAssurance: space.min_assurance,
    moving: access.moving ?? false,
  };
}

/** A change (or content) needs `needed` and the space's level of assurance. */
export function requireRole(actor: Actor, ctx: SpaceContext, needed: SpaceRole): void {
  if (!roleAtLeast(ctx.role, needed)) throw forbidden();
  requireAssuranceFor(actor, ctx.minAssurance, spacePath(ctx.spaceId));
  // Anything above reading changes the space, which a move holds read-only.
  if (needed !== 'reader') requireNotMoving(ctx);
}

/**
 * An item of one of the actor's spaces, found by asking only the cells of their spaces; 404 for
 * anything else (an id of another space reveals nothing).
 */
export async function itemContext(stores: Stores, actor: Actor, rawId: string): Promise<{ ctx: SpaceContext; item: ItemRow }> {
  const id = rawId.toLowerCase();
  if (!isUuid(id)) throw notFound();
  const memberships = await findMemberships(stores.control.db, actor.principalId);
  for (const jurisdiction of JURISDICTIONS) {
    const spaceIds = memberships.filter((m) => m.jurisdiction === jurisdiction).map((m) => m.space_id);
    const found = await findItemAmong(stores.cells[jurisdiction].db, id, spaceIds);
    if (!found) continue;
    const ctx = await spaceContext(stores, actor, found.space_id);
    const item = await findItem(stores.cells[ctx.jurisdiction].db, ctx.spaceId, id);
    if (!item) throw notFound();
    return { ctx, item };
  }
  throw notFound();
}

// ── views ───────────────────────────────────────────────────────────────────────────────────

type Names = Awaited<ReturnType<typeof namesOf>>;

function personOf(names: Names, id: string | null): { id: string; name: string } | null {
  if (!id) return null;
  const person = names.get(id);
  return person ? { id, name: `${person.givenName} ${person.familyName}`.trim() } : null;
}

export function itemView(row: ItemRow, names: Names): FileItem {
  const isFile = row.kind === 'file';
  const status: FileStatus = isFile ? (row.status ?? 'unscanned') : 'clean';
  const readable = isFile && row.current_version_id !== null && status !== 'quarantined';
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    parentId: row.parent_id,
    size: isFile ? row.size : null,
    contentType: isFile ? row.content_type : null,
    status,
    versionCount: isFile ? row.version_count : 0,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: personOf(names, row.updated_by),
    trashedAt: row.trashed_at?.toISOString() ?? null,
    // The version in the address: a new version is a new image, the old one may stay cached.
    thumbnailUrl: readable && row.thumbnail_key ? `${fileUrl(row.id)}/thumbnail?version=${row.current_version_id}` : null,
    downloadUrl: readable ? `${fileUrl(row.id)}/content` : null,
  };
}

export async function itemViews(stores: Stores, rows: ItemRow[]): Promise<FileItem[]> {
  const names = await namesOf(stores, [...new Set(rows.flatMap((r) => (r.updated_by ? [r.updated_by] : [])))]);
  return rows.map((row) => itemView(row, names));
}

export async function viewOf(stores: Stores, db: CellDb, spaceId: string, id: string): Promise<FileItem> {
  const row = await findItem(db, spaceId, id);
  if (!row) throw notFound();
  const [view] = await itemViews(stores, [row]);
  return view as FileItem;
}

// ── listing ─────────────────────────────────────────────────────────────────────────────────

export async function listFiles(
  deps: FilesDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  query: { folderId?: string | undefined; view?: 'trash' | undefined },
): Promise<FilesListing> {
  const actor = requireActor(actorOrNull);
  const ctx = await spaceContext(deps.stores, actor, spaceId);
  const db = deps.stores.cells[ctx.jurisdiction].db;
  let folder: FilesListing['folder'] = null;
  let path: FilesListing['path'] = [];
  let rows: ItemRow[];
  if (query.view === 'trash') {
    rows = await listTrashRoots(db, ctx.spaceId);
  } else {
    if (query.folderId) {
      const row = await findItem(db, ctx.spaceId, query.folderId.toLowerCase());
      if (row?.kind !== 'folder' || row.trashed_at) throw notFound();
      folder = { id: row.id, name: row.name, parentId: row.parent_id };
      path = (await ancestry(db, row.id)).map(({ id, name }) => ({ id, name }));
    }
    rows = await listChildren(db, ctx.spaceId, folder?.id ?? null);
  }
  return {
    folder,
    path,
    items: await itemViews(deps.stores, rows),
    quota: await quotaView(deps, actor, ctx.spaceId, ctx.jurisdiction),
    canEdit: roleAtLeast(ctx.role, 'editor'),
  };
}

// ── tree changes ────────────────────────────────────────────────────────────────────────────

/** A live folder of the space (the destination of a new item or a move), checked in the transaction. */
async function liveFolder(trx: CellDb, spaceId: string, folderId: string | null): Promise<void> {
  if (folderId === null) return;
  const parent = await findItem(trx, spaceId, folderId);
  if (!parent) throw notFound();
  if (parent.kind !== 'folder') throw moveRefused('not_a_folder');
  if (parent.trashed_at) throw moveRefused('parent_in_trash');
}

export async function createFolder(
  deps: FilesDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  input: { name: string; parentId: string | null },
  meta: RequestMeta,
): Promise<FileItem> {
  const actor = requireActor(actorOrNull);
  const ctx = await spaceContext(deps.stores, actor, spaceId);
  requireRole(actor, ctx, 'editor');
  const name = validName(input.name);
  if (!name) throw nameInvalid();
  const parentId = input.parentId?.toLowerCase() ?? null;
  const organisationId = await organisationOf(deps.stores, actor);
  const db = deps.stores.cells[ctx.jurisdiction].db;
  const id = uuidv7();
  await db.transaction().execute(async (trx) => {
    if (!(await lockSpace(trx, ctx.spaceId))) throw notFound();
    await liveFolder(trx, ctx.spaceId, parentId);
    if (parentId !== null && (await ancestry(trx, parentId)).length + 1 > MAX_FOLDER_DEPTH) throw moveRefused('too_deep');
    const existing = await findLiveNamesake(trx, ctx.spaceId, parentId, nameKey(name));
    if (existing) throw nameTaken(existing);
    await insertItem(trx, { id, space_id: ctx.spaceId, parent_id: parentId, kind: 'folder', name, name_key: nameKey(name), created_by: actor.principalId, updated_by: actor.principalId }, nowOf(deps));
    await deps.audit.record(
      { ...fileEvent(actor, ctx.jurisdiction, 'workspace.folder.created', { type: 'folder', id }, meta, { spaceId: ctx.spaceId, parentId }), organisationId },
      trx as unknown as AuditTrx,
    );
  });
  await spaceChanged(deps, ctx.spaceId, 'files');
  return viewOf(deps.stores, db, ctx.spaceId, id);
}

/** Rename and/or move (`parentId: null`: to the root). A folder cannot go into itself or below itself. */
export async function updateFile(
  deps: FilesDeps,
  actorOrNull: Actor | null,
  fileId: string,
  patch: { name?: string | undefined; parentId?: string | null | undefined },
  meta: RequestMeta,
): Promise<FileItem> {
  const actor = requireActor(actorOrNull);
  const { ctx, item } = await itemContext(deps.stores, actor, fileId);
  requireRole(actor, ctx, 'editor');
  const name = patch.name === undefined ? undefined : validName(patch.name);
  if (name === null) throw nameInvalid();
  const organisationId = await organisationOf(deps.stores, actor);
  const db = deps.stores.cells[ctx.jurisdiction].db;
  await db.transaction().execute(async (trx) => {
    if (!(await lockSpace(trx, ctx.spaceId))) throw notFound();
    const current = await findItem(trx, ctx.spaceId, item.id);
    if (!current) throw notFound();
    if (current.trashed_at) throw inTrash();
    const parentId = patch.parentId === undefined ? current.parent_id : (patch.parentId?.toLowerCase() ?? null);
    const newName = name ?? current.name;
    const moving = parentId !== current.parent_id;
    const renaming = newName !== current.name;
    if (!moving && !renaming) return;
    if (moving) {
      await liveFolder(trx, ctx.spaceId, parentId);
      // Into itself or one of its descendants: the item's subtree (walked whole, however deep) holds the destination.
      if (parentId !== null && (await subtreeIds(trx, current.id)).includes(parentId)) throw moveRefused('cycle');
      // Bounded depth: the deepest folder moved must stay within MAX_FOLDER_DEPTH.
      if (parentId !== null && current.kind === 'folder') {
        const level = (await ancestry(trx, parentId)).length + 1;
        if (level + (await folderHeight(trx, current.id, MAX_FOLDER_DEPTH)) > MAX_FOLDER_DEPTH) throw moveRefused('too_deep');
      }
    }
    const existing = await findLiveNamesake(trx, ctx.spaceId, parentId, nameKey(newName), current.id);
    if (existing) throw nameTaken(existing);
    const at = nowOf(deps);
    await updateItem(trx, current.id, { name: newName, name_key: nameKey(newName), parent_id: parentId, updated_by: actor.principalId, updated_at: at });
    const resource = { type: current.kind, id: current.id } as const;
    if (renaming) {
      // The names themselves stay out of the audit log (they may be personal data): ids only.
      await deps.audit.record({ ...fileEvent(actor, ctx.jurisdiction, 'workspace.file.renamed', resource, meta, { spaceId: ctx.spaceId, kind: current.kind }), organisationId }, trx as unknown as AuditTrx);
    }
    if (moving) {
      await deps.audit.record(
        { ...fileEvent(actor, ctx.jurisdiction, 'workspace.file.moved', resource, meta, { spaceId: ctx.spaceId, kind: current.kind, from: current.parent_id, to: parentId }), organisationId },
        trx as unknown as AuditTrx,
      );
    }
  });
  await spaceChanged(deps, ctx.spaceId, 'files');
  return viewOf(deps.stores, db, ctx.spaceId, item.id);
}

/** To the trash with everything under it (idempotent). */
export async function trashFile(deps: FilesDeps, actorOrNull: Actor | null, fileId: string, meta: RequestMeta): Promise<FileItem> {
  const actor = requireActor(actorOrNull);
  const { ctx, item } = await itemContext(deps.stores, actor, fileId);
  requireRole(actor, ctx, 'editor');
  const organisationId = await organisationOf(deps.stores, actor);
  const db = deps.stores.cells[ctx.jurisdiction].db;
  await db.transaction().execute(async (trx) => {
    if (!(await lockSpace(trx, ctx.spaceId))) throw notFound();
    const current = await findItem(trx, ctx.spaceId, item.id);
    if (!current) throw notFound();
    if (current.trashed_at) return;
    const count = await trashItems(trx, await subtreeIds(trx, current.id), current.id, actor.principalId, nowOf(deps));
    await deps.audit.record(
      { ...fileEvent(actor, ctx.jurisdiction, 'workspace.file.trashed', { type: current.kind, id: current.id }, meta, { spaceId: ctx.spaceId, kind: current.kind, items: count }), organisationId },
      trx as unknown as AuditTrx,
    );
  });
  await spaceChanged(deps, ctx.spaceId, 'files');
  return viewOf(deps.stores, db, ctx.spaceId, item.id);
}

/**
 * Back from the trash with what went there with it, into its folder — or the root when that
 * folder is gone or still in the trash; renamed `name (2)`… when a live namesake took its place.
 */
export async function restoreFile(deps: FilesDeps, actorOrNull: Actor | null, fileId: string, meta: RequestMeta): Promise<FileItem> {
  const actor = requireActor(actorOrNull);
  const { ctx, item } = await itemContext(deps.stores, actor, fileId);
  requireRole(actor, ctx, 'editor');
  const organisationId = await organisationOf(deps.stores, actor);
  const db = deps.stores.cells[ctx.jurisdiction].db;
  await db.transaction().execute(async (trx) => {
    if (!(await lockSpace(trx, ctx.spaceId))) throw notFound();
    const current = await findItem(trx, ctx.spaceId, item.id);
    if (!current) throw notFound();
    if (!current.trashed_at || !current.trashed_with) throw notInTrash();
    let parentId = current.parent_id;
    if (parentId !== null) {
      const parent = await findItem(trx, ctx.spaceId, parentId);
      if (!parent || parent.trashed_at) parentId = null;
    }
    let name = current.name;
    for (let n = 2; await findLiveNamesake(trx, ctx.spaceId, parentId, nameKey(name)); n++) name = numberedName(current.name, n);
    // Renamed and moved while still in the trash, where names are not unique.
    if (parentId !== current.parent_id || name !== current.name) {
      await updateItem(trx, current.id, { parent_id: parentId, name, name_key: nameKey(name), updated_by: actor.principalId, updated_at: nowOf(deps) });
    }
    const count = await restoreItems(trx, await subtreeIds(trx, current.id), current.trashed_with);
    await deps.audit.record(
      {
        ...fileEvent(actor, ctx.jurisdiction, 'workspace.file.restored', { type: current.kind, id: current.id }, meta, {
          spaceId: ctx.spaceId,
          kind: current.kind,
          items: count,
          toRoot: parentId !== current.parent_id,
          renamed: name !== current.name,
        }),
        organisationId,
      },
      trx as unknown as AuditTrx,
    );
  });
  await spaceChanged(deps, ctx.spaceId, 'files');
  return viewOf(deps.stores, db, ctx.spaceId, item.id);
}

/**
 * For good, from the trash only: the space's owners, or an editor who created the item and
 * everything under it (the uploader of a file). Every version's bytes and thumbnails go.
 */
export async function deleteFile(deps: FilesDeps, actorOrNull: Actor | null, fileId: string, meta: RequestMeta): Promise<void> {
  const actor = requireActor(actorOrNull);
  const { ctx, item } = await itemContext(deps.stores, actor, fileId);
  requireRole(actor, ctx, 'editor');
  if (!item.trashed_at) throw notInTrash();
  const db = deps.stores.cells[ctx.jurisdiction].db;
  if (ctx.role !== 'owner') {
    const creators = await creatorsOf(db, await subtreeIds(db, item.id));
    if (creators.some((c) => c !== actor.principalId)) throw forbidden();
  }
  await deleteForGood(deps, ctx.jurisdiction, ctx.spaceId, item.id, { actor, organisationId: await organisationOf(deps.stores, actor), meta, reason: 'agent' });
  await spaceChanged(deps, ctx.spaceId, 'files');
}

async function deleteForGood(
  deps: FilesDeps,
  jurisdiction: Jurisdiction,
  spaceId: string,
  id: string,
  by: { actor: Actor | null; organisationId: string | null; meta: RequestMeta | null; reason: 'agent' | 'trash_expired' },
): Promise<void> {
  const db = deps.stores.cells[jurisdiction].db;
  const now = nowOf(deps);
  const keys = await db.transaction().execute(async (trx) => {
    if (!(await lockSpace(trx, spaceId))) return [];
    const current = await findItem(trx, spaceId, id);
    if (!current) throw notFound();
    if (!current.trashed_at) throw notInTrash();
    const ids = await subtreeIds(trx, id);
    const objectKeys = await objectKeysOf(trx, ids);
    // Recorded with the deletion: if the process stops before the objects are gone, the purge job finishes.
    await scheduleObjectDeletions(trx, spaceId, objectKeys, now);
    await deleteItem(trx, id);
    await deps.audit.record(
      {
        ...fileEvent(by.actor, jurisdiction, 'workspace.file.deleted', { type: current.kind, id }, by.meta, {
          spaceId,
          kind: current.kind,
          items: ids.length,
          objects: objectKeys.length,
          reason: by.reason,
        }),
        organisationId: by.organisationId,
      },
      trx as unknown as AuditTrx,
    );
    return objectKeys;
  });
  await deleteObjects(deps, jurisdiction, keys);
}

/** Deletes the objects now and their pending entries; a failure is left to the purge job. */
export async function deleteObjects(deps: Pick<FilesDeps, 'cells' | 'logger'>, jurisdiction: Jurisdiction, keys: readonly string[]): Promise<void> {
  const cell = deps.cells.get(jurisdiction);
  for (const key of keys) {
    try {
      await cell.objects.delete(key);
      await cancelObjectDeletions(cell.db, [key]);
    } catch (err) {
      deps.logger.warn({ err, key, jurisdiction }, 'deleting a file object failed; the purge job will retry');
    }
  }
}

// ── versions ────────────────────────────────────────────────────────────────────────────────

export async function listFileVersions(deps: FilesDeps, actorOrNull: Actor | null, fileId: string): Promise<{ versions: FileVersionView[] }> {
  const actor = requireActor(actorOrNull);
  const { ctx, item } = await itemContext(deps.stores, actor, fileId);
  if (item.kind !== 'file') throw notFound();
  const rows = await listVersions(deps.stores.cells[ctx.jurisdiction].db, item.id);
  const names = await namesOf(deps.stores, [...new Set(rows.flatMap((r) => (r.created_by ? [r.created_by] : [])))]);
  return {
    versions: rows.map((v) => ({
      id: v.id,
      number: v.number,
      size: Number(v.size),
      contentType: v.content_type,
      status: v.status,
      createdAt: v.created_at.toISOString(),
      createdBy: personOf(names, v.created_by),
      current: v.id === item.current_version_id,
    })),
  };
}

/**
 * The restored version becomes a new current version that points to the same encrypted object
 * (versions are immutable and go away only with their file, so sharing is safe and costs no
 * quota); every earlier version stays.
 */
export async function restoreFileVersion(deps: FilesDeps, actorOrNull: Actor | null, fileId: string, versionId: string, meta: RequestMeta): Promise<FileItem> {
  const actor = requireActor(actorOrNull);
  const { ctx, item } = await itemContext(deps.stores, actor, fileId);
  if (item.kind !== 'file') throw notFound();
  requireRole(actor, ctx, 'editor');
  const organisationId = await organisationOf(deps.stores, actor);
  const db = deps.stores.cells[ctx.jurisdiction].db;
  await db.transaction().execute(async (trx) => {
    if (!(await lockSpace(trx, ctx.spaceId))) throw notFound();
    const current = await findItem(trx, ctx.spaceId, item.id);
    if (!current) throw notFound();
    if (current.trashed_at) throw inTrash();
    const source = isUuid(versionId.toLowerCase()) ? await findVersion(trx, item.id, versionId.toLowerCase()) : undefined;
    if (!source) throw notFound();
    if (source.status === 'quarantined') throw quarantined();
    const id = uuidv7();
    const at = nowOf(deps);
    const number = await nextVersionNumber(trx, item.id);
    await insertVersion(trx, {
      ...source,
      id,
      number,
      size: Number(source.size),
      created_by: actor.principalId,
      organisation_id: null,
      billed_bytes: 0,
      restored_from: source.id,
      created_at: at,
    });
    await updateItem(trx, item.id, { current_version_id: id, updated_by: actor.principalId, updated_at: at });
    await deps.audit.record(
      {
        ...fileEvent(actor, ctx.jurisdiction, 'workspace.file.version_restored', { type: 'file', id: item.id }, meta, {
          spaceId: ctx.spaceId,
          restoredVersionId: source.id,
          restoredNumber: source.number,
          versionId: id,
          number,
        }),
        organisationId,
      },
      trx as unknown as AuditTrx,
    );
  });
  await spaceChanged(deps, ctx.spaceId, 'files');
  return viewOf(deps.stores, db, ctx.spaceId, item.id);
}

// ── jobs ────────────────────────────────────────────────────────────────────────────────────

/** Items in the trash for more than 30 days are deleted for good (audited, without an actor). */
export async function purgeTrash(deps: FilesDeps, options: { batch?: number } = {}): Promise<number> {
  const before = new Date(nowOf(deps).getTime() - TRASH_RETENTION_DAYS * 24 * 3_600_000);
  let purged = 0;
  for (const jurisdiction of JURISDICTIONS) {
    const roots = await expiredTrashRoots(deps.stores.cells[jurisdiction].db, before, options.batch ?? 200);
    for (const root of roots) {
      try {
        await deleteForGood(deps, jurisdiction, root.space_id, root.id, { actor: null, organisationId: null, meta: null, reason: 'trash_expired' });
        purged++;
      } catch (err) {
        if (err instanceof AppError && err.status < 500) continue; // restored or deleted meanwhile
        throw err;
      }
    }
  }
  return purged;
}

/** Objects whose deletion is due (files deleted for good, leftovers of interrupted writes), unless a version still uses them. */
export async function processObjectDeletions(deps: Pick<FilesDeps, 'cells' | 'logger' | 'now'>, options: { batch?: number } = {}): Promise<number> {
  let done = 0;
  for (const cell of deps.cells.all()) {
    const keys = await dueObjectDeletions(cell.db, nowOf(deps), options.batch ?? 500);
    for (const key of keys) {
      if (await objectInUse(cell.db, key)) {
        await cancelObjectDeletions(cell.db, [key]);
        continue;
      }
      await deleteObjects(deps, cell.jurisdiction, [key]);
      done++;
    }
  }
  return done;
}
