import type { ControlDb } from '../../platform/db/types.ts';
import type { CredentialVerifierRequestsTable } from './verifier.tables.ts';
import './verifier.tables.ts';

/** All SQL of the verifier's requests (verifier.ts). */
export type VerifierRequestRow = Omit<CredentialVerifierRequestsTable, 'created_at'> & { created_at: Date };

const COLUMNS = ['id', 'nonce', 'audience', 'language', 'created_at', 'expires_at', 'used_at', 'outcome'] as const;

export async function insertVerifierRequest(db: ControlDb, row: Omit<VerifierRequestRow, 'created_at' | 'used_at' | 'outcome'>): Promise<VerifierRequestRow> {
  return db.insertInto('credential_verifier_requests').values({ ...row, used_at: null, outcome: null }).returning(COLUMNS).executeTakeFirstOrThrow();
}

/**
 * Takes the request for one presentation: one statement, so two presentations racing for the
 * same nonce cannot both get it. Null when it is unknown, used or expired.
 */
export async function claimVerifierRequest(db: ControlDb, id: string, now: Date): Promise<VerifierRequestRow | null> {
  return (
    (await db
      .updateTable('credential_verifier_requests')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(COLUMNS)
      .executeTakeFirst()) ?? null
  );
}

export async function findVerifierRequest(db: ControlDb, id: string): Promise<VerifierRequestRow | undefined> {
  return db.selectFrom('credential_verifier_requests').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function recordVerifierOutcome(db: ControlDb, id: string, outcome: string): Promise<void> {
  await db.updateTable('credential_verifier_requests').set({ outcome }).where('id', '=', id).execute();
}

/** Requests a day past their expiry are of no use any more (their outcome is in the audit trail). */
export async function purgeOldVerifierRequests(db: ControlDb, before: Date): Promise<number> {
  const result = await db.deleteFrom('credential_verifier_requests').where('expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0n);
}

