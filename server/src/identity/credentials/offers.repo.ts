import { sql } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { CredentialOffersTable } from './credentials.tables.ts';

/** SQL of the wallet flow (offers and wallet nonces, in the issuer's cell = the agent's home cell). */
export type OfferInsert = Omit<CredentialOffersTable, 'tx_attempts' | 'redeemed_at' | 'access_token_hash' | 'access_expires_at' | 'used_at' | 'credential_id'>;

const OFFER_COLUMNS = ['id', 'principal_id', 'session_id', 'type', 'organisation_id', 'assessment_id', 'tx_attempts', 'expires_at', 'redeemed_at', 'access_expires_at', 'used_at'] as const;
export interface OfferRow {
  id: string;
  principal_id: string;
  session_id: string;
  type: CredentialOffersTable['type'];
  organisation_id: string | null;
  assessment_id: string | null;
  tx_attempts: number;
  expires_at: Date;
  redeemed_at: Date | null;
  access_expires_at: Date | null;
  used_at: Date | null;
}

export async function insertOffer(db: CellDb, row: OfferInsert): Promise<void> {
  await db
    .insertInto('credential_offers')
    .values({ ...row, tx_attempts: 0, redeemed_at: null, access_token_hash: null, access_expires_at: null, used_at: null, credential_id: null })
    .execute();
}

/**
 * Exchanges the pre-authorised code for an access token, in one statement: the live, unredeemed
 * offer with fewer than `maxAttempts` wrong tx_codes is redeemed when the tx_code matches, else
 * its attempts go up by one. Two concurrent requests cannot both redeem (the row lock and the
 * re-checked `redeemed_at is null`). Returns the row as it is after the statement, or undefined
 * when no live offer has that code; `redeemed_at = now` says the tx_code matched.
 */
export async function redeemOffer(
  db: CellDb,
  input: { codeHash: string; txCodeHash: string; accessTokenHash: string; accessExpiresAt: Date; now: Date; maxAttempts: number },
): Promise<OfferRow | undefined> {
  const matches = sql<boolean>`tx_code_hash = ${input.txCodeHash}`;
  return db
    .updateTable('credential_offers')
    .set({
      tx_attempts: sql`case when ${matches} then tx_attempts else tx_attempts + 1 end`,
      redeemed_at: sql`case when ${matches} then ${input.now}::timestamptz else null end`,
      access_token_hash: sql`case when ${matches} then ${input.accessTokenHash} else null end`,
      access_expires_at: sql`case when ${matches} then ${input.accessExpiresAt}::timestamptz else null end`,
    })
    .where('code_hash', '=', input.codeHash)
    .where('redeemed_at', 'is', null)
    .where('expires_at', '>', input.now)
    .where('tx_attempts', '<', input.maxAttempts)
    .returning(OFFER_COLUMNS)
    .executeTakeFirst();
}

/** The redeemed offer whose access token hashes to `hash`, whatever its state (the caller says why it refuses). */
export async function findOfferByAccessToken(db: CellDb, hash: string): Promise<OfferRow | undefined> {
  return db.selectFrom('credential_offers').select(OFFER_COLUMNS).where('access_token_hash', '=', hash).executeTakeFirst();
}

/** Spends the access token (once, unexpired): one statement, so two requests cannot both get a credential. */
export async function spendAccessToken(db: CellDb, hash: string, credentialId: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('credential_offers')
    .set({ used_at: now, credential_id: credentialId })
    .where('access_token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('access_expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertWalletNonce(db: CellDb, row: { nonce_hash: string; expires_at: Date }): Promise<void> {
  await db.insertInto('credential_wallet_nonces').values({ ...row, used_at: null }).execute();
}

/** Marks the wallet nonce used when unused and unexpired: one statement, spent once. */
export async function consumeWalletNonce(db: CellDb, hash: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('credential_wallet_nonces')
    .set({ used_at: now })
    .where('nonce_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('nonce_hash')
    .executeTakeFirst();
  return row !== undefined;
}

/** The sweep's purge: offers and wallet nonces expired before `before`. */
export async function deleteExpiredOffers(db: CellDb, before: Date): Promise<number> {
  const offers = await db.deleteFrom('credential_offers').where('expires_at', '<', before).executeTakeFirst();
  const nonces = await db.deleteFrom('credential_wallet_nonces').where('expires_at', '<', before).executeTakeFirst();
  return Number(offers.numDeletedRows ?? 0) + Number(nonces.numDeletedRows ?? 0);
}
