import type { ControlDb } from '../../platform/db/types.ts';
import type { OidcClientsTable } from './provider.tables.ts';

export type ClientRow = Omit<OidcClientsTable, 'created_at'> & { created_at: Date };

const COLUMNS = [
  'client_id',
  'name_fr',
  'name_en',
  'secret_sealed',
  'secret_key_version',
  'redirect_uris',
  'post_logout_redirect_uris',
  'backchannel_logout_uri',
  'sector',
  'token_endpoint_auth_method',
  'scopes',
  'created_at',
  'created_by',
] as const;

export async function insertClient(db: ControlDb, row: Omit<ClientRow, 'created_at'>): Promise<void> {
  await db.insertInto('oidc_clients').values(row).execute();
}

export async function findClientRow(db: ControlDb, clientId: string): Promise<ClientRow | undefined> {
  return db.selectFrom('oidc_clients').select(COLUMNS).where('client_id', '=', clientId).executeTakeFirst();
}

export async function findClientRows(db: ControlDb, clientIds: string[]): Promise<ClientRow[]> {
  if (clientIds.length === 0) return [];
  return db.selectFrom('oidc_clients').select(COLUMNS).where('client_id', 'in', clientIds).execute();
}

export async function listClientRows(db: ControlDb): Promise<ClientRow[]> {
  return db.selectFrom('oidc_clients').select(COLUMNS).orderBy('created_at').execute();
}

export async function deleteClientRow(db: ControlDb, clientId: string): Promise<boolean> {
  const result = await db.deleteFrom('oidc_clients').where('client_id', '=', clientId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
