import type { CellDb } from '../platform/db/types.ts';

/** Names and email of these principals, from one cell (each agent's home cell holds their profile). */
export async function findProfilesByIds(db: CellDb, principalIds: string[]) {
  if (principalIds.length === 0) return [];
  return db
    .selectFrom('agent_profiles')
    .select(['principal_id', 'given_name', 'family_name', 'email'])
    .where('principal_id', 'in', principalIds)
    .execute();
}
