import { copyDocumentLevel } from '../classification/classification.repo.ts'; // classification labels (helper B)
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { type DocumentAccess, documentAccessFor, effectiveRolesInSpace, lowerRole, memberDocumentAccessFor, requireNotMoving, roleAtLeast } from '../access.ts';
import { type AuditTrx, DOCUMENT_ACCESS_CHANGED, publishQuietly, type RequestMeta, requireActor, requireAssuranceFor, type WorkspaceDeps } from '../spaces/deps.ts';
import { spaceChanged } from '../live/space-events.ts';
import { loadSpace, spacePath } from '../spaces/spaces.ts';
import { findSpace } from '../spaces/spaces.repo.ts'; // share links (helper S)
import type { SpaceRole } from '../workspace.tables.ts';
import {
  ancestorIds,
  copyAccessRows,
  type DocumentRow,
  deleteDocumentRow,
  findDocumentInSpace,
  findDocumentRow,
  insertDocumentRow,
  listDocumentRows,
  lockSpaceTree,
  nextPosition,
  renumber,
  restoreRows,
  siblingIds,
  subtreeIds,
  trashRows,
  updateDocumentRow,
} from './documents.repo.ts';

/**
 * The documents tree of a space: create, rename, move (parent and place among siblings), duplicate,
 * trash and restore (descendants follow), delete for good. Every read goes through access.ts's
 * rules (a restricted document is invisible to members not listed); readers and commenters do not
 * change the tree, editors do, owners also delete for good and set access. Changes need a session
 * at the space's minimum level of assurance; listing does not (the UI then offers a step-up).
 * Tree changes lock the space's row, so concurrent moves cannot together make a cycle.
 */
export const TITLE_MAX = 300;
const COPY_SUFFIX = ' (copie)';

export interface DocumentSummary {
  id: string;
  spaceId: string;
  parentId: string | null;
  title: string;
  position: number;
  restricted: boolean;
  trashedAt: string | null;
  updatedAt: string;
  role: SpaceRole;
}

export interface DocumentDetail extends DocumentSummary {
  epoch: number;
  jurisdiction: Jurisdiction;
  spaceName: string;
  minAssurance: AssuranceLevel;
  insufficientAssurance: boolean;
}

export function summaryOf(row: DocumentRow, role: SpaceRole): DocumentSummary {
  return {
    id: row.id,
    spaceId: row.space_id,
    parentId: row.parent_id,
    title: row.title,
    position: row.position,
    restricted: row.restricted,
    trashedAt: row.trashed_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
    role,
  };
}

const moveRefused = (reason: string) => new AppError('document_move_refused', { status: 409, extensions: { reason } });
const inTrash = () => new AppError('document_in_trash', { status: 409 });
const notInTrash = () => new AppError('document_not_in_trash', { status: 409 });

/** The document as the actor may reach it (404 otherwise), with its row. */
async function loadDocument(stores: Stores, actor: Actor, documentId: string): Promise<{ access: DocumentAccess; row: DocumentRow }> {
  const access = await documentAccessFor(stores, actor, documentId);
  if (!access) throw notFound();
  const row = await findDocumentRow(stores.cells[access.jurisdiction].db, documentId);
  if (!row) throw notFound();
  return { access, row };
}

/**
 * For content reads (live editing, derived copies, versions): 404 when not reachable, 403
 * `insufficient_assurance` below the space's level. Exported for the collaboration and history parts.
 */
export async function documentForContent(stores: Stores, actorOrNull: Actor | null, documentId: string): Promise<DocumentAccess> {
  const actor = requireActor(actorOrNull);
  const access = await documentAccessFor(stores, actor, documentId);
  if (!access) throw notFound();
  requireAssuranceFor(actor, access.minAssurance, spacePath(access.spaceId));
  return access;
}

/** A tree change on the document: at least editor on it, at the space's level of assurance. */
async function loadForChange(stores: Stores, actor: Actor, documentId: string, needed: SpaceRole = 'editor') {
  const loaded = await loadDocument(stores, actor, documentId);
  // ── share links (attack review): a link gives the document's text, not its place in the tree (move, rename, duplicate, trash its subtree) ──
  const member = loaded.access.role === 'owner' ? loaded.access : await memberDocumentAccessFor(stores, actor, documentId);
  if (!member || !roleAtLeast(member.role, needed)) throw forbidden();
  // ── end share links ──
  requireAssuranceFor(actor, loaded.access.minAssurance, spacePath(loaded.access.spaceId));
  requireNotMoving(loaded.access);
  return loaded;
}

function auditEvent(actor: Actor, access: { jurisdiction: Jurisdiction }, action: string, documentId: string, meta: RequestMeta, details?: Record<string, string | number | boolean | null>) {
  return {
    action,
    outcome: 'success' as const,
    actorId: actor.principalId,
    jurisdiction: access.jurisdiction,
    resource: { type: 'document', id: documentId },
    ip: meta.ip,
    requestId: meta.requestId,
    ...(details ? { details } : {}),
  };
}

export async function listDocuments(stores: Stores, actorOrNull: Actor | null, spaceId: string, trashed: boolean): Promise<DocumentSummary[]> {
  const actor = requireActor(actorOrNull);
  const { access } = await loadSpace(stores, actor, spaceId);
  const rows = await listDocumentRows(stores.cells[access.jurisdiction].db, spaceId, actor.principalId, trashed);
  // Restrictions cover subtrees: a document is listed only when every restricted page above it is reachable too.
  const roles = await effectiveRolesInSpace(stores, { spaceId, jurisdiction: access.jurisdiction, role: access.role }, actor.principalId);
  const visible: DocumentSummary[] = [];
  for (const row of rows) {
    const role = roles.get(row.id);
    if (role) visible.push(summaryOf(row, role));
  }
  return visible;
}

export async function getDocument(stores: Stores, actorOrNull: Actor | null, documentId: string): Promise<DocumentDetail> {
  const actor = requireActor(actorOrNull);
  const { access, row } = await loadDocument(stores, actor, documentId);
  // ── share links (helper S): an agent reaching the document through a link is no member of its space ──
  const space = await findSpace(stores.cells[access.jurisdiction].db, access.spaceId);
  if (!space) throw notFound();
  // ── end share links ──
  return {
    ...summaryOf(row, access.role),
    epoch: row.epoch,
    jurisdiction: access.jurisdiction,
    spaceName: space.name,
    minAssurance: access.minAssurance,
    insufficientAssurance: access.insufficientAssurance,
  };
}

export async function createDocument(
  deps: WorkspaceDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  input: { title: string; parentId?: string | null },
  meta: RequestMeta,
): Promise<DocumentSummary> {
  const actor = requireActor(actorOrNull);
  const { access, space } = await loadSpace(deps.stores, actor, spaceId);
  let role = access.role;
  let restrictedParent = false;
  if (input.parentId) {
    // Under a parent: the actor must reach it, and be an editor there too (a restricted parent).
    const parent = await loadDocument(deps.stores, actor, input.parentId);
    if (parent.access.spaceId !== spaceId) throw notFound();
    if (parent.row.trashed_at) throw inTrash();
    role = lowerRole(role, parent.access.role);
    restrictedParent = parent.row.restricted;
  }
  if (!roleAtLeast(role, 'editor')) throw forbidden();
  requireAssuranceFor(actor, space.min_assurance, spacePath(spaceId));
  requireNotMoving(access);
  const parentId = input.parentId ?? null;
  const row = await deps.stores.cells[access.jurisdiction].db.transaction().execute(async (trx) => {
    if (!(await lockSpaceTree(trx, spaceId))) throw notFound();
    const id = uuidv7();
    // Read again under the tree's lock: the parent's restriction as it is now.
    if (parentId) restrictedParent = (await findDocumentInSpace(trx, spaceId, parentId))?.restricted ?? restrictedParent;
    const inserted = await insertDocumentRow(trx, {
      id,
      space_id: spaceId,
      parent_id: parentId,
      title: input.title,
      position: await nextPosition(trx, spaceId, parentId),
      // Restrictions are not inherited by the access rules: a page written under a restricted
      // document would otherwise be open to the whole space (found in review). It starts with
      // its parent's restriction and access list; an owner may lift it.
      restricted: restrictedParent,
      created_by: actor.principalId,
    });
    if (restrictedParent && parentId) await copyAccessRows(trx, parentId, id);
    await deps.audit.record(auditEvent(actor, access, 'workspace.document.created', id, meta, { parentId, restricted: restrictedParent }), trx as unknown as AuditTrx);
    return inserted;
  });
  await spaceChanged(deps, spaceId, 'documents');
  return summaryOf(row, role);
}

/** Rename and/or move. `parentId: null` moves to the root; `position` is the place among the new siblings. */
export async function updateDocument(
  deps: WorkspaceDeps,
  actorOrNull: Actor | null,
  documentId: string,
  patch: { title?: string; parentId?: string | null; position?: number },
  meta: RequestMeta,
): Promise<DocumentSummary> {
  const actor = requireActor(actorOrNull);
  const { access, row: before } = await loadForChange(deps.stores, actor, documentId);
  if (before.trashed_at) throw inTrash();
  const moving = patch.parentId !== undefined || patch.position !== undefined;
  const parentId = patch.parentId === undefined ? before.parent_id : patch.parentId;
  if (moving && parentId !== null && parentId !== before.parent_id) {
    // The new parent: reachable by the actor as an editor, in the same space, not in the trash.
    const parent = await documentAccessFor(deps.stores, actor, parentId);
    if (!parent) throw notFound();
    if (parent.spaceId !== access.spaceId) throw moveRefused('other_space');
    if (!roleAtLeast(parent.role, 'editor')) throw forbidden();
  }
  const cell = deps.stores.cells[access.jurisdiction].db;
  const row = await cell.transaction().execute(async (trx) => {
    await lockSpaceTree(trx, access.spaceId);
    const current = await findDocumentInSpace(trx, access.spaceId, documentId);
    if (!current) throw notFound();
    if (current.trashed_at) throw inTrash();
    let updated = current;
    if (patch.title !== undefined && patch.title !== current.title) {
      updated = await updateDocumentRow(trx, documentId, { title: patch.title });
      await deps.audit.record(auditEvent(actor, access, 'workspace.document.renamed', documentId, meta), trx as unknown as AuditTrx);
    }
    if (moving) {
      if (parentId !== null) {
        const parent = await findDocumentInSpace(trx, access.spaceId, parentId);
        if (!parent) throw moveRefused('other_space');
        if (parent.trashed_at) throw moveRefused('parent_in_trash');
        // A document cannot go under itself or one of its descendants.
        if ((await ancestorIds(trx, parentId)).includes(documentId)) throw moveRefused('cycle');
      }
      const siblings = await siblingIds(trx, access.spaceId, parentId, documentId);
      const place = Math.max(0, Math.min(patch.position ?? siblings.length, siblings.length));
      const order = [...siblings.slice(0, place), documentId, ...siblings.slice(place)];
      if (parentId !== current.parent_id) await updateDocumentRow(trx, documentId, { parent_id: parentId });
      await renumber(trx, order);
      // Close the gap left among the former siblings.
      if (parentId !== current.parent_id) await renumber(trx, await siblingIds(trx, access.spaceId, current.parent_id));
      updated = (await findDocumentInSpace(trx, access.spaceId, documentId)) as DocumentRow;
      if (updated.parent_id !== current.parent_id || updated.position !== current.position) {
        await deps.audit.record(
          auditEvent(actor, access, 'workspace.document.moved', documentId, meta, { from: current.parent_id, to: parentId, position: updated.position }),
          trx as unknown as AuditTrx,
        );
      }
    }
    return updated;
  });
  // Under another parent, restrictions above it changed: live connections in the subtree are re-checked.
  if (row.parent_id !== before.parent_id) await publishQuietly(deps, DOCUMENT_ACCESS_CHANGED, { documentId, spaceId: access.spaceId });
  await spaceChanged(deps, access.spaceId, 'documents');
  return summaryOf(row, access.role);
}

/** A copy placed right after the original, with its content, restriction and access list. */
export async function duplicateDocument(deps: WorkspaceDeps, actorOrNull: Actor | null, documentId: string, meta: RequestMeta): Promise<DocumentSummary> {
  const actor = requireActor(actorOrNull);
  const { access, row: original } = await loadForChange(deps.stores, actor, documentId);
  if (original.trashed_at) throw inTrash();
  const store = deps.content?.();
  const source = store ? await store.load({ documentId, spaceId: access.spaceId, jurisdiction: access.jurisdiction }) : null;
  const cell = deps.stores.cells[access.jurisdiction].db;
  const id = uuidv7();
  const title = `${original.title.slice(0, TITLE_MAX - COPY_SUFFIX.length)}${COPY_SUFFIX}`;
  const row = await cell.transaction().execute(async (trx) => {
    await lockSpaceTree(trx, access.spaceId);
    const inserted = await insertDocumentRow(trx, {
      id,
      space_id: access.spaceId,
      parent_id: original.parent_id,
      title,
      position: original.position + 1,
      restricted: original.restricted,
      created_by: actor.principalId,
    });
    // A copy of a restricted document stays restricted to the same people.
    await copyAccessRows(trx, documentId, id);
    await copyDocumentLevel(trx, documentId, id); // classification labels (helper B): a copy keeps the original's level
    const siblings = await siblingIds(trx, access.spaceId, original.parent_id, id);
    const at = siblings.indexOf(documentId) + 1;
    await renumber(trx, [...siblings.slice(0, at), id, ...siblings.slice(at)]);
    await deps.audit.record(auditEvent(actor, access, 'workspace.document.duplicated', id, meta, { from: documentId }), trx as unknown as AuditTrx);
    return inserted;
  });
  if (store && source) {
    try {
      await store.initialise({ documentId: id, spaceId: access.spaceId, jurisdiction: access.jurisdiction }, source.state);
    } catch (error) {
      // No half copy: without its content the copy is removed.
      await deleteDocumentRow(cell, id);
      throw error;
    }
  }
  const fresh = (await findDocumentRow(cell, id)) ?? row;
  await spaceChanged(deps, access.spaceId, 'documents');
  return summaryOf(fresh, access.role);
}

export async function trashDocument(deps: WorkspaceDeps, actorOrNull: Actor | null, documentId: string, meta: RequestMeta): Promise<DocumentSummary> {
  const actor = requireActor(actorOrNull);
  const { access } = await loadForChange(deps.stores, actor, documentId);
  const cell = deps.stores.cells[access.jurisdiction].db;
  const { row, trashed } = await cell.transaction().execute(async (trx) => {
    await lockSpaceTree(trx, access.spaceId);
    const current = await findDocumentInSpace(trx, access.spaceId, documentId);
    if (!current) throw notFound();
    if (current.trashed_at) return { row: current, trashed: [] as string[] };
    const ids = await trashRows(trx, await subtreeIds(trx, documentId), actor.principalId, new Date());
    await deps.audit.record(auditEvent(actor, access, 'workspace.document.trashed', documentId, meta, { documents: ids.length }), trx as unknown as AuditTrx);
    return { row: (await findDocumentRow(trx, documentId)) as DocumentRow, trashed: ids };
  });
  for (const id of trashed) await publishQuietly(deps, DOCUMENT_ACCESS_CHANGED, { documentId: id, spaceId: access.spaceId });
  await spaceChanged(deps, access.spaceId, 'documents');
  return summaryOf(row, access.role);
}

/** Restores the document and the descendants trashed with it; under a parent still in the trash, it goes to the root. */
export async function restoreDocument(deps: WorkspaceDeps, actorOrNull: Actor | null, documentId: string, meta: RequestMeta): Promise<DocumentSummary> {
  const actor = requireActor(actorOrNull);
  const { access } = await loadForChange(deps.stores, actor, documentId);
  const cell = deps.stores.cells[access.jurisdiction].db;
  const row = await cell.transaction().execute(async (trx) => {
    await lockSpaceTree(trx, access.spaceId);
    const current = await findDocumentInSpace(trx, access.spaceId, documentId);
    if (!current) throw notFound();
    if (!current.trashed_at) throw notInTrash();
    const ids = await restoreRows(trx, await subtreeIds(trx, documentId), current.trashed_at);
    if (current.parent_id) {
      const parent = await findDocumentInSpace(trx, access.spaceId, current.parent_id);
      if (!parent || parent.trashed_at) {
        await updateDocumentRow(trx, documentId, { parent_id: null, position: await nextPosition(trx, access.spaceId, null) });
        await renumber(trx, await siblingIds(trx, access.spaceId, current.parent_id));
      }
    }
    await deps.audit.record(auditEvent(actor, access, 'workspace.document.restored', documentId, meta, { documents: ids.length }), trx as unknown as AuditTrx);
    return (await findDocumentRow(trx, documentId)) as DocumentRow;
  });
  await spaceChanged(deps, access.spaceId, 'documents');
  return summaryOf(row, access.role);
}

/** Owners only, and only from the trash: the row goes, with its descendants and all their content. */
export async function deleteDocument(deps: WorkspaceDeps, actorOrNull: Actor | null, documentId: string, meta: RequestMeta): Promise<void> {
  const actor = requireActor(actorOrNull);
  const { access } = await loadForChange(deps.stores, actor, documentId, 'owner');
  const cell = deps.stores.cells[access.jurisdiction].db;
  const removed = await cell.transaction().execute(async (trx) => {
    await lockSpaceTree(trx, access.spaceId);
    const current = await findDocumentInSpace(trx, access.spaceId, documentId);
    if (!current) throw notFound();
    if (!current.trashed_at) throw notInTrash();
    const ids = await subtreeIds(trx, documentId);
    await deleteDocumentRow(trx, documentId);
    await renumber(trx, await siblingIds(trx, access.spaceId, current.parent_id));
    await deps.audit.record(auditEvent(actor, access, 'workspace.document.deleted', documentId, meta, { documents: ids.length }), trx as unknown as AuditTrx);
    return ids;
  });
  for (const id of removed) await publishQuietly(deps, DOCUMENT_ACCESS_CHANGED, { documentId: id, spaceId: access.spaceId });
  await spaceChanged(deps, access.spaceId, 'documents');
}
