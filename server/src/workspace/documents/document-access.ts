import type { Actor } from '../../identity/actor.ts';
import { forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { documentAccessFor, requireNotMoving } from '../access.ts';
import { type AuditTrx, DOCUMENT_ACCESS_CHANGED, publishQuietly, type RequestMeta, requireActor, requireAssuranceFor, type WorkspaceDeps } from '../spaces/deps.ts';
import { spacePath } from '../spaces/spaces.ts';
import { membersAmong } from '../spaces/spaces.repo.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import { findDocumentRow, listAccessRows, replaceAccessRows, updateDocumentRow } from './documents.repo.ts';

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
