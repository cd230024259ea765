import { sql } from 'kysely';
import type { CellDb, ControlDb } from '../platform/db/types.ts';
import '../platform/crypto/keyring.tables.ts';
import type { DeletionPhase, OrganisationDeletionCounters } from './organisation-deletion.tables.ts';
import './organisation-deletion.tables.ts';
import './teams.tables.ts';

/** All SQL of deleting an organisation (organisation-deletion.ts), in the control plane. */

export interface DeletionRow {
  organisation_id: string;
  requested_by: string | null;
  requested_via: string;
  requested_at: Date;
  phase: DeletionPhase;
  counters: OrganisationDeletionCounters;
  attempts: number;
  last_error: string | null;
  finished_at: Date | null;
}

const DELETION_COLUMNS = ['organisation_id', 'requested_by', 'requested_via', 'requested_at', 'phase', 'counters', 'attempts', 'last_error', 'finished_at'] as const;

export async function findOrganisationToDelete(
  db: ControlDb,
  organisationId: string,
): Promise<{ id: string; name: string; jurisdiction: 'FR' | 'QC'; demo: boolean } | undefined> {
  return db.selectFrom('organisations').select(['id', 'name', 'jurisdiction', 'demo']).where('id', '=', organisationId).executeTakeFirst();
}

export async function findDeletion(db: ControlDb, organisationId: string): Promise<DeletionRow | undefined> {
  return db.selectFrom('organisation_deletions').select(DELETION_COLUMNS).where('organisation_id', '=', organisationId).executeTakeFirst();
}

/** The deletion's row; false when one already existed (a deletion asked twice). */
export async function insertDeletionIfAbsent(db: ControlDb, row: { organisation_id: string; requested_by: string | null; requested_via: string }): Promise<boolean> {
  const inserted = await db
    .insertInto('organisation_deletions')
    .values(row)
    .onConflict((oc) => oc.column('organisation_id').doNothing())
    .returning('organisation_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Takes the deletion for `leaseMs` unless another run holds it or it is finished; null then. */
export async function claimDeletion(db: ControlDb, organisationId: string, leaseMs: number): Promise<DeletionRow | null> {
  const now = new Date();
  const row = await db
    .updateTable('organisation_deletions')
    .set((eb) => ({ locked_until: new Date(now.getTime() + leaseMs), attempts: eb('attempts', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('finished_at', 'is', null)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .returning(DELETION_COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

export async function saveProgress(db: ControlDb, organisationId: string, phase: DeletionPhase, counters: OrganisationDeletionCounters): Promise<void> {
  await db
    .updateTable('organisation_deletions')
    .set({ phase, counters: JSON.stringify(counters) as unknown as OrganisationDeletionCounters, ...(phase === 'done' ? { finished_at: new Date(), locked_until: null, last_error: null } : {}) })
    .where('organisation_id', '=', organisationId)
    .execute();
}

export async function releaseDeletion(db: ControlDb, organisationId: string, error: string | null): Promise<void> {
  await db.updateTable('organisation_deletions').set({ locked_until: null, last_error: error?.slice(0, 2000) ?? null }).where('organisation_id', '=', organisationId).execute();
}

/** Deletions not finished, asked before `before` (the sweep takes them up again). */
export async function listUnfinishedDeletions(db: ControlDb, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('organisation_deletions')
    .select('organisation_id')
    .where('finished_at', 'is', null)
    .where('requested_at', '<', before)
    .orderBy('requested_at')
    .limit(100)
    .execute();
  return rows.map((r) => r.organisation_id);
}

export async function isOrganisationDeleted(db: ControlDb, organisationId: string): Promise<boolean> {
  return (await db.selectFrom('organisation_deletions').select('organisation_id').where('organisation_id', '=', organisationId).executeTakeFirst()) !== undefined;
}

/**
 * The organisation's members, and whether each stays an agent of Entente after the deletion: a
 * member of another organisation (not being deleted), or holding a platform role.
 */
export async function membersWithFate(db: ControlDb, organisationId: string): Promise<{ principalId: string; stays: boolean }[]> {
  const { rows } = await sql<{ principal_id: string; stays: boolean }>`
    select m.principal_id,
           (exists (select 1 from memberships o
                     where o.principal_id = m.principal_id and o.organisation_id <> m.organisation_id
                       and not exists (select 1 from organisation_deletions d where d.organisation_id = o.organisation_id))
            or exists (select 1 from platform_roles r where r.principal_id = m.principal_id)) as stays
      from memberships m
     where m.organisation_id = ${organisationId}
     order by m.principal_id`.execute(db);
  return rows.map((r) => ({ principalId: r.principal_id, stays: r.stays }));
}

/** Deletes the organisation's teams (their members go by cascade); how many. */
export async function deleteTeamsOf(db: ControlDb, organisationId: string): Promise<number> {
  const result = await db.deleteFrom('teams').where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Organisations whose keys a cell's keyring says were destroyed (tombstones, owner type
 * `organisation`): the record of a deletion that outlives a restore of older data.
 */
export async function listShreddedOrganisations(db: CellDb): Promise<string[]> {
  const rows = await db.selectFrom('keyring_tombstones').select('owner_id').where('owner_type', '=', 'organisation').orderBy('owner_id').execute();
  return rows.map((r) => r.owner_id);
}
