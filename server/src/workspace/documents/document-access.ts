import type { Actor } from '../../identity/actor.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { documentAccessFor, requireNotMoving } from '../access.ts';
import { type AuditTrx, DOCUMENT_ACCESS_CHANGED, publishQuietly, type RequestMeta, requireActor, requireAssuranceFor, type WorkspaceDeps } from '../spaces/deps.ts';
import { spacePath } from '../spaces/spaces.ts';
import { membersAmong } from '../spaces/spaces.repo.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import { findDocumentRow, insertAccessRow, listAccessRows, replaceAccessRows, updateDocumentRow } from './documents.repo.ts';

/**
 * A document's own restriction: when `restricted`, only the space's owners and the members listed
 * reach it, each with the lower of their space role and the role listed. Set by the space's owners.
 * Listed principals must be members of the space (a non-member listed would reach nothing anyway,
 * and saying so catches a mistake).
 */
export interface DocumentAccessList {
  restricted: boolean;
  entries: { principalId: string; role: SpaceRole }[];
}

async function loadAsOwner(stores: Stores, actor: Actor, documentId: string) {
  const access = await documentAccessFor(stores, actor, documentId);
  if (!access) throw notFound();
  if (access.role !== 'owner') throw forbidden();
  requireAssuranceFor(actor, access.minAssurance, spacePath(access.spaceId));
  return access;
}

export async function getDocumentAccess(stores: Stores, actorOrNull: Actor | null, documentId: string): Promise<DocumentAccessList> {
  const actor = requireActor(actorOrNull);
  const access = await loadAsOwner(stores, actor, documentId);
  const cell = stores.cells[access.jurisdiction].db;
  const row = await findDocumentRow(cell, documentId);
  if (!row) throw notFound();
  const entries = await listAccessRows(cell, documentId);
  return { restricted: row.restricted, entries: entries.map((e) => ({ principalId: e.principal_id, role: e.role })) };
}

export async function setDocumentAccess(
  deps: WorkspaceDeps,
  actorOrNull: Actor | null,
  documentId: string,
  input: DocumentAccessList,
  meta: RequestMeta,
): Promise<DocumentAccessList> {
  const actor = requireActor(actorOrNull);
  const access = await loadAsOwner(deps.stores, actor, documentId);
  requireNotMoving(access);
  const entries = [...new Map(input.entries.map((e) => [e.principalId, e])).values()];
  const members = new Set(await membersAmong(deps.stores.control.db, access.spaceId, entries.map((e) => e.principalId)));
  const strangers = entries.map((e, i) => ({ e, i })).filter(({ e }) => !members.has(e.principalId));
  if (strangers.length > 0) {
    throw invalid(strangers.map(({ i }) => ({ path: `body.entries.${i}.principalId`, message: 'not a member of the space', code: 'invalid_value' })));
  }
  const cell = deps.stores.cells[access.jurisdiction].db;
  const before = new Set((await listAccessRows(cell, documentId)).map((e) => e.principal_id));
  await cell.transaction().execute(async (trx) => {
    await updateDocumentRow(trx, documentId, { restricted: input.restricted });
    await replaceAccessRows(trx, documentId, entries);
    await deps.audit.record(
      {
        action: 'workspace.document.access_changed',
        outcome: 'success',
        actorId: actor.principalId,
        jurisdiction: access.jurisdiction,
        resource: { type: 'document', id: documentId },
        ip: meta.ip,
        requestId: meta.requestId,
        details: { restricted: input.restricted, entries: entries.length },
      },
      trx as unknown as AuditTrx,
    );
  });
  await publishQuietly(deps, DOCUMENT_ACCESS_CHANGED, { documentId, spaceId: access.spaceId });
  // Those newly listed on a restricted document are told it was shared with them (notify skips
  // the actor and anyone who still cannot read it).
  if (input.restricted && deps.documentShared) {
    for (const entry of entries) {
      if (before.has(entry.principalId)) continue;
      await deps.documentShared({ recipientId: entry.principalId, actorId: actor.principalId, spaceId: access.spaceId, documentId });
    }
  }
  return { restricted: input.restricted, entries };
}

/**
 * Adds ONE member to a restricted document's access list (the comments panel sharing a document
 * with an agent it mentioned): an insert, not the whole list read and written back, so that two
 * owners granting at once both end up listed. Same rule as `setDocumentAccess` (owners, a member
 * of the space, not while the space moves). Idempotent: someone already listed keeps their role
 * and nothing is recorded (`added: false`).
 */
export async function addDocumentAccessEntry(
  deps: WorkspaceDeps,
  actorOrNull: Actor | null,
  documentId: string,
  input: { principalId: string; role: SpaceRole },
  meta: RequestMeta,
): Promise<DocumentAccessList & { added: boolean }> {
  const actor = requireActor(actorOrNull);
  const access = await loadAsOwner(deps.stores, actor, documentId);
  requireNotMoving(access);
  const principalId = input.principalId.toLowerCase();
  if ((await membersAmong(deps.stores.control.db, access.spaceId, [principalId])).length === 0) {
    throw invalid([{ path: 'body.principalId', message: 'not a member of the space', code: 'invalid_value' }]);
  }
  const cell = deps.stores.cells[access.jurisdiction].db;
  const added = await cell.transaction().execute(async (trx) => {
    const row = await findDocumentRow(trx, documentId);
    if (!row) throw notFound();
    // An unrestricted document is open to every member: there is no list to add to.
    if (!row.restricted) throw new AppError('conflict', { extensions: { reason: 'not_restricted' } });
    if (!(await insertAccessRow(trx, documentId, { principalId, role: input.role }))) return false;
    await deps.audit.record(
      {
        action: 'workspace.document.access_granted',
        outcome: 'success',
        actorId: actor.principalId,
        jurisdiction: access.jurisdiction,
        resource: { type: 'document', id: documentId },
        ip: meta.ip,
        requestId: meta.requestId,
        details: { principalId, role: input.role },
      },
      trx as unknown as AuditTrx,
    );
    return true;
  });
  if (added) {
    await publishQuietly(deps, DOCUMENT_ACCESS_CHANGED, { documentId, spaceId: access.spaceId });
    await deps.documentShared?.({ recipientId: principalId, actorId: actor.principalId, spaceId: access.spaceId, documentId });
  }
  const entries = await listAccessRows(cell, documentId);
  return { restricted: true, entries: entries.map((e) => ({ principalId: e.principal_id, role: e.role })), added };
}
