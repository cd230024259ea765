import type { Actor } from '../../identity/actor.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { canEditText, type DocumentAccess, documentAccessFor, requireNotMoving } from '../access.ts';
import { type DiffBlock, diffBlocks } from '../content/diff.ts';
import { jsonToMarkdown } from '../content/markdown.ts';
import { jsonToText } from '../content/text.ts';
import type { JSONContent } from '../content/ydoc-json.ts';
import { auditLinkUse } from '../sharing/link-audit.ts';
import { requireActor, requireAssuranceFor } from '../spaces/deps.ts';
import { namesOf } from '../spaces/members.ts';
import { spacePath } from '../spaces/spaces.ts';
import { type DocumentRef, openVersionState, restoreUpdate, sealVersionState, stateToJson } from './version-content.ts';
import { findVersionRow, insertVersion, listVersionRows, type VersionKind, type VersionSummaryRow } from './versions.repo.ts';

/**
 * A document's history: versions taken automatically while it is edited, named by an editor, or
 * saved just before a restore. Each holds the document's whole Yjs state (encrypted) and its text.
 *
 * Readers (and commenters) list, view and compare versions; editors and owners name and restore.
 * Anyone who cannot read the document gets 404, as for a document that does not exist. A restore
 * is a new change on top of the live document (everyone connected sees it arrive), never a
 * rewrite: the versions before it stay, and what was there is saved first (`before_restore`).
 */
export interface VersionsDeps {
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  logger: Logger;
  /** The document store (collaboration): the current state of a document. */
  content: () => { load(ref: DocumentRef): Promise<{ state: Uint8Array; epoch: number }> };
  /** The collaboration service: logs an update, then applies it to the live document. */
  live: () => { applyServerUpdate(ref: DocumentRef, update: Uint8Array): Promise<void> };
}

export interface VersionView {
  id: string;
  kind: VersionKind;
  name: string | null;
  createdAt: string;
  createdBy: { principalId: string; givenName: string; familyName: string } | null;
}

export interface RequestMeta {
  ip: string | null;
  requestId: string;
}

/** Shown in the history panel: more is noise (a long-edited document keeps all its rows). */
export const MAX_LISTED_VERSIONS = 500;
export const VERSION_NAME_MAX = 200;

export async function listVersions(deps: VersionsDeps, actorOrNull: Actor | null, documentId: string, meta?: RequestMeta): Promise<VersionView[]> {
  const { actor, access, ref } = await readable(deps, actorOrNull, documentId);
  const rows = await listVersionRows(deps.cells.get(ref.jurisdiction).db, documentId, MAX_LISTED_VERSIONS);
  await auditLinkUse(deps.audit, actor, access, 'read', meta, { versions: 'list' }); // share links: each access through a link
  return present(deps, rows);
}

export async function getVersion(
  deps: VersionsDeps,
  actorOrNull: Actor | null,
  documentId: string,
  versionId: string,
  meta?: RequestMeta,
): Promise<{ version: VersionView; content: JSONContent }> {
  const { actor, access, ref } = await readable(deps, actorOrNull, documentId);
  const row = await findVersionRow(deps.cells.get(ref.jurisdiction).db, documentId, versionId);
  if (!row) throw notFound();
  const content = stateToJson(await openVersionState(deps.cells, ref, row));
  await auditRead(deps, actor, ref, { via: 'version', versionId }, meta);
  await auditLinkUse(deps.audit, actor, access, 'read', meta, { versionId });
  const [version] = await present(deps, [row]);
  return { version: version as VersionView, content };
}

/** The version (before) against the document now (after), block by block of their Markdown. */
export async function diffVersion(deps: VersionsDeps, actorOrNull: Actor | null, documentId: string, versionId: string, meta?: RequestMeta): Promise<DiffBlock[]> {
  const { actor, access, ref } = await readable(deps, actorOrNull, documentId);
  const row = await findVersionRow(deps.cells.get(ref.jurisdiction).db, documentId, versionId);
  if (!row) throw notFound();
  await auditRead(deps, actor, ref, { via: 'version_diff', versionId }, meta);
  await auditLinkUse(deps.audit, actor, access, 'read', meta, { versionId });
  const then = stateToJson(await openVersionState(deps.cells, ref, row));
  const now = stateToJson((await deps.content().load(ref)).state);
  // Without the final newline: no empty "same" block at the end of every comparison.
  return diffBlocks(jsonToMarkdown(then).trimEnd(), jsonToMarkdown(now).trimEnd());
}

export async function createNamedVersion(
  deps: VersionsDeps,
  actorOrNull: Actor | null,
  documentId: string,
  name: string,
  meta: RequestMeta,
): Promise<VersionView> {
  const { actor, access, ref } = await editable(deps, actorOrNull, documentId);
  const row = await saveCurrent(deps, ref, 'named', name, actor.principalId);
  await auditLinkUse(deps.audit, actor, access, 'edit', meta, { versionId: row.id });
  await deps.audit.record({
    action: 'workspace.document.version_created',
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction: ref.jurisdiction,
    resource: { type: 'document', id: documentId },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { versionId: row.id, kind: 'named' },
  });
  const [view] = await present(deps, [row]);
  return view as VersionView;
}

export async function restoreVersion(
  deps: VersionsDeps,
  actorOrNull: Actor | null,
  documentId: string,
  versionId: string,
  meta: RequestMeta,
): Promise<{ restored: VersionView; beforeRestore: VersionView }> {
  const { actor, access, ref } = await editable(deps, actorOrNull, documentId);
  const db = deps.cells.get(ref.jurisdiction).db;
  const row = await findVersionRow(db, documentId, versionId);
  if (!row) throw notFound();
  const target = stateToJson(await openVersionState(deps.cells, ref, row));

  // What is there now is kept first: a restore can itself be undone from the history.
  const current = await deps.content().load(ref);
  const saved = await saveVersionOf(deps, ref, current, 'before_restore', null, actor.principalId);
  await deps.live().applyServerUpdate(ref, restoreUpdate(current.state, target));

  await deps.audit.record({
    action: 'workspace.document.version_restored',
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction: ref.jurisdiction,
    resource: { type: 'document', id: documentId },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { versionId, beforeRestoreVersionId: saved.id },
  });
  await auditLinkUse(deps.audit, actor, access, 'edit', meta, { versionId });
  const [restored, beforeRestore] = await present(deps, [row, saved]);
  return { restored: restored as VersionView, beforeRestore: beforeRestore as VersionView };
}

/** Saves the document's current state as a version (used by named, automatic and before-restore). */
export async function saveCurrent(deps: Pick<VersionsDeps, 'cells' | 'content'>, ref: DocumentRef, kind: VersionKind, name: string | null, createdBy: string | null) {
  return saveVersionOf(deps, ref, await deps.content().load(ref), kind, name, createdBy);
}

async function saveVersionOf(
  deps: Pick<VersionsDeps, 'cells'>,
  ref: DocumentRef,
  current: { state: Uint8Array; epoch: number },
  kind: VersionKind,
  name: string | null,
  createdBy: string | null,
): Promise<VersionSummaryRow> {
  const sealed = await sealVersionState(deps.cells, ref, current.epoch, current.state);
  return insertVersion(deps.cells.get(ref.jurisdiction).db, {
    id: uuidv7(),
    document_id: ref.documentId,
    epoch: current.epoch,
    kind,
    name,
    key_version: sealed.key_version,
    state: sealed.state,
    content_text: jsonToText(stateToJson(current.state)),
    created_by: createdBy,
  });
}

/** Reading a document's content is a security event (issue 6): who read what, from where. */
async function auditRead(deps: VersionsDeps, actor: Actor, ref: DocumentRef, details: Record<string, string>, meta?: RequestMeta): Promise<void> {
  await deps.audit.record({
    action: 'workspace.document.read',
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction: ref.jurisdiction,
    resource: { type: 'document', id: ref.documentId },
    ip: meta?.ip ?? null,
    requestId: meta?.requestId ?? null,
    details,
  });
}

async function readable(deps: VersionsDeps, actorOrNull: Actor | null, documentId: string): Promise<{ actor: Actor; access: DocumentAccess; ref: DocumentRef }> {
  const actor = requireActor(actorOrNull);
  const access = await documentAccessFor(deps.stores, actor, documentId);
  if (!access) throw notFound();
  requireAssuranceFor(actor, access.minAssurance, spacePath(access.spaceId));
  return { actor, access, ref: { documentId: access.documentId, spaceId: access.spaceId, jurisdiction: access.jurisdiction } };
}

async function editable(deps: VersionsDeps, actorOrNull: Actor | null, documentId: string) {
  const found = await readable(deps, actorOrNull, documentId);
  if (!canEditText(found.access.role)) throw forbidden();
  // A document in the trash is read-only until it is taken out of it.
  if (found.access.trashed) throw new AppError('conflict');
  requireNotMoving(found.access);
  return found;
}

async function present(deps: Pick<VersionsDeps, 'stores'>, rows: VersionSummaryRow[]): Promise<VersionView[]> {
  const authors = [...new Set(rows.map((r) => r.created_by).filter((id): id is string => id !== null))];
  const names = await namesOf(deps.stores, authors);
  return rows.map((row) => {
    const name = row.created_by ? names.get(row.created_by) : undefined;
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      createdAt: new Date(row.created_at).toISOString(),
      // A departed author (no profile left in their home cell) is still named by id.
      createdBy: row.created_by ? { principalId: row.created_by, givenName: name?.givenName ?? '', familyName: name?.familyName ?? '' } : null,
    };
  });
}
