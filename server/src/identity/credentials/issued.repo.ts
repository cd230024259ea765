import type { Selectable } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { IssuedCredentialsTable, RevokedBy } from './credentials.tables.ts';

export type IssuedRow = Selectable<IssuedCredentialsTable>;

const COLUMNS = [
  'id',
  'principal_id',
  'type',
  'jurisdiction',
  'organisation_id',
  'kid',
  'status_list_id',
  'status_index',
  'issued_at',
  'expires_at',
  'revoked_at',
  'revoked_by',
] as const;

/** The newest status list of the cell's issuer, or undefined. */
export async function latestStatusList(db: CellDb): Promise<{ id: string; size: number } | undefined> {
  return db.selectFrom('credential_status_lists').select(['id', 'size']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function findStatusList(db: CellDb, id: string): Promise<{ id: string; size: number } | undefined> {
  return db.selectFrom('credential_status_lists').select(['id', 'size']).where('id', '=', id).executeTakeFirst();
}

export async function insertStatusList(db: CellDb, id: string, size: number): Promise<void> {
  await db.insertInto('credential_status_lists').values({ id, size }).execute();
}

export async function countInList(db: CellDb, listId: string): Promise<number> {
  const row = await db.selectFrom('issued_credentials').select((eb) => eb.fn.countAll<string>().as('n')).where('status_list_id', '=', listId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** False when that (list, index) is taken: the caller draws again. */
export async function insertIssued(db: CellDb, row: IssuedRow): Promise<boolean> {
  const result = await db
    .insertInto('issued_credentials')
    .values(row)
    .onConflict((oc) => oc.columns(['status_list_id', 'status_index']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The indices of a list whose credential is revoked: the list's set bits. */
export async function revokedIndices(db: CellDb, listId: string): Promise<number[]> {
  const rows = await db.selectFrom('issued_credentials').select('status_index').where('status_list_id', '=', listId).where('revoked_at', 'is not', null).execute();
  return rows.map((r) => r.status_index);
}

export async function listOwnIssued(db: CellDb, principalId: string, limit = 200): Promise<IssuedRow[]> {
  return db.selectFrom('issued_credentials').select(COLUMNS).where('principal_id', '=', principalId).orderBy('issued_at', 'desc').limit(limit).execute();
}

export async function findOwnIssued(db: CellDb, principalId: string, id: string): Promise<IssuedRow | undefined> {
  return db.selectFrom('issued_credentials').select(COLUMNS).where('id', '=', id).where('principal_id', '=', principalId).executeTakeFirst();
}

/** Revokes what matches and is not revoked yet; returns only the rows this call changed (idempotent). */
export async function revokeIssued(
  db: CellDb,
  where: { principalId: string; ids?: string[]; organisationId?: string; type?: IssuedRow['type'] },
  by: RevokedBy,
  at: Date,
): Promise<IssuedRow[]> {
  let query = db.updateTable('issued_credentials').set({ revoked_at: at, revoked_by: by }).where('principal_id', '=', where.principalId).where('revoked_at', 'is', null);
  if (where.ids) query = query.where('id', 'in', where.ids.length > 0 ? where.ids : ['00000000-0000-0000-0000-000000000000']);
  if (where.organisationId) query = query.where('organisation_id', '=', where.organisationId);
  if (where.type) query = query.where('type', '=', where.type);
  return query.returning(COLUMNS).execute();
}

/** Credentials naming an organisation, still in force: the sweep checks each holder is still a member. */
export async function listLiveOrganisationCredentials(db: CellDb, now: Date, afterId: string | null, limit: number): Promise<Pick<IssuedRow, 'id' | 'principal_id' | 'organisation_id'>[]> {
  let query = db
    .selectFrom('issued_credentials')
    .select(['id', 'principal_id', 'organisation_id'])
    .where('type', '=', 'public-agent')
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('id')
    .limit(limit);
  if (afterId) query = query.where('id', '>', afterId);
  return query.execute();
}
