/**
 * What the organisation and operations screens read (server/src/identity/organisation-routes.ts);
 * the calls themselves go through the web app's client, app/api.ts.
 */
export type OrganisationRole = 'member' | 'admin' | 'trainer' | 'manager';
export type TeamRole = 'member' | 'manager';

export interface Me {
  principalId: string;
  organisations: { id: string; name: string; roles: string[] }[];
  platformRoles: string[];
}

export interface Member {
  principalId: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  roles: OrganisationRole[];
  teams: { id: string; name: string; role: TeamRole }[];
  status: 'active' | 'disabled';
}

export interface Team {
  id: string;
  name: string;
  createdAt: string;
  members: { principalId: string; role: TeamRole }[];
}

export interface Organisation {
  id: string;
  name: string;
  jurisdiction: 'FR' | 'QC';
  siret: string | null;
  neq: string | null;
  emailDomains: string[];
  confirmed: boolean;
  members?: number;
}

export const displayName = (m: Pick<Member, 'givenName' | 'familyName'>, fallback: string): string =>
  [m.givenName, m.familyName].filter(Boolean).join(' ') || fallback;
