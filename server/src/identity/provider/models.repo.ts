import { sql } from 'kysely';
import type { ControlDb } from '../../platform/db/types.ts';

/** SQL of oidc-provider's model storage (table oidc_models). */

export interface StoredModel {
  payload: Record<string, unknown>;
  expires_at: Date | null;
  consumed_at: Date | null;
}

const COLUMNS = ['payload', 'expires_at', 'consumed_at'] as const;

export async function upsertModel(
  db: ControlDb,
  row: { model: string; id: string; payload: Record<string, unknown>; grantId: string | null; userCode: string | null; uid: string | null; expiresAt: Date | null },
): Promise<void> {
  const payload = sql<Record<string, unknown>>`cast(${JSON.stringify(row.payload)} as jsonb)`;
  await db
    .insertInto('oidc_models')
    .values({
      model: row.model,
      id: row.id,
      payload,
      grant_id: row.grantId,
      user_code: row.userCode,
      uid: row.uid,
      expires_at: row.expiresAt,
      consumed_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['model', 'id']).doUpdateSet({
        payload,
        grant_id: row.grantId,
        user_code: row.userCode,
        uid: row.uid,
        expires_at: row.expiresAt,
      }),
    )
    .execute();
}

const live = (now: Date) => sql<boolean>`(expires_at is null or expires_at > ${now})`;

export async function findModel(db: ControlDb, model: string, id: string, now = new Date()): Promise<StoredModel | undefined> {
  return db.selectFrom('oidc_models').select(COLUMNS).where('model', '=', model).where('id', '=', id).where(live(now)).executeTakeFirst();
}

export async function findModelBy(
  db: ControlDb,
  model: string,
  column: 'uid' | 'user_code',
  value: string,
  now = new Date(),
): Promise<StoredModel | undefined> {
  return db.selectFrom('oidc_models').select(COLUMNS).where('model', '=', model).where(column, '=', value).where(live(now)).executeTakeFirst();
}

/**
 * Marks a code or refresh token used, once: false when it already was (or is gone). Two nodes
 * exchanging the same code at the same moment both read it unused; only one update wins.
 */
export async function consumeModel(db: ControlDb, model: string, id: string, at: Date): Promise<{ consumed: boolean; grantId: string | null }> {
  const row = await db
    .updateTable('oidc_models')
    .set({ consumed_at: at })
    .where('model', '=', model)
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .returning('grant_id')
    .executeTakeFirst();
  if (row) return { consumed: true, grantId: row.grant_id };
  const other = await db.selectFrom('oidc_models').select('grant_id').where('model', '=', model).where('id', '=', id).executeTakeFirst();
  return { consumed: false, grantId: other?.grant_id ?? null };
}

export async function destroyModel(db: ControlDb, model: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_models').where('model', '=', model).where('id', '=', id).execute();
}

/** Every token, code and the grant itself: what revoking a grant removes. */
export async function destroyByGrantId(db: ControlDb, grantId: string): Promise<number> {
  const result = await db
    .deleteFrom('oidc_models')
    .where((eb) => eb.or([eb('grant_id', '=', grantId), eb.and([eb('model', '=', 'Grant'), eb('id', '=', grantId)])]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Grant ids of an agent for a client (several OpenID sessions may each hold one). */
export async function grantIdsFor(db: ControlDb, accountId: string, clientId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('oidc_models')
    .select('id')
    .where('model', '=', 'Grant')
    .where(sql<string>`payload->>'accountId'`, '=', accountId)
    .where(sql<string>`payload->>'clientId'`, '=', clientId)
    .execute();
  return rows.map((r) => r.id);
}

/** Every grant id of an agent, whatever the client (leaving, disabling: everything goes). */
export async function grantIdsOfAccount(db: ControlDb, accountId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('oidc_models')
    .select('id')
    .where('model', '=', 'Grant')
    .where(sql<string>`payload->>'accountId'`, '=', accountId)
    .execute();
  return rows.map((r) => r.id);
}

export async function deleteExpiredModels(db: ControlDb, now: Date): Promise<number> {
  const result = await db.deleteFrom('oidc_models').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Agents holding a grant for a client (to revoke everything when the client is removed). */
export async function grantAccountIds(db: ControlDb, clientId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('oidc_models')
    .select(sql<string>`payload->>'accountId'`.as('account_id'))
    .distinct()
    .where('model', '=', 'Grant')
    .where(sql<string>`payload->>'clientId'`, '=', clientId)
    .execute();
  return rows.map((r) => r.account_id);
}

/** OpenID sessions holding an authorization of this client (of one agent, or of every agent). */
export async function sessionUidsWithClient(db: ControlDb, clientId: string, accountId?: string, now = new Date()): Promise<string[]> {
  let query = db
    .selectFrom('oidc_models')
    .select('uid')
    .where('model', '=', 'Session')
    .where(sql<boolean>`(payload->'authorizations'->${clientId}) is not null`)
    .where(live(now));
  if (accountId !== undefined) query = query.where(sql<string>`payload->>'accountId'`, '=', accountId);
  const rows = await query.execute();
  return rows.flatMap((r) => (r.uid ? [r.uid] : []));
}
