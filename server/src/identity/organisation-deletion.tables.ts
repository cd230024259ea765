import type { Generated } from 'kysely';

/** Where an organisation's deletion stands (organisation-deletion.ts), in the control plane. */
export const DELETION_PHASES = ['keys', 'spaces', 'members', 'done'] as const;
export type DeletionPhase = (typeof DELETION_PHASES)[number];

export interface OrganisationDeletionsTable {
  organisation_id: string;
  /** The operator's principal (API), null from the command line. */
  requested_by: string | null;
  /** `api` or `cli:<system account>`. */
  requested_via: string;
  requested_at: Generated<Date>;
  phase: Generated<DeletionPhase>;
  counters: Generated<OrganisationDeletionCounters>;
  /** A run holds the deletion until then (the command and the job never run it at once). */
  locked_until: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
  finished_at: Date | null;
}

export interface OrganisationDeletionCounters {
  spacesDeleted?: number;
  spacesKept?: number;
  spaceMembershipsRemoved?: number;
  keysDestroyed?: number;
  membersRemoved?: number;
  agentsDisabled?: number;
  teamsDeleted?: number;
}

declare module '../platform/db/types.ts' {
  interface ControlPlaneTables {
    organisation_deletions: OrganisationDeletionsTable;
  }
}
