import { sql } from 'kysely';
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

/** A principal's grants in one query: what a token-authenticated request needs. */
export async function loadGrants(
  db: ControlDb,
  principalId: string,
): Promise<{ memberships: { organisationId: string; roles: OrganisationRole[] }[]; platformRoles: PlatformRole[] }> {
  const row = await db
    .selectNoFrom([
      sql<{ organisationId: string; roles: OrganisationRole[] }[]>`coalesce((
        select json_agg(json_build_object('organisationId', m.organisation_id, 'roles', m.roles))
        from memberships m where m.principal_id = ${principalId}), '[]'::json)`.as('memberships'),
      sql<PlatformRole[]>`coalesce((
        select array_agg(r.role order by r.role) from platform_roles r where r.principal_id = ${principalId}), '{}'::text[])`.as(
        'platform_roles',
      ),
    ])
    .executeTakeFirstOrThrow();
  return { memberships: row.memberships, platformRoles: row.platform_roles };
}

/** A principal's home jurisdiction and status; undefined when there is no such principal. */
export async function findPrincipal(db: ControlDb, id: string): Promise<{ home_jurisdiction: Jurisdiction; status: 'active' | 'disabled' } | undefined> {
  return db.selectFrom('principals').select(['home_jurisdiction', 'status']).where('id', '=', id).executeTakeFirst();
}

/**
 * A principal with the organisations it belongs to, in one query (the OpenID provider asks on
 * every token request: the status says whether to answer, the memberships whether the profile's
 * organisation may still be asserted).
 */
export async function findPrincipalWithMemberships(
  db: ControlDb,
  id: string,
): Promise<{ home_jurisdiction: Jurisdiction; status: 'active' | 'disabled'; organisation_ids: string[] } | undefined> {
  return db
    .selectFrom('principals')
    .select([
      'home_jurisdiction',
      'status',
      sql<string[]>`array(select m.organisation_id from memberships m where m.principal_id = principals.id)`.as('organisation_ids'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}
