import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import { findProfilesByIds } from '../../identity/members.repo.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { requireNotMoving } from '../access.ts';
import { ROLE_RANK, type SpaceRole } from '../workspace.tables.ts';
import { MEMBERSHIP_CHANGED, publishQuietly, type RequestMeta, requireActor, requireAssuranceFor, type WorkspaceDeps } from './deps.ts';
import { listPendingInvitations } from './invitations.repo.ts';
import { deleteAccessRowsOf } from '../documents/documents.repo.ts';
import { loadSpace, loadSpaceAsOwner, spacePath } from './spaces.ts';
import { deleteMember, findMemberRole, listMemberRows, lockOwners, updateMemberRole } from './spaces.repo.ts';

/**
 * Members of a space. Names come from each member's home cell, read when shown and never copied
 * into the space's cell (DESIGN.md). Owners change roles and remove members; anyone may leave;
 * the last owner can neither leave nor be downgraded (`last_owner`), checked under a lock on the
 * owners' rows so that two owners demoting each other cannot both succeed.
 */
export interface MemberView {
  principalId: string;
  givenName: string | null;
  familyName: string | null;
  /** The member's home jurisdiction (null if their profile cannot be read). */
  jurisdiction: Jurisdiction | null;
  role: SpaceRole;
}

export interface InvitationView {
  id: string;
  email: string;
  role: SpaceRole;
  expiresAt: string;
}

const lastOwner = () => new AppError('last_owner', { status: 409 });

/** Names of principals, from whichever cell holds each one's profile (their home cell). */
export async function namesOf(stores: Stores, principalIds: string[]): Promise<Map<string, { givenName: string; familyName: string; jurisdiction: Jurisdiction }>> {
  const found = await Promise.all(
    JURISDICTIONS.map(async (jurisdiction) =>
      (await findProfilesByIds(stores.cells[jurisdiction].db, principalIds)).map((p) => ({ ...p, jurisdiction })),
    ),
  );
  return new Map(found.flat().map((p) => [p.principal_id, { givenName: p.given_name, familyName: p.family_name, jurisdiction: p.jurisdiction }]));
}

export async function listMembers(
  stores: Stores,
  actorOrNull: Actor | null,
  spaceId: string,
): Promise<{ members: MemberView[]; invitations: InvitationView[] }> {
  const actor = requireActor(actorOrNull);
  const { access } = await loadSpace(stores, actor, spaceId);
  const rows = await listMemberRows(stores.control.db, spaceId);
  const names = await namesOf(
    stores,
    rows.map((r) => r.principal_id),
  );
  const members = rows
    .map((row): MemberView => {
      const name = names.get(row.principal_id);
      return {
        principalId: row.principal_id,
        givenName: name?.givenName ?? null,
        familyName: name?.familyName ?? null,
        jurisdiction: name?.jurisdiction ?? null,
        role: row.role,
      };
    })
    .sort((a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role] || `${a.familyName ?? '\uffff'} ${a.givenName ?? ''}`.localeCompare(`${b.familyName ?? '\uffff'} ${b.givenName ?? ''}`, 'fr'));
  // Addresses are personal data: only the owners, who manage invitations, see them.
  const invitations =
    access.role === 'owner'
      ? (await listPendingInvitations(stores.cells[access.jurisdiction].db, spaceId)).map((i) => ({
          id: i.id,
          email: i.email,
          role: i.role,
          expiresAt: i.expires_at.toISOString(),
        }))
      : [];
  return { members, invitations };
}

export async function setMemberRole(
  deps: WorkspaceDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  principalId: string,
  role: SpaceRole,
  meta: RequestMeta,
): Promise<MemberView> {
  const actor = requireActor(actorOrNull);
  const { access } = await loadSpaceAsOwner(deps.stores, actor, spaceId);
  const before = await deps.stores.control.db.transaction().execute(async (trx) => {
    const owners = await lockOwners(trx, spaceId);
    // Authority as it stands now, under the lock: an owner demoted a moment ago no longer has it.
    if (!owners.includes(actor.principalId)) throw forbidden();
    const current = await findMemberRole(trx, spaceId, principalId);
    if (!current) throw notFound();
    if (current === role) return current;
    if (current === 'owner' && owners.length <= 1) throw lastOwner();
    await updateMemberRole(trx, spaceId, principalId, role);
    return current;
  });
  if (before !== role) {
    await deps.audit.record({
      action: 'workspace.member.role_changed',
      outcome: 'success',
      actorId: actor.principalId,
      jurisdiction: access.jurisdiction,
      resource: { type: 'space', id: spaceId },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { principalId, from: before, to: role },
    });
    await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId, principalId });
  }
  const name = (await namesOf(deps.stores, [principalId])).get(principalId);
  return { principalId, givenName: name?.givenName ?? null, familyName: name?.familyName ?? null, jurisdiction: name?.jurisdiction ?? null, role };
}

/** Owners remove anyone; a member removes themself (leaves). */
export async function removeMember(deps: WorkspaceDeps, actorOrNull: Actor | null, spaceId: string, principalId: string, meta: RequestMeta): Promise<void> {
  const actor = requireActor(actorOrNull);
  const leaving = principalId === actor.principalId;
  const { access, space } = await loadSpace(deps.stores, actor, spaceId);
  if (!leaving) {
    if (access.role !== 'owner') throw forbidden();
    requireAssuranceFor(actor, space.min_assurance, spacePath(spaceId));
  }
  // Leaving changes the space's cell too (access lists): not while it is moved.
  requireNotMoving(access);
  await deps.stores.control.db.transaction().execute(async (trx) => {
    const owners = await lockOwners(trx, spaceId);
    if (!leaving && !owners.includes(actor.principalId)) throw forbidden();
    const current = await findMemberRole(trx, spaceId, principalId);
    if (!current) throw notFound();
    if (current === 'owner' && owners.length <= 1) throw lastOwner();
    await deleteMember(trx, spaceId, principalId);
  });
  // Their places on restricted documents' access lists go too: re-invited later, they must not
  // find documents an owner had opened to them before. After the membership (the authoritative
  // part, in the control plane); a failure here is logged, and without membership the rows give
  // nothing meanwhile.
  const grantsRemoved = await deleteAccessRowsOf(deps.stores.cells[access.jurisdiction].db, spaceId, principalId).catch((error: unknown) => {
    deps.logger.warn({ err: error, spaceId }, 'access-list rows of a removed member not deleted');
    return 0;
  });
  await deps.audit.record({
    action: 'workspace.member.removed',
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction: access.jurisdiction,
    resource: { type: 'space', id: spaceId },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { principalId, left: leaving, grantsRemoved },
  });
  await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId, principalId });
}
