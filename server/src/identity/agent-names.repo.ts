import type { CellDb } from '../platform/db/types.ts';

/**
 * Given and family names of the agents whose profile is in one cell, for the AI gateway's
 * pseudonymiser (assistant/policy, helper B): names known to Entente are replaced by placeholders
 * before text reaches a model not trusted with them. Read into memory only, never copied elsewhere.
 */
export async function listAgentNames(db: CellDb, limit: number): Promise<{ givenName: string; familyName: string }[]> {
  const rows = await db.selectFrom('agent_profiles').select(['given_name', 'family_name']).limit(limit).execute();
  return rows.filter((r) => r.given_name.trim() && r.family_name.trim()).map((r) => ({ givenName: r.given_name, familyName: r.family_name }));
}
