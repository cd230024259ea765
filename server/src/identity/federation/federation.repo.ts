import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import type { LoginAttemptsTable } from '../identity.tables.ts';

export async function insertLoginAttempt(db: ControlDb, row: LoginAttemptsTable): Promise<void> {
  await db.insertInto('login_attempts').values(row).execute();
}

/** Takes the attempt (one use only): a replayed callback finds nothing. */
export async function takeLoginAttempt(db: ControlDb, stateHash: Buffer, now: Date): Promise<LoginAttemptsTable | undefined> {
  const row = await db
    .deleteFrom('login_attempts')
    .where('state_hash', '=', stateHash)
    .returning(['state_hash', 'upstream', 'nonce', 'code_verifier', 'return_to', 'min_level', 'expires_at'])
    .executeTakeFirst();
  return row && row.expires_at > now ? row : undefined;
}

export async function deleteExpiredLoginAttempts(db: ControlDb, now: Date): Promise<void> {
  await db.deleteFrom('login_attempts').where('expires_at', '<', now).execute();
}

export async function findFederatedPrincipal(db: ControlDb, upstream: string, subject: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('federated_identities')
    .select('principal_id')
    .where('upstream', '=', upstream)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.principal_id;
}

export async function linkFederatedIdentity(db: ControlDb, upstream: string, subject: string, principalId: string): Promise<void> {
  await db
    .insertInto('federated_identities')
    .values({ upstream, subject, principal_id: principalId })
    .onConflict((oc) => oc.columns(['upstream', 'subject']).doUpdateSet({ last_sign_in_at: new Date() }))
    .execute();
}

export async function findSessionUpstream(
  control: ControlDb,
  cell: CellDb,
  sessionId: string,
): Promise<{ upstream: string | null; idToken: string | null }> {
  const session = await control.selectFrom('sessions').select(['upstream']).where('id', '=', sessionId).executeTakeFirst();
  const details = await cell.selectFrom('session_details').select(['upstream_id_token']).where('session_id', '=', sessionId).executeTakeFirst();
  return { upstream: session?.upstream ?? null, idToken: details?.upstream_id_token ?? null };
}

export async function hasFederatedIdentity(db: ControlDb, principalId: string): Promise<boolean> {
  const row = await db.selectFrom('federated_identities').select('upstream').where('principal_id', '=', principalId).executeTakeFirst();
  return row !== undefined;
}
