import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { OrganisationRole, PlatformRole } from './identity.tables.ts';
import type { ResolvedSession } from './sessions.ts';

/** Who is acting in a request: the signed-in principal and what the control plane grants them. */
export interface Actor {
  principalId: string;
  homeJurisdiction: Jurisdiction;
  sessionId: string;
  /** eIDAS level of this session's sign-in, and the federation it came through (null: none). */
  assuranceLevel: string | null;
  upstream: string | null;
  memberships: ReadonlyMap<string, readonly OrganisationRole[]>;
  platformRoles: ReadonlySet<PlatformRole>;
  /** A browser session, or a scoped token (then `scopes` limits what it may do). */
  via: 'session' | 'token';
  scopes: ReadonlySet<string> | null;
}

/** The actor of a resolved session (its grants were read with it: no further query). */
export function actorFromSession(session: ResolvedSession): Actor {
  return {
    principalId: session.principalId,
    homeJurisdiction: session.homeJurisdiction,
    sessionId: session.id,
    assuranceLevel: session.assuranceLevel,
    upstream: session.upstream,
    memberships: new Map(session.grants.memberships.map((m) => [m.organisationId, m.roles])),
    platformRoles: new Set(session.grants.platformRoles),
    via: 'session',
    scopes: null,
  };
}
