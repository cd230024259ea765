import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { documentAccessFor, memberDocumentAccessFor, requireNotMoving, roleAtLeast } from '../access.ts';
import { type AuditTrx, DOCUMENT_ACCESS_CHANGED, publishQuietly, type RequestMeta, requireActor, requireAssuranceFor, type WorkspaceDeps } from '../spaces/deps.ts';
import { spacePath } from '../spaces/spaces.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import {
  countLiveShareLinks,
  findShareLink,
  findShareLinkByTokenHash,
  insertShareLink,
  isSpaceMember,
  type LinkByToken,
  listShareLinks,
  recordRedemption,
  revokeShareLinkRow,
  type ShareLinkRow,
} from './share-links.repo.ts';
import type { ShareLinkReach, ShareLinkRole } from './sharing.tables.ts';
import { shareLinkToken, tokenHash, wellFormedToken } from './tokens.ts';

/** Whether a space lets its documents go on public pages: classified `public`, asking no level of assurance. */
export const publicLinksAllowed = (space: { classification: string | null; minAssurance: string }) => space.classification === 'public' && space.minAssurance === 'low';

/**
 * Share links of a document (issue 5): created, listed and revoked by the document's owners and
 * editors — by their role as members, never by a role a link gave them —, editors up to their own
 * role; a public link is read-only, ends within a year and cannot be made in a space classified
 * `restricted`. Opening a link (`redeem`) checks its reach and records who opened it: from then
 * on the access rules (link-access.ts) give its role on the document while it lives. Every
 * creation, revocation and use is audited in the space's cell (`workspace.share_link.*`).
 */
export interface SharingDeps extends WorkspaceDeps {
  cells: Cells;
}

export const MAX_LIVE_LINKS = 50;
const MAX_LIFETIME_MS = 366 * 24 * 3600 * 1000;
const LIST_LIMIT = 200;

export interface ShareLinkView {
  id: string;
  documentId: string;
  role: ShareLinkRole;
  reach: ShareLinkReach;
  organisationId: string | null;
  expiresAt: string | null;
  allowIndexing: boolean;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
  /** The address to give (null once revoked): `/p/<token>` for public links, `/partage/<token>` otherwise. */
  url: string | null;
}

export interface ShareLinkInput {
  role: ShareLinkRole;
  reach: ShareLinkReach;
  expiresAt?: string | null;
  allowIndexing?: boolean;
}

export interface Redeemed {
  documentId: string;
  spaceId: string;
  role: SpaceRole;
  reach: ShareLinkReach;
  /** Whether the agent is a member of the space (then the app opens the document in its space). */
  member: boolean;
  /** For public links: the page to open (nothing is recorded for them). */
  publicUrl: string | null;
}

export const linkPath = (reach: ShareLinkReach, token: string) => (reach === 'public' ? `/p/${token}` : `/partage/${token}`);

export function viewOf(deps: Pick<SharingDeps, 'secret' | 'publicUrl'>, row: ShareLinkRow, now = new Date()): ShareLinkView {
  const state = row.revoked_at ? 'revoked' : row.expires_at && row.expires_at <= now ? 'expired' : 'active';
  return {
    id: row.id,
    documentId: row.document_id,
    role: row.role,
    reach: row.reach,
    organisationId: row.organisation_id,
    expiresAt: row.expires_at?.toISOString() ?? null,
    allowIndexing: row.allow_indexing,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    state,
    url: row.revoked_at ? null : new URL(linkPath(row.reach, shareLinkToken(deps.secret, row.id)), deps.publicUrl()).toString(),
  };
}

function event(actorId: string | null, jurisdiction: Jurisdiction, action: string, linkId: string, meta: RequestMeta, details: Record<string, string | number | boolean | null>, outcome: 'success' | 'denied' = 'success') {
  return { action, outcome, actorId, jurisdiction, resource: { type: 'share_link', id: linkId }, ip: meta.ip, requestId: meta.requestId, details };
}

/** Managers of a document's links: its owners and editors as members (a link's role does not count). */
async function loadAsManager(deps: SharingDeps, actor: Actor, documentId: string) {
  const access = await memberDocumentAccessFor(deps.stores, actor, documentId);
  if (!access) throw notFound();
  if (!roleAtLeast(access.role, 'editor')) throw forbidden();
  requireAssuranceFor(actor, access.minAssurance, spacePath(access.spaceId));
  return access;
}

export async function createShareLink(deps: SharingDeps, actorOrNull: Actor | null, documentId: string, input: ShareLinkInput, meta: RequestMeta): Promise<ShareLinkView> {
  const actor = requireActor(actorOrNull);
  const access = await loadAsManager(deps, actor, documentId);
  requireNotMoving(access);
  if (access.trashed) throw new AppError('document_in_trash', { status: 409 });
  if (!roleAtLeast(access.role, input.role)) throw forbidden();
  const now = Date.now();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  const problems: { path: string; message: string; code: string }[] = [];
  if (expiresAt && (expiresAt.getTime() <= now || expiresAt.getTime() > now + MAX_LIFETIME_MS)) {
    problems.push({ path: 'body.expiresAt', message: 'must be in the future, within a year', code: 'share_link_expiry' });
  }
  if (input.reach === 'public') {
    if (input.role !== 'reader') problems.push({ path: 'body.role', message: 'a public link is read-only', code: 'share_link_public_role' });
    if (!expiresAt) problems.push({ path: 'body.expiresAt', message: 'a public link needs an expiry date', code: 'share_link_public_expiry' });
  } else if (input.allowIndexing) {
    problems.push({ path: 'body.allowIndexing', message: 'only public links may be indexed', code: 'share_link_indexing' });
  }
  const organisationId = input.reach === 'organisation' ? ([...actor.memberships.keys()].sort()[0] ?? null) : null;
  if (input.reach === 'organisation' && !organisationId) problems.push({ path: 'body.reach', message: 'you belong to no organisation', code: 'share_link_no_organisation' });
  if (problems.length > 0) throw invalid(problems);

  const cell = deps.stores.cells[access.jurisdiction].db;
  if (input.reach === 'public') {
    // Only a space its owners made « Publique (liens publics permis) » goes on the open web: an
    // « Interne » or « Restreinte » one never does, whoever asks (deny unless allowed; UI review).
    const space = await cell.selectFrom('spaces').select('classification').where('id', '=', access.spaceId).executeTakeFirst();
    // Nor content of a space asking for a level of assurance: the open web meets none (attack review).
    if (!publicLinksAllowed({ classification: space?.classification ?? null, minAssurance: access.minAssurance })) {
      throw new AppError('share_link_public_refused', { status: 409 });
    }
  }
  const row = await cell.transaction().execute(async (trx) => {
    if ((await countLiveShareLinks(trx, documentId)) >= MAX_LIVE_LINKS) throw new AppError('share_link_limit', { status: 409, params: { limit: MAX_LIVE_LINKS } });
    const id = uuidv7();
    const inserted = await insertShareLink(trx, {
      id,
      document_id: documentId,
      space_id: access.spaceId,
      token_hash: tokenHash(shareLinkToken(deps.secret, id)),
      role: input.role,
      reach: input.reach,
      organisation_id: organisationId,
      expires_at: expiresAt,
      allow_indexing: input.reach === 'public' && Boolean(input.allowIndexing),
      created_by: actor.principalId,
    });
    await deps.audit.record(
      event(actor.principalId, access.jurisdiction, 'workspace.share_link.created', id, meta, {
        documentId,
        role: input.role,
        reach: input.reach,
        expiresAt: expiresAt?.toISOString() ?? null,
        allowIndexing: inserted.allow_indexing,
      }),
      trx as unknown as AuditTrx,
    );
    return inserted;
  });
  return viewOf(deps, row);
}

export async function listDocumentShareLinks(deps: SharingDeps, actorOrNull: Actor | null, documentId: string): Promise<ShareLinkView[]> {
  const actor = requireActor(actorOrNull);
  const access = await loadAsManager(deps, actor, documentId);
  const rows = await listShareLinks(deps.stores.cells[access.jurisdiction].db, documentId, LIST_LIMIT);
  const now = new Date();
  return rows.map((row) => viewOf(deps, row, now));
}

/** Revokes a link: the access it gave ends at once, open editors included (the re-check event). */
export async function revokeShareLink(deps: SharingDeps, actorOrNull: Actor | null, linkId: string, meta: RequestMeta): Promise<void> {
  const actor = requireActor(actorOrNull);
  for (const jurisdiction of ['FR', 'QC'] as const) {
    const cell = deps.stores.cells[jurisdiction].db;
    const link = await findShareLink(cell, linkId);
    if (!link) continue;
    const access = await loadAsManager(deps, actor, link.document_id);
    if (access.jurisdiction !== jurisdiction) throw notFound();
    requireNotMoving(access);
    await cell.transaction().execute(async (trx) => {
      if (!(await revokeShareLinkRow(trx, linkId, actor.principalId))) return; // already revoked: nothing to record
      await deps.audit.record(
        event(actor.principalId, jurisdiction, 'workspace.share_link.revoked', linkId, meta, { documentId: link.document_id, role: link.role, reach: link.reach }),
        trx as unknown as AuditTrx,
      );
    });
    await publishQuietly(deps, DOCUMENT_ACCESS_CHANGED, { documentId: link.document_id, spaceId: link.space_id });
    return;
  }
  throw notFound();
}

/** The link a token names, in whichever cell it is (404 for a malformed or unknown token). */
export async function findLinkByToken(deps: Pick<SharingDeps, 'stores'>, token: string): Promise<{ link: LinkByToken; jurisdiction: Jurisdiction }> {
  if (!wellFormedToken(token)) throw notFound();
  const hash = tokenHash(token);
  for (const jurisdiction of ['FR', 'QC'] as const) {
    const link = await findShareLinkByTokenHash(deps.stores.cells[jurisdiction].db, hash);
    if (link) return { link, jurisdiction };
  }
  throw notFound();
}

/** Whether the link still opens its document: live, document not in the trash, space not deleted. */
export const usable = (link: LinkByToken) => link.live && !link.trashed && !link.space_deleted;

export const linkGone = () => new AppError('share_link_gone', { status: 410 });

/**
 * A signed-in agent opens `/partage/<token>`: the reach is checked, the opening recorded and
 * audited, and the app is told where the document is and with which role.
 */
export async function redeemShareLink(deps: SharingDeps, actorOrNull: Actor | null, token: string, meta: RequestMeta): Promise<Redeemed> {
  const actor = requireActor(actorOrNull);
  const { link, jurisdiction } = await findLinkByToken(deps, token);
  const audit = (outcome: 'success' | 'denied', reason: string) =>
    deps.audit.record(event(actor.principalId, jurisdiction, 'workspace.share_link.used', link.id, meta, { documentId: link.document_id, via: 'app', action: 'open', reach: link.reach, reason }, outcome));
  if (!usable(link)) {
    await audit('denied', link.revoked_at ? 'revoked' : link.live ? 'unavailable' : 'expired');
    throw linkGone();
  }
  const member = await isSpaceMember(deps.stores.control.db, link.space_id, actor.principalId);
  if (link.reach === 'public') {
    // Public links open the server-rendered page, which records each view itself.
    return { documentId: link.document_id, spaceId: link.space_id, role: 'reader', reach: link.reach, member, publicUrl: linkPath('public', token) };
  }
  const fits = link.reach === 'authenticated' || (link.reach === 'members' && member) || (link.reach === 'organisation' && link.organisation_id !== null && actor.memberships.has(link.organisation_id));
  if (!fits) {
    await audit('denied', 'reach');
    throw new AppError('share_link_reach', { status: 403, extensions: { reach: link.reach } });
  }
  await recordRedemption(deps.stores.control.db, { link_id: link.id, principal_id: actor.principalId, document_id: link.document_id, space_id: link.space_id });
  await audit('success', 'opened');
  const access = await documentAccessFor(deps.stores, actor, link.document_id);
  if (!access) throw linkGone();
  // An open editor of this agent (a reader before) follows the new role.
  await publishQuietly(deps, DOCUMENT_ACCESS_CHANGED, { documentId: link.document_id, spaceId: link.space_id });
  return { documentId: link.document_id, spaceId: link.space_id, role: access.role, reach: link.reach, member, publicUrl: null };
}
