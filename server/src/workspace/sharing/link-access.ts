import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import { findPrincipalWithMemberships } from '../../identity/principals.repo.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { DocumentAccess } from '../access.ts';
import { meetsAssurance, roleAtLeast } from '../access.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import { findLiveLinksForDocument, findRedemptions } from './share-links.repo.ts';
import type { ShareLinkReach } from './sharing.tables.ts';

/**
 * The share links' part of the access rules (access.ts `documentAccessFor` calls this after the
 * members' rules). An agent who opened a live link of a document (`share_link_redemptions`) and
 * still fits its reach gets the link's role on that document — the document only, not the pages
 * under it nor the space's tree — for as long as the link lives: a revoked or expired link gives
 * nothing from the next check on (the collaboration server re-checks open connections on the
 * `workspace.document.access_changed` event the revocation publishes). The result is the stronger
 * of the member's role and the links' roles; a link never gives more than `editor`.
 *
 * The reach is checked again at each access: `members` needs the membership still, `organisation`
 * the organisation still (an agent who left it loses what its links gave). Public links are never
 * redeemed: they open the server-rendered page only (public-page.ts).
 */
export async function withShareLinks(
  stores: Stores,
  principal: { principalId: string; assuranceLevel: string | null },
  documentId: string,
  base: DocumentAccess | null,
): Promise<DocumentAccess | null> {
  // Nothing a link gives can beat editor: skip the query for editors and owners.
  if (base && roleAtLeast(base.role, 'editor')) return base;
  const redemptions = await findRedemptions(stores.control.db, principal.principalId, documentId);
  if (redemptions.length === 0) return base;
  const byJurisdiction = new Map<Jurisdiction, string[]>();
  for (const r of redemptions) byJurisdiction.set(r.jurisdiction, [...(byJurisdiction.get(r.jurisdiction) ?? []), r.link_id]);
  let organisations: Set<string> | null = null;
  const fits = async (reach: ShareLinkReach, spaceId: string, organisationId: string | null): Promise<boolean> => {
    if (reach === 'authenticated') return true;
    if (reach === 'members') return Boolean(redemptions.find((r) => r.space_id === spaceId)?.member);
    if (reach === 'organisation' && organisationId) {
      organisations ??= new Set((await findPrincipalWithMemberships(stores.control.db, principal.principalId))?.organisation_ids ?? []);
      return organisations.has(organisationId);
    }
    return false;
  };
  let best: DocumentAccess | null = base;
  for (const [jurisdiction, ids] of byJurisdiction) {
    for (const link of await findLiveLinksForDocument(stores.cells[jurisdiction].db, documentId, ids)) {
      if (!(await fits(link.reach, link.space_id, link.organisation_id))) continue;
      if (best && roleAtLeast(best.role, link.role)) continue;
      const redemption = redemptions.find((r) => r.link_id === link.id);
      best = {
        documentId,
        spaceId: link.space_id,
        jurisdiction,
        role: link.role as SpaceRole,
        epoch: link.epoch,
        trashed: link.trashed,
        minAssurance: link.min_assurance,
        insufficientAssurance: !meetsAssurance(principal.assuranceLevel, link.min_assurance),
        moving: Boolean(redemption?.moving),
        link: { id: link.id, reach: link.reach, memberRole: base?.role ?? null },
      };
    }
  }
  return best;
}
