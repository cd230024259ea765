import type { Stores } from '../../platform/db/stores.ts';
import { findOrganisationsByIds } from '../organisations.repo.ts';
import { findPrincipalWithMemberships } from '../principals.repo.ts';
import { findProfile } from '../profiles.repo.ts';

/**
 * The claims Entente vouches for, per scope. The profile is read from the agent's home cell when
 * a token or userinfo is produced (never copied into the provider's storage); the organisation
 * from the control plane. What `accountClaims` answers is kept a few seconds per node
 * (account-cache.ts), and forgotten at once wherever the account changes.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub', 'acr'],
  profile: ['given_name', 'family_name', 'name', 'locale'],
  email: ['email', 'email_verified'],
  organization: ['organization'],
  jurisdiction: ['jurisdiction'],
} as const;

export type ClaimScope = keyof typeof SCOPE_CLAIMS;

/** Claims about the authentication itself, not the agent: any client may ask for them. */
export const PROTOCOL_CLAIMS: readonly string[] = ['sub', 'acr', 'auth_time', 'amr', 'sid', 'iss'];

/**
 * The claims a client may receive given the scopes it is allowed: the `claims` parameter must not
 * reach beyond them (a client registered for `openid` only gets no email by asking for it).
 */
export function claimsAllowedBy(scopes: Iterable<string>): Set<string> {
  const allowed = new Set<string>(PROTOCOL_CLAIMS);
  for (const scope of scopes) for (const claim of SCOPE_CLAIMS[scope as ClaimScope] ?? []) allowed.add(claim);
  return allowed;
}

type Organisation = Awaited<ReturnType<typeof findOrganisationsByIds>>[number];
export type OrganisationLookup = (id: string) => Promise<Organisation | undefined>;

/**
 * Organisations are public and change rarely, while every token answer names the agent's: kept a
 * minute per node (one query fewer per token request; bench/README.md, oidc-token).
 *
 * The principal's status, memberships and profile (`accountClaims`) are kept ACCOUNT_CACHE_MS
 * (5 s) per node by account-cache.ts, and a disabled agent still gets no token: disabling,
 * removing a membership (an organisation's deletion included), changing the profile and signing
 * in call `accountsChanged`, which forgets the agent on this node before the change's request
 * goes on and on the other nodes through the event bus (ACCOUNTS_CHANGED_TOPIC); the TTL bounds
 * only a lost event. Disabled, unknown or profile-less principals are never cached.
 */
export function cachedOrganisations(stores: Stores, ttlMs = 60_000, maxEntries = 1000): OrganisationLookup {
  const entries = new Map<string, { at: number; value: Promise<Organisation | undefined> }>();
  return (id) => {
    const hit = entries.get(id);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = findOrganisationsByIds(stores.control.db, [id]).then((rows) => rows[0]);
    value.catch(() => entries.delete(id));
    entries.set(id, { at: Date.now(), value });
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return value;
  };
}

export async function accountClaims(
  stores: Stores,
  principalId: string,
  organisationOf: OrganisationLookup = async (id) => (await findOrganisationsByIds(stores.control.db, [id]))[0],
): Promise<Record<string, unknown> | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(principalId)) return undefined;
  const principal = await findPrincipalWithMemberships(stores.control.db, principalId);
  if (principal?.status !== 'active') return undefined;
  const profile = await findProfile(stores.cells[principal.home_jurisdiction].db, principalId);
  if (!profile) return undefined;
  // The profile names the organisation of the latest sign-in; Entente vouches for it only while
  // the agent is still a member (one who left or was removed is not asserted as belonging to it).
  const member = profile.organisation_id !== null && principal.organisation_ids.includes(profile.organisation_id);
  const organisation = member && profile.organisation_id ? await organisationOf(profile.organisation_id) : undefined;
  return {
    sub: principalId,
    given_name: profile.given_name,
    family_name: profile.family_name,
    name: `${profile.given_name} ${profile.family_name}`,
    locale: profile.preferred_language,
    email: profile.email,
    // Only what the federation of the latest sign-in said of this very address (profiles.repo.ts).
    email_verified: profile.email_verified === true,
    ...(organisation
      ? {
          organization: {
            id: organisation.id,
            name: organisation.name,
            ...(organisation.siret ? { siret: organisation.siret } : {}),
            ...(organisation.neq ? { neq: organisation.neq } : {}),
          },
        }
      : {}),
    jurisdiction: principal.home_jurisdiction,
  };
}
