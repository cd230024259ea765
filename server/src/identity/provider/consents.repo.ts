import { sql } from 'kysely';
import type { ControlDb } from '../../platform/db/types.ts';
import type { OidcConsentsTable } from './provider.tables.ts';

const COLUMNS = ['principal_id', 'client_id', 'scopes', 'claims', 'given_at'] as const;

/** The union of the stored array and the new one, in first-seen order, without duplicates. */
const merged = (column: 'scopes' | 'claims') =>
  sql<string[]>`array(select v from unnest(oidc_consents.${sql.ref(column)} || excluded.${sql.ref(column)}) with ordinality as u(v, n) group by v order by min(n))`;

/**
 * Adds to what an agent consented to for a client, in one statement: two consents given at once
 * (two tabs, two nodes) both end up in the row, neither overwrites the other.
 */
export async function mergeConsent(db: ControlDb, row: OidcConsentsTable): Promise<void> {
  await db
    .insertInto('oidc_consents')
    .values(row)
    .onConflict((oc) => oc.columns(['principal_id', 'client_id']).doUpdateSet({ scopes: merged('scopes'), claims: merged('claims'), given_at: row.given_at }))
    .execute();
}

export async function findConsent(db: ControlDb, principalId: string, clientId: string): Promise<OidcConsentsTable | undefined> {
  return db.selectFrom('oidc_consents').select(COLUMNS).where('principal_id', '=', principalId).where('client_id', '=', clientId).executeTakeFirst();
}

export async function listConsents(db: ControlDb, principalId: string): Promise<OidcConsentsTable[]> {
  return db.selectFrom('oidc_consents').select(COLUMNS).where('principal_id', '=', principalId).orderBy('given_at', 'desc').execute();
}

export async function deleteConsent(db: ControlDb, principalId: string, clientId: string): Promise<boolean> {
  const result = await db.deleteFrom('oidc_consents').where('principal_id', '=', principalId).where('client_id', '=', clientId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function insertSessionLink(db: ControlDb, row: { opSessionUid: string; ententeSessionId: string; principalId: string }): Promise<void> {
  await db
    .insertInto('oidc_session_links')
    .values({ op_session_uid: row.opSessionUid, entente_session_id: row.ententeSessionId, principal_id: row.principalId })
    .onConflict((oc) => oc.column('op_session_uid').doUpdateSet({ entente_session_id: row.ententeSessionId, principal_id: row.principalId }))
    .execute();
}

export async function findSessionLink(db: ControlDb, opSessionUid: string): Promise<{ entente_session_id: string; principal_id: string } | undefined> {
  return db.selectFrom('oidc_session_links').select(['entente_session_id', 'principal_id']).where('op_session_uid', '=', opSessionUid).executeTakeFirst();
}

export async function takeSessionLinks(db: ControlDb, ententeSessionId: string): Promise<string[]> {
  const rows = await db.deleteFrom('oidc_session_links').where('entente_session_id', '=', ententeSessionId).returning('op_session_uid').execute();
  return rows.map((r) => r.op_session_uid);
}

export async function deleteSessionLink(db: ControlDb, opSessionUid: string): Promise<void> {
  await db.deleteFrom('oidc_session_links').where('op_session_uid', '=', opSessionUid).execute();
}

/** Links whose OpenID session no longer exists (expired and purged). */
export async function deleteOrphanSessionLinks(db: ControlDb): Promise<number> {
  const result = await db
    .deleteFrom('oidc_session_links')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('oidc_models')
            .select('oidc_models.id')
            .where('oidc_models.model', '=', 'Session')
            .whereRef('oidc_models.uid', '=', 'oidc_session_links.op_session_uid'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
