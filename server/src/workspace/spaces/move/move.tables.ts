import type { Generated } from 'kysely';
import type { Jurisdiction } from '../../../../../common/src/jurisdiction.ts';

/**
 * Moves of spaces between cells (`entente spaces move`), in the control plane: one row per move,
 * kept after it ends as the operator's record. A row whose phase is not `done` locks its space
 * (read-only, access.ts) — at most one per space (partial unique index).
 */
export const MOVE_PHASES = ['lock', 'keys', 'rows', 'objects', 'switch', 'clean', 'unlock'] as const;
export type MovePhase = (typeof MOVE_PHASES)[number];

export interface SpaceMovesTable {
  id: string;
  space_id: string;
  from_jurisdiction: Jurisdiction;
  to_jurisdiction: Jurisdiction;
  /** The phase to run next (the one in progress, or where a failed run stopped); `done` at the end. */
  phase: MovePhase | 'done';
  /** What was copied and deleted so far (keys, rows per table, objects, bytes). */
  counters: Generated<unknown>;
  /** Where a phase stopped (tables done, last object key) and the source's digests at the switch. */
  progress: Generated<unknown>;
  /** Who ran it: `cli:<system account>` for the console. */
  started_by: string;
  /** The last run's failure (cleared when a run resumes), never key material or content. */
  error: string | null;
  /** A run holds the move until then (renewed as it goes), so that two runs never interleave. */
  claimed_until: Date | null;
  claimed_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  switched_at: Date | null;
  finished_at: Date | null;
}

declare module '../../../platform/db/types.ts' {
  interface ControlPlaneTables {
    space_moves: SpaceMovesTable;
  }
}
