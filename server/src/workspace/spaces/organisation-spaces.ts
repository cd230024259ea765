import { MEMBERSHIP_CHANGED, publishQuietly } from './deps.ts';
import { finishSpaceDeletion, type ShredDeps, shredSpace } from './delete-space.ts';
import { deleteOrganisationQuota, removeSpaceMembers, spacesWithAnyOf } from './organisation-spaces.repo.ts';

/**
 * The workspace's part of deleting an organisation (identity/organisation-deletion.ts calls it
 * through the port the composition root passes in; docs/adr/0005-deleting-an-organisation.md).
 *
 * `leaving`: the organisation's members who are no longer agents of Entente afterwards (no other
 * organisation, no platform role). A space the organisation **holds** — it has owners and every
 * one of them is leaving — is deleted through the space-deletion path (keys destroyed at once,
 * control plane cleaned, purge job). Any other space where a leaving agent is a member survives
 * without them; members who stay (they belong to another organisation too) keep their places.
 * Idempotent: run again after a crash, spaces already marked are finished, not marked twice.
 */
export interface OrganisationSpacesReport {
  deleted: string[];
  kept: string[];
  membershipsRemoved: number;
}

export async function settleSpacesOfOrganisation(
  deps: ShredDeps,
  input: { organisationId: string; leaving: readonly string[]; actorId: string | null; requestId: string },
): Promise<OrganisationSpacesReport> {
  const leaving = new Set(input.leaving);
  const report: OrganisationSpacesReport = { deleted: [], kept: [], membershipsRemoved: 0 };
  for (const space of await spacesWithAnyOf(deps.stores.control.db, [...leaving])) {
    const owners = space.members.filter((m) => m.role === 'owner');
    if (owners.length > 0 && owners.every((o) => leaving.has(o.principalId))) {
      const by = { actorId: input.actorId, ip: null, requestId: input.requestId, reason: 'organisation_deleted' };
      // Already marked (a run that stopped after the cell write): finish what the outbox would.
      if (!(await shredSpace(deps, space.jurisdiction, space.spaceId, by))) {
        await finishSpaceDeletion(deps, space.jurisdiction, { spaceId: space.spaceId, actorId: input.actorId, requestId: input.requestId });
      }
      report.deleted.push(space.spaceId);
      continue;
    }
    const gone = space.members.filter((m) => leaving.has(m.principalId)).map((m) => m.principalId);
    const removed = await removeSpaceMembers(deps.stores.control.db, space.spaceId, gone);
    if (removed > 0) {
      await deps.audit.record({
        action: 'workspace.space.members_removed',
        outcome: 'success',
        actorId: input.actorId,
        resource: { type: 'space', id: space.spaceId },
        requestId: input.requestId,
        details: { members: removed, reason: 'organisation_deleted' },
      });
    }
    report.membershipsRemoved += removed;
    // Live editors re-check their access at once (their connections close).
    await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId: space.spaceId });
    report.kept.push(space.spaceId);
  }
  return report;
}

/** Rows the workspace keeps about the organisation itself: its storage quota. */
export async function forgetOrganisation(deps: Pick<ShredDeps, 'stores'>, organisationId: string): Promise<void> {
  await deleteOrganisationQuota(deps.stores.control.db, organisationId);
}

/** The port identity's organisation deletion calls (identity/organisation-deletion.ts, OrganisationSpacesPort). */
export function organisationSpacesPort(deps: ShredDeps): {
  settle: (input: Parameters<typeof settleSpacesOfOrganisation>[1]) => Promise<OrganisationSpacesReport>;
  forget: (organisationId: string) => Promise<void>;
} {
  return { settle: (input) => settleSpacesOfOrganisation(deps, input), forget: (organisationId) => forgetOrganisation(deps, organisationId) };
}
