import type { ControlDb } from '../../platform/db/types.ts';
import type { OidcSigningKeysTable } from './provider.tables.ts';

export type SigningKeyRow = Omit<OidcSigningKeysTable, 'created_at'> & { created_at: Date };

const COLUMNS = ['kid', 'alg', 'generation', 'public_jwk', 'private_sealed', 'key_cell', 'key_version', 'created_at', 'retired_at'] as const;

/** Keys not retired, newest generation first (the first of an algorithm signs). */
export async function listActiveSigningKeys(db: ControlDb): Promise<SigningKeyRow[]> {
  return db.selectFrom('oidc_signing_keys').select(COLUMNS).where('retired_at', 'is', null).orderBy('generation', 'desc').orderBy('alg').execute();
}

export async function latestGeneration(db: ControlDb): Promise<number> {
  const row = await db.selectFrom('oidc_signing_keys').select((eb) => eb.fn.max('generation').as('g')).executeTakeFirst();
  return Number(row?.g ?? 0);
}

/** False when that generation already exists (another node or command made it first). */
export async function insertSigningKeys(db: ControlDb, rows: Omit<SigningKeyRow, 'created_at' | 'retired_at'>[]): Promise<boolean> {
  const result = await db
    .insertInto('oidc_signing_keys')
    .values(rows.map((r) => ({ ...r, public_jwk: JSON.stringify(r.public_jwk) as unknown as Record<string, unknown>, retired_at: null })))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function retireGenerationsBelow(db: ControlDb, generation: number, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('oidc_signing_keys')
    .set({ retired_at: at })
    .where('generation', '<', generation)
    .where('retired_at', 'is', null)
    .returning('kid')
    .execute();
  return rows.map((r) => r.kid);
}

export async function generationCreatedAt(db: ControlDb, generation: number): Promise<Date | undefined> {
  const row = await db.selectFrom('oidc_signing_keys').select('created_at').where('generation', '=', generation).executeTakeFirst();
  return row?.created_at;
}
