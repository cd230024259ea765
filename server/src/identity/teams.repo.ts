import type { ControlDb } from '../platform/db/types.ts';
import type { TeamRole } from './teams.tables.ts';

export interface TeamRow {
  id: string;
  organisation_id: string;
  name: string;
  created_at: Date;
}

const COLUMNS = ['id', 'organisation_id', 'name', 'created_at'] as const;

export async function listTeams(db: ControlDb, organisationId: string): Promise<TeamRow[]> {
  return db.selectFrom('teams').select(COLUMNS).where('organisation_id', '=', organisationId).orderBy('name').execute();
}

/** The team, only if it belongs to this organisation (another organisation's team id is not found). */
export async function findTeam(db: ControlDb, organisationId: string, teamId: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').select(COLUMNS).where('id', '=', teamId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

export async function findTeamByName(db: ControlDb, organisationId: string, name: string): Promise<TeamRow | undefined> {
  return db
    .selectFrom('teams')
    .select(COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function insertTeam(db: ControlDb, row: { id: string; organisation_id: string; name: string }): Promise<TeamRow> {
  return db.insertInto('teams').values(row).returning(COLUMNS).executeTakeFirstOrThrow();
}

export async function renameTeam(db: ControlDb, organisationId: string, teamId: string, name: string): Promise<TeamRow | undefined> {
  return db
    .updateTable('teams')
    .set({ name })
    .where('id', '=', teamId)
    .where('organisation_id', '=', organisationId)
    .returning(COLUMNS)
    .executeTakeFirst();
}

export async function deleteTeam(db: ControlDb, organisationId: string, teamId: string): Promise<boolean> {
  const result = await db.deleteFrom('teams').where('id', '=', teamId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export interface TeamMemberRow {
  team_id: string;
  principal_id: string;
  role: TeamRole;
}

/** Team memberships of every team of the organisation (one query for the members page), or of one of its members. */
export async function listTeamMembersOfOrganisation(
  db: ControlDb,
  organisationId: string,
  principalId?: string,
): Promise<(TeamMemberRow & { team_name: string })[]> {
  let query = db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.team_id', 'team_members.principal_id', 'team_members.role', 'teams.name as team_name'])
    .where('teams.organisation_id', '=', organisationId);
  if (principalId !== undefined) query = query.where('team_members.principal_id', '=', principalId);
  return query.orderBy('teams.name').execute();
}

export async function listTeamMembers(db: ControlDb, teamId: string): Promise<TeamMemberRow[]> {
  return db.selectFrom('team_members').select(['team_id', 'principal_id', 'role']).where('team_id', '=', teamId).orderBy('created_at').execute();
}

export async function upsertTeamMember(db: ControlDb, row: TeamMemberRow): Promise<'added' | 'changed' | 'unchanged'> {
  const before = await db
    .selectFrom('team_members')
    .select('role')
    .where('team_id', '=', row.team_id)
    .where('principal_id', '=', row.principal_id)
    .executeTakeFirst();
  if (before?.role === row.role) return 'unchanged';
  await db
    .insertInto('team_members')
    .values(row)
    .onConflict((oc) => oc.columns(['team_id', 'principal_id']).doUpdateSet({ role: row.role }))
    .execute();
  return before ? 'changed' : 'added';
}

export async function deleteTeamMember(db: ControlDb, teamId: string, principalId: string): Promise<boolean> {
  const result = await db.deleteFrom('team_members').where('team_id', '=', teamId).where('principal_id', '=', principalId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Removes the principal from every team of the organisation (they left it); returns the team ids. */
export async function deleteTeamMembershipsIn(db: ControlDb, organisationId: string, principalId: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('team_members')
    .where('principal_id', '=', principalId)
    .where('team_id', 'in', (eb) => eb.selectFrom('teams').select('id').where('organisation_id', '=', organisationId))
    .returning('team_id')
    .execute();
  return rows.map((r) => r.team_id);
}

/** The teams this principal manages, in any organisation. */
export async function listTeamsManagedBy(db: ControlDb, principalId: string): Promise<TeamRow[]> {
  return db
    .selectFrom('teams')
    .innerJoin('team_members', 'team_members.team_id', 'teams.id')
    .select(['teams.id', 'teams.organisation_id', 'teams.name', 'teams.created_at'])
    .where('team_members.principal_id', '=', principalId)
    .where('team_members.role', '=', 'manager')
    .orderBy('teams.name')
    .execute();
}

export async function findTeamById(db: ControlDb, teamId: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').select(COLUMNS).where('id', '=', teamId).executeTakeFirst();
}
