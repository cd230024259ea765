import type { CellDb } from '../../platform/db/types.ts';
import type { PathStatus } from '../skills.tables.ts';
import '../skills.tables.ts';

/** The agent's chosen target profile and learning-path progress (home cell). */

export async function findTargetProfileChoice(db: CellDb, principalId: string): Promise<string | undefined> {
  const row = await db.selectFrom('skills_settings').select('target_profile_id').where('principal_id', '=', principalId).executeTakeFirst();
  return row?.target_profile_id;
}

export async function findTargetProfileChoices(db: CellDb, principalIds: readonly string[]): Promise<Map<string, string>> {
  if (principalIds.length === 0) return new Map();
  const rows = await db.selectFrom('skills_settings').select(['principal_id', 'target_profile_id']).where('principal_id', 'in', principalIds).execute();
  return new Map(rows.map((r) => [r.principal_id, r.target_profile_id]));
}

export async function saveTargetProfileChoice(db: CellDb, principalId: string, profileId: string): Promise<void> {
  await db
    .insertInto('skills_settings')
    .values({ principal_id: principalId, target_profile_id: profileId })
    .onConflict((oc) => oc.column('principal_id').doUpdateSet({ target_profile_id: profileId, updated_at: new Date() }))
    .execute();
}

export async function listPathProgress(db: CellDb, principalId: string): Promise<Map<string, { status: PathStatus; updatedAt: Date }>> {
  const rows = await db.selectFrom('skills_path_progress').select(['resource_id', 'status', 'updated_at']).where('principal_id', '=', principalId).execute();
  return new Map(rows.map((r) => [r.resource_id, { status: r.status, updatedAt: r.updated_at }]));
}

export async function savePathProgress(db: CellDb, principalId: string, resourceId: string, status: PathStatus): Promise<void> {
  await db
    .insertInto('skills_path_progress')
    .values({ principal_id: principalId, resource_id: resourceId, status })
    .onConflict((oc) => oc.columns(['principal_id', 'resource_id']).doUpdateSet({ status, updated_at: new Date() }))
    .execute();
}
