import type { Selectable } from 'kysely';
import type { CellDb } from '../platform/db/types.ts';
import type { AgentProfilesTable } from './identity.tables.ts';

export type ProfileRow = Omit<Selectable<AgentProfilesTable>, 'created_at' | 'updated_at'>;
/** A new profile's email is unverified until a federation vouches for it (`setEmailVerified`). */
export type NewProfile = Omit<ProfileRow, 'email_verified'>;

const COLUMNS = ['principal_id', 'given_name', 'family_name', 'email', 'email_verified', 'preferred_language', 'organisation_id'] as const;

/** True when inserted; false when the principal or the email already has a profile. */
export async function insertProfileIfAbsent(db: CellDb, row: NewProfile): Promise<boolean> {
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

/**
 * What the federation of the latest sign-in says of the address it sent (`email`): it replaces
 * what an earlier sign-in said. It vouches only for that address: a profile holding another one
 * is marked unverified.
 */
export async function setEmailVerified(db: CellDb, principalId: string, email: string, verified: boolean): Promise<void> {
  await db
    .updateTable('agent_profiles')
    .set((eb) => ({
      email_verified: verified ? eb(eb.fn('lower', ['email']), '=', email.toLowerCase()).$castTo<boolean>() : eb.lit(false),
      updated_at: new Date(),
    }))
    .where('principal_id', '=', principalId)
    .execute();
}
