import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Stores } from '../platform/db/stores.ts';
import { ASSURANCE_LEVELS, type AssuranceLevel } from '../identity/federation/upstream.ts';
import { findDocumentForAccess, findMemberships } from './access.repo.ts';
import { ROLE_RANK, type SpaceRole } from './workspace.tables.ts';

/**
 * Who may do what on a space or a document: the one place the rules live, used by the API and
 * by the collaboration server on every connection (and again when memberships change).
 *
 * - A non-member learns nothing: the answer is `null`, the same as for a document that does not
 *   exist (routes answer 404, never 403, so that a space's existence does not leak).
 * - A restricted document is reached only by the space's owners and the principals listed in
 *   `document_access`; the effective role is the lower of the space role and the listed one.
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
  if (!/^[0-9a-f-]{36}$/i.test(documentId)) return null;
  const memberships = await findMemberships(stores.control.db, principal.principalId);
  const byJurisdiction = new Map<Jurisdiction, string[]>();
  for (const m of memberships) byJurisdiction.set(m.jurisdiction, [...(byJurisdiction.get(m.jurisdiction) ?? []), m.space_id]);
  for (const [jurisdiction, spaceIds] of byJurisdiction) {
    const row = await findDocumentForAccess(stores.cells[jurisdiction].db, documentId, spaceIds, principal.principalId);
    if (!row) continue;
    const spaceRole = memberships.find((m) => m.space_id === row.space_id)?.role as SpaceRole;
    let role: SpaceRole | null = spaceRole;
    if (row.restricted && spaceRole !== 'owner') role = row.granted_role ? lowerRole(spaceRole, row.granted_role) : null;
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
    };
  }
  return null;
}
