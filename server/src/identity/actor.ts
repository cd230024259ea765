import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { ControlDb } from '../platform/db/types.ts';
import type { OrganisationRole, PlatformRole } from './identity.tables.ts';
import { loadPrincipalGrants } from './principals.repo.ts';

/** Who is acting in a request: the signed-in principal and what the control plane grants them. */
export interface Actor {
  principalId: string;
  homeJurisdiction: Jurisdiction;
  sessionId: string;
  memberships: ReadonlyMap<string, readonly OrganisationRole[]>;
  platformRoles: ReadonlySet<PlatformRole>;
}

export async function loadActor(
  db: ControlDb,
  session: { id: string; principalId: string; homeJurisdiction: Jurisdiction },
): Promise<Actor> {
  const grants = await loadPrincipalGrants(db, session.principalId);
  return {
    principalId: session.principalId,
    homeJurisdiction: session.homeJurisdiction,
    sessionId: session.id,
    memberships: new Map(grants.memberships.map((m) => [m.organisationId, m.roles])),
    platformRoles: new Set(grants.platformRoles),
  };
}
