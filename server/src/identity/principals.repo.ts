import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { ControlDb } from '../platform/db/types.ts';
import type { OrganisationRole, PlatformRole } from './identity.tables.ts';

export async function insertPrincipalIfAbsent(db: ControlDb, id: string, homeJurisdiction: Jurisdiction): Promise<void> {
  await db
    .insertInto('principals')
    .values({ id, home_jurisdiction: homeJurisdiction, status: 'active' })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function upsertMembership(
  db: ControlDb,
  organisationId: string,
  principalId: string,
  roles: OrganisationRole[],
): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ organisation_id: organisationId, principal_id: principalId, roles })
    .onConflict((oc) => oc.columns(['organisation_id', 'principal_id']).doUpdateSet({ roles }))
    .execute();
}

export async function grantPlatformRole(db: ControlDb, principalId: string, role: PlatformRole): Promise<void> {
  await db
    .insertInto('platform_roles')
    .values({ principal_id: principalId, role })
    .onConflict((oc) => oc.columns(['principal_id', 'role']).doNothing())
    .execute();
}

/** What authorisation needs about a principal, in one round trip per table. */
export async function loadPrincipalGrants(
  db: ControlDb,
  principalId: string,
): Promise<{ memberships: { organisationId: string; roles: OrganisationRole[] }[]; platformRoles: PlatformRole[] }> {
  const [memberships, roles] = await Promise.all([
    db.selectFrom('memberships').select(['organisation_id', 'roles']).where('principal_id', '=', principalId).execute(),
    db.selectFrom('platform_roles').select(['role']).where('principal_id', '=', principalId).execute(),
  ]);
  return {
    memberships: memberships.map((m) => ({ organisationId: m.organisation_id, roles: m.roles })),
    platformRoles: roles.map((r) => r.role),
  };
}
