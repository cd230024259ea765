import { sql } from 'kysely';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { ControlDb } from '../platform/db/types.ts';
import type { OrganisationRole } from './identity.tables.ts';

export interface MemberRow {
  principal_id: string;
  roles: OrganisationRole[];
  home_jurisdiction: Jurisdiction;
  status: 'active' | 'disabled';
}

/** The organisation's members with their principal's home cell and status (no names: those are in the cells). */
export async function listMemberRows(db: ControlDb, organisationId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('principals', 'principals.id', 'memberships.principal_id')
    .select(['memberships.principal_id', 'memberships.roles', 'principals.home_jurisdiction', 'principals.status'])
    .where('memberships.organisation_id', '=', organisationId)
    .orderBy('memberships.created_at')
    .execute();
}

/**
 * The membership, locked FOR SHARE until the caller's transaction ends: a removal (which deletes
 * it) waits for a team addition that read it, and an addition waits for a removal in progress.
 */
export async function lockMembershipForShare(trx: ControlDb, organisationId: string, principalId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('memberships')
    .select('principal_id')
    .where('organisation_id', '=', organisationId)
    .where('principal_id', '=', principalId)
    .forShare()
    .executeTakeFirst();
  return row !== undefined;
}

export async function findMemberRow(db: ControlDb, organisationId: string, principalId: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('memberships')
    .innerJoin('principals', 'principals.id', 'memberships.principal_id')
    .select(['memberships.principal_id', 'memberships.roles', 'principals.home_jurisdiction', 'principals.status'])
    .where('memberships.organisation_id', '=', organisationId)
    .where('memberships.principal_id', '=', principalId)
    .executeTakeFirst();
}

export interface LockedAdministrator {
  principalId: string;
  active: boolean;
}

/**
 * Locks the organisation's administrators' memberships (inside the caller's transaction) and
 * returns them with whether their principal is active: two administrators removing each other at
 * the same time cannot both succeed and leave the organisation without one. Rows are locked in
 * principal id order, so that two such transactions wait for each other instead of deadlocking.
 */
export async function lockAdministrators(trx: ControlDb, organisationId: string): Promise<LockedAdministrator[]> {
  const rows = await trx
    .selectFrom('memberships')
    .select('principal_id')
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`'admin' = any(roles)`)
    .orderBy('principal_id')
    .forUpdate()
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.principal_id);
  const statuses = await trx.selectFrom('principals').select(['id', 'status']).where('id', 'in', ids).execute();
  const active = new Set(statuses.filter((p) => p.status === 'active').map((p) => p.id));
  return ids.map((principalId) => ({ principalId, active: active.has(principalId) }));
}

/**
 * True when taking `principalId` out of the administrators would leave the organisation without
 * an active one. A disabled administrator cannot act for the organisation, so does not count.
 */
export function wouldLeaveNoActiveAdmin(admins: readonly LockedAdministrator[], principalId: string): boolean {
  if (!admins.some((a) => a.principalId === principalId)) return false;
  return !admins.some((a) => a.active && a.principalId !== principalId);
}

export async function updateMemberRoles(trx: ControlDb, organisationId: string, principalId: string, roles: OrganisationRole[]): Promise<boolean> {
  const result = await trx
    .updateTable('memberships')
    .set({ roles })
    .where('organisation_id', '=', organisationId)
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteMembership(trx: ControlDb, organisationId: string, principalId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('memberships')
    .where('organisation_id', '=', organisationId)
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** True when the principal is a member of the organisation (whatever their roles). */
export async function isMemberOf(db: ControlDb, organisationId: string, principalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .select('principal_id')
    .where('organisation_id', '=', organisationId)
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many organisations the principal still belongs to, and whether they hold a platform role. */
export async function remainingGrants(db: ControlDb, principalId: string): Promise<{ memberships: number; platformRoles: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('memberships').select((m) => m.fn.countAll<number>().as('n')).where('principal_id', '=', principalId).as('memberships'),
      eb.selectFrom('platform_roles').select((m) => m.fn.countAll<number>().as('n')).where('principal_id', '=', principalId).as('platform_roles'),
    ])
    .executeTakeFirstOrThrow();
  return { memberships: Number(row.memberships ?? 0), platformRoles: Number(row.platform_roles ?? 0) };
}

export async function setPrincipalStatus(db: ControlDb, principalId: string, status: 'active' | 'disabled'): Promise<boolean> {
  const result = await db
    .updateTable('principals')
    .set({ status })
    .where('id', '=', principalId)
    .where('status', '<>', status)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
