import type { CellDb, ControlDb } from '../platform/db/types.ts';
import { sql } from 'kysely';
import type { OrganisationRole, PlatformRole, SessionsTable } from './identity.tables.ts';

export type SessionRow = SessionsTable;

const SESSION_COLUMNS = [
  'id',
  'principal_id',
  'token_hash',
  'previous_token_hash',
  'rotated_at',
  'created_at',
  'last_seen_at',
  'idle_expires_at',
  'absolute_expires_at',
  'ended_at',
  'end_reason',
  'assurance_level',
  'upstream',
] as const;

export async function insertSession(db: ControlDb, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export interface LiveSessionRow extends SessionRow {
  home_jurisdiction: 'FR' | 'QC';
  principal_status: string;
  memberships: { organisationId: string; roles: OrganisationRole[] }[];
  platform_roles: PlatformRole[];
}

/**
 * Live sessions (not ended, within both expiries) with their principal and the principal's grants
 * (memberships, platform roles): one round trip for what every authenticated request needs. The
 * callers below add which session.
 */
function liveSessions(db: ControlDb, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('principals', 'principals.id', 'sessions.principal_id')
    .select(SESSION_COLUMNS.map((c) => `sessions.${c}` as const))
    .select(['principals.home_jurisdiction', 'principals.status as principal_status'])
    .select([
      sql<LiveSessionRow['memberships']>`coalesce((
        select json_agg(json_build_object('organisationId', m.organisation_id, 'roles', m.roles))
        from memberships m where m.principal_id = sessions.principal_id), '[]'::json)`.as('memberships'),
      sql<PlatformRole[]>`coalesce((
        select array_agg(r.role order by r.role) from platform_roles r
        where r.principal_id = sessions.principal_id), '{}'::text[])`.as('platform_roles'),
    ])
    .where('sessions.ended_at', 'is', null)
    .where('sessions.idle_expires_at', '>', now)
    .where('sessions.absolute_expires_at', '>', now);
}

/** The live session whose current (or just-rotated) token hashes to `hash`. */
export async function findLiveSessionByTokenHash(
  db: ControlDb,
  hash: Buffer,
  now: Date,
  rotationGraceMs: number,
): Promise<LiveSessionRow | undefined> {
  return liveSessions(db, now)
    .where((eb) =>
      eb.or([
        eb('sessions.token_hash', '=', hash),
        eb.and([
          eb('sessions.previous_token_hash', '=', hash),
          eb('sessions.rotated_at', '>', new Date(now.getTime() - rotationGraceMs)),
        ]),
      ]),
    )
    .executeTakeFirst();
}

/**
 * The live session with this id: for work a session started and a later request finishes without
 * the session's cookie (a credential offer redeemed by an external wallet). Undefined when ended,
 * timed out or unknown.
 */
export async function findLiveSessionById(db: ControlDb, id: string, now: Date): Promise<LiveSessionRow | undefined> {
  return liveSessions(db, now).where('sessions.id', '=', id).executeTakeFirst();
}

export async function touchSession(db: ControlDb, id: string, now: Date, idleExpiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}

/**
 * Replaces the token, only if `presentedHash` is still the current one (or any token when null):
 * of several requests racing to rotate the same session, exactly one wins and the others keep
 * the token they have (valid for the grace period), instead of each minting a token that the
 * next one invalidates.
 */
export async function rotateSessionToken(
  db: ControlDb,
  id: string,
  newHash: Buffer,
  now: Date,
  presentedHash: Buffer | null,
): Promise<boolean> {
  let q = db
    .updateTable('sessions')
    .set((eb) => ({ previous_token_hash: eb.ref('token_hash'), token_hash: newHash, rotated_at: now }))
    .where('id', '=', id)
    .where('ended_at', 'is', null);
  if (presentedHash) q = q.where('token_hash', '=', presentedHash);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function endSessionRow(
  db: ControlDb,
  where: { id: string; principalId?: string },
  reason: string,
  now: Date,
): Promise<{ principalId: string } | null> {
  let q = db
    .updateTable('sessions')
    .set({ ended_at: now, end_reason: reason })
    .where('id', '=', where.id)
    .where('ended_at', 'is', null);
  if (where.principalId) q = q.where('principal_id', '=', where.principalId);
  const row = await q.returning('principal_id').executeTakeFirst();
  return row ? { principalId: row.principal_id } : null;
}

export async function listLiveSessions(db: ControlDb, principalId: string, now: Date): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .select(SESSION_COLUMNS)
    .where('principal_id', '=', principalId)
    .where('ended_at', 'is', null)
    .where('idle_expires_at', '>', now)
    .where('absolute_expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function insertSessionDetails(
  db: CellDb,
  row: {
    session_id: string;
    principal_id: string;
    ip: string | null;
    user_agent: string | null;
    auth_method: string | null;
    upstream_id_token: string | null;
    upstream_acr: string | null;
  },
): Promise<void> {
  await db.insertInto('session_details').values(row).execute();
}

export async function selectSessionDetails(db: CellDb, principalId: string) {
  return db
    .selectFrom('session_details')
    .select(['session_id', 'ip', 'user_agent', 'auth_method', 'created_at'])
    .where('principal_id', '=', principalId)
    .execute();
}

/** Sessions that ended, or expired, before `before`: gone for good. */
export async function deleteSessionsEndedBefore(db: ControlDb, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('ended_at', '<', before), eb('idle_expires_at', '<', before), eb('absolute_expires_at', '<', before)]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Where-from details older than any session can live (the absolute timeout) are dropped. */
export async function deleteSessionDetailsBefore(db: CellDb, before: Date): Promise<number> {
  const result = await db.deleteFrom('session_details').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
