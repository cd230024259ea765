import type { CellDb } from '../../platform/db/types.ts';
import type { CredentialIssuerKeysTable } from './credentials.tables.ts';

export type IssuerKeyRow = Omit<CredentialIssuerKeysTable, 'created_at'> & { created_at: Date };

const COLUMNS = ['kid', 'generation', 'public_jwk', 'private_sealed', 'key_version', 'created_at', 'retired_at'] as const;

/** Keys still published, newest generation first (the first signs). */
export async function listActiveIssuerKeys(db: CellDb): Promise<IssuerKeyRow[]> {
  return db.selectFrom('credential_issuer_keys').select(COLUMNS).where('retired_at', 'is', null).orderBy('generation', 'desc').execute();
}

export async function findIssuerKey(db: CellDb, kid: string): Promise<IssuerKeyRow | undefined> {
  return db.selectFrom('credential_issuer_keys').select(COLUMNS).where('kid', '=', kid).executeTakeFirst();
}

export async function latestIssuerGeneration(db: CellDb): Promise<number> {
  const row = await db.selectFrom('credential_issuer_keys').select((eb) => eb.fn.max('generation').as('g')).executeTakeFirst();
  return Number(row?.g ?? 0);
}

/** False when that generation exists already (another node or the command made it first). */
export async function insertIssuerKey(db: CellDb, row: Omit<IssuerKeyRow, 'created_at' | 'retired_at'>): Promise<boolean> {
  const result = await db
    .insertInto('credential_issuer_keys')
    .values({ ...row, public_jwk: JSON.stringify(row.public_jwk) as unknown as Record<string, unknown>, retired_at: null })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function generationCreatedAt(db: CellDb, generation: number): Promise<Date | undefined> {
  return (await db.selectFrom('credential_issuer_keys').select('created_at').where('generation', '=', generation).executeTakeFirst())?.created_at;
}

export async function retireIssuerGenerationsBelow(db: CellDb, generation: number, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('credential_issuer_keys')
    .set({ retired_at: at })
    .where('generation', '<', generation)
    .where('retired_at', 'is', null)
    .returning('kid')
    .execute();
  return rows.map((r) => r.kid);
}
