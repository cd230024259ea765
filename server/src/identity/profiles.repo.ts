import type { CellDb } from '../platform/db/types.ts';
import type { AgentProfilesTable } from './identity.tables.ts';

export type ProfileRow = Omit<AgentProfilesTable, 'created_at' | 'updated_at'>;

const COLUMNS = ['principal_id', 'given_name', 'family_name', 'email', 'preferred_language', 'organisation_id'] as const;

/** True when inserted; false when the principal or the email already has a profile. */
export async function insertProfileIfAbsent(db: CellDb, row: ProfileRow): Promise<boolean> {
  const result = await db.insertInto('agent_profiles').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findProfile(db: CellDb, principalId: string): Promise<ProfileRow | undefined> {
  return db.selectFrom('agent_profiles').select(COLUMNS).where('principal_id', '=', principalId).executeTakeFirst();
}

export async function findProfileByEmail(db: CellDb, email: string): Promise<ProfileRow | undefined> {
  return db
    .selectFrom('agent_profiles')
    .select(COLUMNS)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function updatePreferredLanguage(db: CellDb, principalId: string, language: ProfileRow['preferred_language']): Promise<boolean> {
  const result = await db
    .updateTable('agent_profiles')
    .set({ preferred_language: language, updated_at: new Date() })
    .where('principal_id', '=', principalId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
