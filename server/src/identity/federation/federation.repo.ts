import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { LoginAttemptsTable } from '../identity.tables.ts';
import type { UpstreamSessionsTable } from './federation.tables.ts';

export async function insertLoginAttempt(db: ControlDb, row: LoginAttemptsTable): Promise<void> {
  await db.insertInto('login_attempts').values(row).execute();
}

/** Takes the attempt (one use only): a replayed callback finds nothing. */
export async function takeLoginAttempt(db: ControlDb, stateHash: Buffer, now: Date): Promise<LoginAttemptsTable | undefined> {
  const row = await db
    .deleteFrom('login_attempts')
    .where('state_hash', '=', stateHash)
    .returning([
      'state_hash',
      'upstream',
      'nonce',
      'code_verifier',
      'return_to',
      'min_level',
      'expires_at',
      'link_principal_id',
      'link_session_id',
    ])
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

/**
 * Links (upstream, subject) to a principal unless that identity already exists: the caller reads
 * who owns it afterwards (a concurrent link of the same identity must not be overwritten).
 */
export async function insertFederatedIdentityIfAbsent(db: ControlDb, upstream: string, subject: string, principalId: string): Promise<void> {
  await db
    .insertInto('federated_identities')
    .values({ upstream, subject, principal_id: principalId })
    .onConflict((oc) => oc.columns(['upstream', 'subject']).doNothing())
    .execute();
}

/** The subject a principal is known by at one upstream, if any. */
export async function findSubjectAt(db: ControlDb, principalId: string, upstream: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('federated_identities')
    .select('subject')
    .where('principal_id', '=', principalId)
    .where('upstream', '=', upstream)
    .executeTakeFirst();
  return row?.subject;
}

/** The federations a principal can sign in with, oldest link first. */
export async function listFederatedIdentities(db: ControlDb, principalId: string): Promise<{ upstream: string; created_at: Date }[]> {
  return db
    .selectFrom('federated_identities')
    .select(['upstream', 'created_at'])
    .where('principal_id', '=', principalId)
    .orderBy('created_at')
    .orderBy('upstream')
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

/** Remembers the upstream's session id of a new Entente session (for back-channel logout). */
export async function insertUpstreamSession(db: ControlDb, row: UpstreamSessionsTable): Promise<void> {
  await db.insertInto('upstream_sessions').values(row).execute();
}

export interface SessionToEnd {
  sessionId: string;
  principalId: string;
  homeJurisdiction: Jurisdiction;
}

/**
 * The live Entente sessions a logout token designates: those signed in with the upstream session
 * `sid`, or, without a sid, every session of the agent `principalId` that came from this upstream;
 * with both, the sessions must match both.
 */
export async function findSessionsToEnd(
  db: ControlDb,
  where: { upstream: string; sid: string | null; principalId: string | null },
  now: Date,
): Promise<SessionToEnd[]> {
  let q = db
    .selectFrom('sessions')
    .innerJoin('principals', 'principals.id', 'sessions.principal_id')
    .select(['sessions.id as sessionId', 'sessions.principal_id as principalId', 'principals.home_jurisdiction as homeJurisdiction'])
    .where('sessions.upstream', '=', where.upstream)
    .where('sessions.ended_at', 'is', null)
    .where('sessions.absolute_expires_at', '>', now);
  if (where.sid !== null) {
    const sid = where.sid;
    q = q.where('sessions.id', 'in', (eb) =>
      eb.selectFrom('upstream_sessions').select('session_id').where('upstream', '=', where.upstream).where('sid', '=', sid),
    );
  }
  if (where.principalId !== null) q = q.where('sessions.principal_id', '=', where.principalId);
  return q.execute();
}

/** Whether a logout token's jti was already used (and not yet expired). */
export async function isLogoutTokenUsed(db: ControlDb, upstream: string, jti: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('upstream_logout_tokens')
    .select('jti')
    .where('upstream', '=', upstream)
    .where('jti', '=', jti)
    .where('expires_at', '>=', now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a used logout token's jti (a second record of the same one is a no-op). Expired entries
 * are dropped on the way: by then the token's age alone refuses it.
 */
export async function rememberLogoutToken(db: ControlDb, upstream: string, jti: string, expiresAt: Date, now: Date): Promise<void> {
  await db.deleteFrom('upstream_logout_tokens').where('expires_at', '<', now).execute();
  await db
    .insertInto('upstream_logout_tokens')
    .values({ upstream, jti, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['upstream', 'jti']).doNothing())
    .execute();
}
