import { type Kysely, sql } from 'kysely';

/**
 * Credential offers to an external wallet (OpenID4VCI pre-authorised code flow) and the wallet
 * nonces of the issuer's nonce endpoint (credentials.tables.ts). Offers live in the agent's home
 * cell, which is also their issuer's cell: the issuer path of the wallet's requests names the cell.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credential_offers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('public-agent', 'digital-skills')`))
    .addColumn('organisation_id', 'uuid')
    .addColumn('assessment_id', 'uuid')
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('tx_code_hash', 'text', (c) => c.notNull())
    .addColumn('tx_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('redeemed_at', 'timestamptz')
    .addColumn('access_token_hash', 'text', (c) => c.unique())
    .addColumn('access_expires_at', 'timestamptz')
    .addColumn('used_at', 'timestamptz')
    .addColumn('credential_id', 'uuid')
    .execute();
  await db.schema.createIndex('credential_offers_expires').on('credential_offers').column('expires_at').execute();
  await db.schema
    .createTable('credential_wallet_nonces')
    .addColumn('nonce_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('credential_wallet_nonces_expires').on('credential_wallet_nonces').column('expires_at').execute();
}
