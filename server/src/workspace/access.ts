import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Stores } from '../platform/db/stores.ts';
import { ASSURANCE_LEVELS, type AssuranceLevel } from '../identity/federation/upstream.ts';
import { findDocumentForAccess, findMemberships, findRestrictedAncestors, listRestrictionTree } from './access.repo.ts';
import { AppError } from '../platform/errors.ts';
import { ROLE_RANK, type SpaceRole } from './workspace.tables.ts';
import { withShareLinks } from './sharing/link-access.ts'; // share links (helper S)
import type { ShareLinkReach } from './sharing/sharing.tables.ts';

/**
 * Who may do what on a space or a document: the one place the rules live, used by the API and
 * by the collaboration server on every connection (and again when memberships change).
 *
 * - A non-member learns nothing: the answer is `null`, the same as for a document that does not
 *   exist (routes answer 404, never 403, so that a space's existence does not leak).
 * - A restricted document is reached only by the space's owners and the principals listed in
 *   `document_access`; the effective role is the lower of the space role and the listed one.
 *   A restriction covers the subtree under the document: a page created, moved or left under a
 *   restricted page is reached only by those who reach every restricted page above it.
 * - A session below the space's minimum assurance gets `insufficientAssurance` (the UI offers a
 *   step-up sign-in) rather than the content.
 */
export interface DocumentAccess {
  documentId: string;
  spaceId: string;
  jurisdiction: Jurisdiction;
  role: SpaceRole;
  epoch: number;
  trashed: boolean;
  minAssurance: AssuranceLevel;
  /** True when the session's level is below the space's minimum: no content may be served. */
  insufficientAssurance: boolean;
  /** The space is being moved to the other cell: readable, not writable (requireNotMoving). */
  moving: boolean;
  /**
   * Set when the role comes from a share link rather than membership (link-access.ts), with the
   * role the agent has as a member (null: none): what the link grants is audited (link-audit.ts).
   */
  link?: { id: string; reach: ShareLinkReach; memberRole: SpaceRole | null };
}

export function rankOf(role: SpaceRole): number {
  return ROLE_RANK[role];
}

export function lowerRole(a: SpaceRole, b: SpaceRole): SpaceRole {
  return ROLE_RANK[a] <= ROLE_RANK[b] ? a : b;
}

/** Whether `role` includes the rights of `needed` (owner ⊃ editor ⊃ commenter ⊃ reader). */
export function roleAtLeast(role: SpaceRole, needed: SpaceRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

/** Editors and owners change the text; commenters and readers only read it. */
export function canEditText(role: SpaceRole): boolean {
  return roleAtLeast(role, 'editor');
}

/**
 * While a space is moved to the other jurisdiction (`entente spaces move`) it stays readable but
 * nothing may change it: every change of the space's content, tree, members or settings calls
 * this after its own authorisation (so a reader still gets 403, not this). 423 Locked, with a
 * localised `space_moving` problem; the live editor turns read-only the same way.
 */
export function requireNotMoving(access: { moving?: boolean }): void {
  if (access.moving) throw new AppError('space_moving', { status: 423, headers: { 'retry-after': '60' } });
}

/** Whether a session of level `level` (null: no federation level, e.g. a test session) meets `min`. */
export function meetsAssurance(level: string | null, min: AssuranceLevel): boolean {
  if (min === 'low') return true;
  const rank = ASSURANCE_LEVELS.indexOf(level as AssuranceLevel);
  return rank >= ASSURANCE_LEVELS.indexOf(min);
}

export async function documentAccessFor(
  stores: Stores,
  principal: { principalId: string; assuranceLevel: string | null },
  documentId: string,
): Promise<DocumentAccess | null> {
  // ── share links (helper S): a live link the agent opened may give a role on this document ──
  if (!/^[0-9a-f-]{36}$/i.test(documentId)) return null;
  return withShareLinks(stores, principal, documentId, await memberDocumentAccessFor(stores, principal, documentId));
}

/** The members' rules only (managing share links needs a role that does not come from a link). */
export async function memberDocumentAccessFor(
  stores: Stores,
  principal: { principalId: string; assuranceLevel: string | null },
  documentId: string,
): Promise<DocumentAccess | null> {
  // ── end share links ──
  if (!/^[0-9a-f-]{36}$/i.test(documentId)) return null;
  const memberships = await findMemberships(stores.control.db, principal.principalId);
  const byJurisdiction = new Map<Jurisdiction, string[]>();
  for (const m of memberships) byJurisdiction.set(m.jurisdiction, [...(byJurisdiction.get(m.jurisdiction) ?? []), m.space_id]);
  for (const [jurisdiction, spaceIds] of byJurisdiction) {
    const row = await findDocumentForAccess(stores.cells[jurisdiction].db, documentId, spaceIds, principal.principalId);
    if (!row) continue;
    const spaceRole = memberships.find((m) => m.space_id === row.space_id)?.role as SpaceRole;
    const ancestors = spaceRole === 'owner' ? [] : await findRestrictedAncestors(stores.cells[jurisdiction].db, documentId, principal.principalId);
    const restrictions = [...(row.restricted ? [row.granted_role] : []), ...ancestors.map((a) => a.granted_role)];
    const role = effectiveRole(spaceRole, restrictions);
    if (!role) return null;
    return {
      documentId: row.id,
      spaceId: row.space_id,
      jurisdiction,
      role,
      epoch: row.epoch,
      trashed: row.trashed,
      minAssurance: row.min_assurance,
      insufficientAssurance: !meetsAssurance(principal.assuranceLevel, row.min_assurance),
      moving: Boolean(memberships.find((m) => m.space_id === row.space_id)?.moving),
    };
  }
  return null;
}

/** A member's standing in a space: enough to route to its cell and check their role. */
export interface SpaceAccess {
  spaceId: string;
  jurisdiction: Jurisdiction;
  role: SpaceRole;
  /** Being moved to the other cell: read-only meanwhile (requireNotMoving). */
  moving: boolean;
}

/** Null for a non-member, exactly as for a space that does not exist (answer 404, never 403). */
export async function spaceAccessFor(stores: Stores, principalId: string, spaceId: string): Promise<SpaceAccess | null> {
  if (!/^[0-9a-f-]{36}$/i.test(spaceId)) return null;
  const [membership] = await findMemberships(stores.control.db, principalId, [spaceId]);
  return membership
    ? { spaceId: membership.space_id, jurisdiction: membership.jurisdiction, role: membership.role, moving: Boolean(membership.moving) }
    : null;
}

/**
 * The role a member has on a document given the restrictions on it and above it (each the
 * member's grant there, or null when not listed): owners of the space pass every restriction;
 * anyone else needs a grant on each, and gets the lowest of them and their space role.
 */
export function effectiveRole(spaceRole: SpaceRole, restrictions: readonly (SpaceRole | null)[]): SpaceRole | null {
  if (spaceRole === 'owner') return spaceRole;
  let role: SpaceRole = spaceRole;
  for (const granted of restrictions) {
    if (!granted) return null;
    role = lowerRole(role, granted);
  }
  return role;
}

/** The effective role on every document of a space (one query; the tree is walked in memory). */
export async function effectiveRolesInSpace(
  stores: Stores,
  space: { spaceId: string; jurisdiction: Jurisdiction; role: SpaceRole },
  principalId: string,
): Promise<Map<string, SpaceRole | null>> {
  const rows = await listRestrictionTree(stores.cells[space.jurisdiction].db, space.spaceId, principalId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const roles = new Map<string, SpaceRole | null>();
  const resolve = (id: string, depth: number): SpaceRole | null => {
    if (roles.has(id)) return roles.get(id) ?? null;
    const row = byId.get(id);
    if (!row || depth > 200) return null;
    const above = row.parent_id ? resolve(row.parent_id, depth + 1) : space.role;
    const role = above && row.restricted ? effectiveRole(above, [row.granted_role]) : above;
    roles.set(id, role);
    return role;
  };
  for (const row of rows) resolve(row.id, 0);
  return roles;
}
