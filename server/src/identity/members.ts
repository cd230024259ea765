import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Stores } from '../platform/db/stores.ts';
import { notFound } from '../platform/errors.ts';
import type { Actor } from './actor.ts';
import { authorize, can } from './authorization.ts';
import type { OrganisationRole } from './identity.tables.ts';
import { findProfilesByIds } from './members.repo.ts';
import { findOrganisationsByIds } from './organisations.repo.ts';
import { findMemberRow, listMemberRows, type MemberRow } from './roles.repo.ts';
import { listTeamMembersOfOrganisation } from './teams.repo.ts';
import type { TeamRole } from './teams.tables.ts';

export interface MemberView {
  principalId: string;
  /** From the agent's home cell; null if the profile cannot be read there. */
  givenName: string | null;
  familyName: string | null;
  /** Only for the organisation's administrators and operators. */
  email: string | null;
  roles: OrganisationRole[];
  teams: { id: string; name: string; role: TeamRole }[];
  status: 'active' | 'disabled';
}

/**
 * The members of an organisation. Names come from each agent's home cell, asked cell by cell and
 * merged here: the control plane never holds a name (DESIGN.md). Members of the organisation see
 * names, roles and teams; emails are for its administrators and operators.
 */
export async function listMembers(stores: Stores, actor: Actor | null, organisationId: string): Promise<MemberView[]> {
  const me = authorize(actor, 'organisation.read_members', { organisationId });
  const [organisation] = await findOrganisationsByIds(stores.control.db, [organisationId]);
  if (!organisation) throw notFound();
  const rows = await listMemberRows(stores.control.db, organisationId);
  return membersWithNames(stores, organisationId, rows, can(me, 'organisation.manage', { organisationId }));
}

/** One member, as listMembers shows them (after a change of roles): only their rows are read. */
export async function memberView(stores: Stores, actor: Actor, organisationId: string, principalId: string): Promise<MemberView> {
  const row = await findMemberRow(stores.control.db, organisationId, principalId);
  if (!row) throw notFound();
  const [view] = await membersWithNames(stores, organisationId, [row], can(actor, 'organisation.manage', { organisationId }), principalId);
  if (!view) throw notFound();
  return view;
}

async function membersWithNames(
  stores: Stores,
  organisationId: string,
  rows: MemberRow[],
  withEmail: boolean,
  onlyPrincipalId?: string,
): Promise<MemberView[]> {
  const byCell = new Map<Jurisdiction, string[]>();
  for (const row of rows) byCell.set(row.home_jurisdiction, [...(byCell.get(row.home_jurisdiction) ?? []), row.principal_id]);
  const [profiles, teamRows] = await Promise.all([
    Promise.all([...byCell].map(([jurisdiction, ids]) => findProfilesByIds(stores.cells[jurisdiction].db, ids))),
    listTeamMembersOfOrganisation(stores.control.db, organisationId, onlyPrincipalId),
  ]);
  const profileOf = new Map(profiles.flat().map((p) => [p.principal_id, p]));
  const members = rows.map((row): MemberView => {
    const profile = profileOf.get(row.principal_id);
    return {
      principalId: row.principal_id,
      givenName: profile?.given_name ?? null,
      familyName: profile?.family_name ?? null,
      email: withEmail ? (profile?.email ?? null) : null,
      roles: row.roles,
      teams: teamRows
        .filter((t) => t.principal_id === row.principal_id)
        .map((t) => ({ id: t.team_id, name: t.team_name, role: t.role })),
      status: row.status,
    };
  });
  const key = (m: MemberView) => `${m.familyName ?? '\uffff'} ${m.givenName ?? ''}`;
  return members.sort((a, b) => key(a).localeCompare(key(b), 'fr'));
}
