import type { Generated } from 'kysely';

/**
 * Tables of roles and teams (control plane): pseudonymous principal ids only, never names. Teams
 * belong to one organisation; their members must be members of it.
 */
export const TEAM_ROLES = ['member', 'manager'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export interface TeamsTable {
  id: string;
  organisation_id: string;
  /** Unique in its organisation whatever the case (index on lower(name)). */
  name: string;
  created_at: Generated<Date>;
}

export interface TeamMembersTable {
  team_id: string;
  principal_id: string;
  role: TeamRole;
  created_at: Generated<Date>;
}

declare module '../platform/db/types.ts' {
  interface ControlPlaneTables {
    teams: TeamsTable;
    team_members: TeamMembersTable;
  }
}
