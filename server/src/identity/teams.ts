import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorization.ts';
import { findOrganisationsByIds } from './organisations.repo.ts';
import { type AuditTrx, type RequestMeta, requireSession } from './roles.ts';
import { lockMembershipForShare } from './roles.repo.ts';
import {
  deleteTeam as deleteTeamRow,
  deleteTeamMember,
  findTeam,
  findTeamById,
  findTeamByName,
  insertTeam,
  listTeamMembers,
  listTeamMembersOfOrganisation,
  listTeams,
  listTeamsManagedBy,
  renameTeam as renameTeamRow,
  type TeamRow,
  upsertTeamMember,
} from './teams.repo.ts';
import type { TeamRole } from './teams.tables.ts';

/**
 * Teams inside an organisation (name, members, managers), managed by its administrators. Names
 * are unique in the organisation whatever their case; members must be members of it. Every
 * change is audited (`team.created`, `team.renamed`, `team.deleted`, `team.member_added`,
 * `team.member_removed`), as control-plane events of the organisation.
 */
export const TEAM_NAME_MAX = 100;

export interface TeamView {
  id: string;
  name: string;
  createdAt: string;
  members: { principalId: string; role: TeamRole }[];
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1) throw invalid([{ path: 'body.name', message: 'required', code: 'too_small' }]);
  if (trimmed.length > TEAM_NAME_MAX) throw invalid([{ path: 'body.name', message: `at most ${TEAM_NAME_MAX} characters`, code: 'too_big' }]);
  return trimmed;
}

const nameTaken = () =>
  new AppError('team_name_taken', { status: 409, errors: [{ path: 'body.name', message: 'already used in this organisation', code: 'duplicate' }] });

const isUniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === '23505';

async function requireOrganisation(stores: Stores, organisationId: string): Promise<void> {
  const [organisation] = await findOrganisationsByIds(stores.control.db, [organisationId]);
  if (!organisation) throw notFound();
}

export async function listTeamsOf(stores: Stores, actor: Actor | null, organisationId: string): Promise<TeamView[]> {
  authorize(actor, 'organisation.read_members', { organisationId });
  await requireOrganisation(stores, organisationId);
  const [teams, members] = await Promise.all([
    listTeams(stores.control.db, organisationId),
    listTeamMembersOfOrganisation(stores.control.db, organisationId),
  ]);
  return teams.map((team) => view(team, members.filter((m) => m.team_id === team.id)));
}

function view(team: TeamRow, members: { principal_id: string; role: TeamRole }[]): TeamView {
  return {
    id: team.id,
    name: team.name,
    createdAt: team.created_at.toISOString(),
    members: members.map((m) => ({ principalId: m.principal_id, role: m.role })),
  };
}

export async function createTeam(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  organisationId: string,
  input: { name: string },
  meta: RequestMeta,
): Promise<TeamView> {
  const me = authorize(actor, 'organisation.manage_teams', { organisationId });
  requireSession(me);
  const name = cleanName(input.name);
  await requireOrganisation(stores, organisationId);
  const team = await stores.control.db.transaction().execute(async (trx) => {
    if (await findTeamByName(trx, organisationId, name)) throw nameTaken();
    const row = await insertTeam(trx, { id: uuidv7(), organisation_id: organisationId, name }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? nameTaken() : error;
    });
    await audit.record(
      { action: 'team.created', outcome: 'success', actorId: me.principalId, organisationId, resource: { type: 'team', id: row.id }, requestId: meta.requestId },
      trx as unknown as AuditTrx,
    );
    return row;
  });
  return view(team, []);
}

export async function renameTeam(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  organisationId: string,
  teamId: string,
  input: { name: string },
  meta: RequestMeta,
): Promise<TeamView> {
  const me = authorize(actor, 'organisation.manage_teams', { organisationId });
  requireSession(me);
  const name = cleanName(input.name);
  const team = await stores.control.db.transaction().execute(async (trx) => {
    const before = await findTeam(trx, organisationId, teamId);
    if (!before) throw notFound();
    const same = await findTeamByName(trx, organisationId, name);
    if (same && same.id !== teamId) throw nameTaken();
    if (before.name === name) return before;
    const row = await renameTeamRow(trx, organisationId, teamId, name).catch((error: unknown) => {
      throw isUniqueViolation(error) ? nameTaken() : error;
    });
    if (!row) throw notFound();
    await audit.record(
      {
        action: 'team.renamed',
        outcome: 'success',
        actorId: me.principalId,
        organisationId,
        resource: { type: 'team', id: teamId },
        requestId: meta.requestId,
        // Team names are the organisation's, not personal data: the audit says what it was called.
        details: { from: before.name, to: name },
      },
      trx as unknown as AuditTrx,
    );
    return row;
  });
  const members = await listTeamMembers(stores.control.db, teamId);
  return view(team, members);
}

export async function deleteTeam(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  organisationId: string,
  teamId: string,
  meta: RequestMeta,
): Promise<void> {
  const me = authorize(actor, 'organisation.manage_teams', { organisationId });
  requireSession(me);
  await stores.control.db.transaction().execute(async (trx) => {
    if (!(await deleteTeamRow(trx, organisationId, teamId))) throw notFound();
    await audit.record(
      { action: 'team.deleted', outcome: 'success', actorId: me.principalId, organisationId, resource: { type: 'team', id: teamId }, requestId: meta.requestId },
      trx as unknown as AuditTrx,
    );
  });
}

/** Adds a member of the organisation to the team, or changes their role in it (member or manager). */
export async function setTeamMember(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  organisationId: string,
  teamId: string,
  principalId: string,
  role: TeamRole,
  meta: RequestMeta,
): Promise<TeamView> {
  const me = authorize(actor, 'organisation.manage_teams', { organisationId });
  requireSession(me);
  const team = await stores.control.db.transaction().execute(async (trx) => {
    const row = await findTeam(trx, organisationId, teamId);
    // Another organisation's team, or someone who is not a member of this one: not found here.
    if (!row || !(await lockMembershipForShare(trx, organisationId, principalId))) throw notFound();
    const outcome = await upsertTeamMember(trx, { team_id: teamId, principal_id: principalId, role });
    if (outcome !== 'unchanged') {
      await audit.record(
        {
          action: outcome === 'added' ? 'team.member_added' : 'team.member_role_changed',
          outcome: 'success',
          actorId: me.principalId,
          organisationId,
          resource: { type: 'team', id: teamId },
          requestId: meta.requestId,
          details: { principalId, role },
        },
        trx as unknown as AuditTrx,
      );
    }
    return row;
  });
  return view(team, await listTeamMembers(stores.control.db, teamId));
}

export async function removeTeamMember(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  organisationId: string,
  teamId: string,
  principalId: string,
  meta: RequestMeta,
): Promise<void> {
  const me = authorize(actor, 'organisation.manage_teams', { organisationId });
  requireSession(me);
  await stores.control.db.transaction().execute(async (trx) => {
    if (!(await findTeam(trx, organisationId, teamId))) throw notFound();
    if (!(await deleteTeamMember(trx, teamId, principalId))) throw notFound();
    await audit.record(
      {
        action: 'team.member_removed',
        outcome: 'success',
        actorId: me.principalId,
        organisationId,
        resource: { type: 'team', id: teamId },
        requestId: meta.requestId,
        details: { principalId },
      },
      trx as unknown as AuditTrx,
    );
  });
}

/**
 * For other modules (skills dashboards…): the teams a principal manages, and a team's members.
 * No authorisation here: the calling use case has already decided who may see what.
 */
export async function teamsManagedBy(stores: Stores, principalId: string): Promise<{ id: string; organisationId: string; name: string }[]> {
  return (await listTeamsManagedBy(stores.control.db, principalId)).map((t) => ({ id: t.id, organisationId: t.organisation_id, name: t.name }));
}

export async function teamMembers(
  stores: Stores,
  teamId: string,
): Promise<{ team: { id: string; organisationId: string; name: string }; members: { principalId: string; role: TeamRole }[] } | null> {
  const team = await findTeamById(stores.control.db, teamId);
  if (!team) return null;
  const members = await listTeamMembers(stores.control.db, teamId);
  return { team: { id: team.id, organisationId: team.organisation_id, name: team.name }, members: members.map((m) => ({ principalId: m.principal_id, role: m.role })) };
}

/** For other modules (skills dashboards): every team of these organisations. No authorisation here. */
export async function teamsOfOrganisations(stores: Stores, organisationIds: readonly string[]): Promise<{ id: string; organisationId: string; name: string }[]> {
  const teams = await Promise.all(organisationIds.map((id) => listTeams(stores.control.db, id)));
  return teams.flat().map((t) => ({ id: t.id, organisationId: t.organisation_id, name: t.name }));
}
