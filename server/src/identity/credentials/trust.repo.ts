import type { ControlDb } from '../../platform/db/types.ts';
import type { CredentialTrustedIssuersTable, StoredJwks } from './trust.tables.ts';
import './trust.tables.ts';

/** All SQL of the trust list (trust.ts). */
export type TrustedIssuerRow = Omit<CredentialTrustedIssuersTable, 'added_at'> & { added_at: Date };

const COLUMNS = ['issuer', 'jurisdiction', 'name', 'source', 'metadata_url', 'jwks', 'jwks_fetched_at', 'added_by', 'added_at'] as const;

export async function listTrustedIssuerRows(db: ControlDb): Promise<TrustedIssuerRow[]> {
  return db.selectFrom('credential_trusted_issuers').select(COLUMNS).orderBy('added_at').orderBy('issuer').execute();
}

export async function findTrustedIssuerRow(db: ControlDb, issuer: string): Promise<TrustedIssuerRow | undefined> {
  return db.selectFrom('credential_trusted_issuers').select(COLUMNS).where('issuer', '=', issuer).executeTakeFirst();
}

/** False when the issuer is already in the list (nothing changed). */
export async function insertTrustedIssuer(db: ControlDb, row: Omit<TrustedIssuerRow, 'added_at'>): Promise<TrustedIssuerRow | null> {
  const inserted = await db
    .insertInto('credential_trusted_issuers')
    .values({ ...row, jwks: JSON.stringify(row.jwks) as unknown as StoredJwks })
    .onConflict((oc) => oc.column('issuer').doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  return inserted ?? null;
}

export async function deleteTrustedIssuer(db: ControlDb, issuer: string): Promise<TrustedIssuerRow | null> {
  return (await db.deleteFrom('credential_trusted_issuers').where('issuer', '=', issuer).returning(COLUMNS).executeTakeFirst()) ?? null;
}

/** A metadata issuer's keys fetched again: kept so that a restart does not need the issuer. */
export async function updateFetchedJwks(db: ControlDb, issuer: string, jwks: StoredJwks, fetchedAt: Date): Promise<void> {
  await db
    .updateTable('credential_trusted_issuers')
    .set({ jwks: JSON.stringify(jwks) as unknown as StoredJwks, jwks_fetched_at: fetchedAt })
    .where('issuer', '=', issuer)
    .where('source', '=', 'metadata')
    .execute();
}
