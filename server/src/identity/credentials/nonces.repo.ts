import type { ControlDb } from '../../platform/db/types.ts';

export async function insertNonce(db: ControlDb, row: { nonce_hash: string; principal_id: string; session_id: string; expires_at: Date }): Promise<void> {
  await db.insertInto('credential_nonces').values({ ...row, used_at: null }).execute();
}

/** Marks the nonce used when it is this session's, unused and unexpired: one statement, so two requests cannot both spend it. */
export async function consumeNonce(db: ControlDb, hash: string, principalId: string, sessionId: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('credential_nonces')
    .set({ used_at: now })
    .where('nonce_hash', '=', hash)
    .where('principal_id', '=', principalId)
    .where('session_id', '=', sessionId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('nonce_hash')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findNonce(db: ControlDb, hash: string) {
  return db.selectFrom('credential_nonces').select(['principal_id', 'session_id', 'expires_at', 'used_at']).where('nonce_hash', '=', hash).executeTakeFirst();
}

export async function deleteExpiredNonces(db: ControlDb, before: Date): Promise<number> {
  const result = await db.deleteFrom('credential_nonces').where('expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
