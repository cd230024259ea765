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

export async function findMemberRow(db: ControlDb, organisationId: string, principalId: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('memberships')
    .innerJoin('principals', 'principals.id', 'memberships.principal_id')
    .select(['memberships.principal_id', 'memberships.roles', 'principals.home_jurisdiction', 'principals.status'])
    .where('memberships.organisation_id', '=', organisationId)
    .where('memberships.principal_id', '=', principalId)
    .executeTakeFirst();
}

/**
 * Locks the organisation's administrators' memberships (inside the caller's transaction) and
 * returns their principal ids: two administrators removing each other at the same time cannot
 * both succeed and leave the organisation without one.
 */
export async function lockAdministrators(trx: ControlDb, organisationId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('memberships')
    .select('principal_id')
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`'admin' = any(roles)`)
    .forUpdate()
    .execute();
  return rows.map((r) => r.principal_id);
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

export async function findPrincipal(db: ControlDb, principalId: string) {
  return db.selectFrom('principals').select(['id', 'home_jurisdiction', 'status']).where('id', '=', principalId).executeTakeFirst();
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
