import type { ControlDb } from '../../platform/db/types.ts';
import type { CompetenceDefinition, TargetProfileDefinition } from '../skills.tables.ts';
import '../skills.tables.ts';

/** All SQL of organisations' own competences and target profiles (control plane). */

export interface OrgCompetenceRow {
  id: string;
  organisation_id: string;
  area: '1' | '2' | '3' | '4' | '5';
  definition: CompetenceDefinition;
}
export interface OrgProfileRow {
  id: string;
  organisation_id: string;
  role: 'agent' | 'manager' | 'digital-specialist';
  definition: TargetProfileDefinition;
}

export async function listOrgCompetences(db: ControlDb, organisationIds: readonly string[]): Promise<OrgCompetenceRow[]> {
  if (organisationIds.length === 0) return [];
  return db.selectFrom('skills_competences').select(['id', 'organisation_id', 'area', 'definition']).where('organisation_id', 'in', organisationIds).orderBy('id').execute();
}

export async function countOrgCompetences(db: ControlDb, organisationId: string): Promise<number> {
  const row = await db.selectFrom('skills_competences').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** false when the id is taken (by this or another organisation). */
export async function insertOrgCompetence(db: ControlDb, row: OrgCompetenceRow & { created_by: string }): Promise<boolean> {
  const inserted = await db
    .insertInto('skills_competences')
    .values({ ...row, definition: JSON.stringify(row.definition) })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function deleteOrgCompetence(db: ControlDb, organisationId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('skills_competences').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listOrgProfiles(db: ControlDb, organisationIds: readonly string[]): Promise<OrgProfileRow[]> {
  if (organisationIds.length === 0) return [];
  return db.selectFrom('skills_target_profiles').select(['id', 'organisation_id', 'role', 'definition']).where('organisation_id', 'in', organisationIds).orderBy('id').execute();
}

export async function findOrgProfile(db: ControlDb, id: string): Promise<OrgProfileRow | undefined> {
  return db.selectFrom('skills_target_profiles').select(['id', 'organisation_id', 'role', 'definition']).where('id', '=', id).executeTakeFirst();
}

export async function countOrgProfiles(db: ControlDb, organisationId: string): Promise<number> {
  const row = await db.selectFrom('skills_target_profiles').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function upsertOrgProfile(db: ControlDb, row: OrgProfileRow & { created_by: string }): Promise<void> {
  const definition = JSON.stringify(row.definition);
  await db
    .insertInto('skills_target_profiles')
    .values({ ...row, definition })
    .onConflict((oc) => oc.column('id').doUpdateSet({ role: row.role, definition, updated_at: new Date() }))
    .execute();
}

export async function deleteOrgProfile(db: ControlDb, organisationId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('skills_target_profiles').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ── organisations' framework administration (framework-admin.ts) ──

/**
 * Creates or replaces an organisation's profile; never one of another organisation (the update
 * only applies to a row of the same organisation). false when the id belongs to another.
 */
export async function saveOrgProfile(db: ControlDb, row: OrgProfileRow & { created_by: string }): Promise<boolean> {
  const definition = JSON.stringify(row.definition);
  const saved = await db
    .insertInto('skills_target_profiles')
    .values({ ...row, definition })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({ role: row.role, definition, updated_at: new Date() })
        .where('skills_target_profiles.organisation_id', '=', row.organisation_id),
    )
    .returning('id')
    .executeTakeFirst();
  return saved !== undefined;
}

export async function findOrgCompetence(db: ControlDb, id: string): Promise<OrgCompetenceRow | undefined> {
  return db.selectFrom('skills_competences').select(['id', 'organisation_id', 'area', 'definition']).where('id', '=', id).executeTakeFirst();
}
