import { type Kysely, sql } from 'kysely';

/**
 * Verifiable credentials, verifier side (issue 9), in the control plane:
 * - `credential_trusted_issuers`: the issuers an operator trusts besides Entente's own two (which
 *   are trusted by construction and not stored: their URLs follow ENTENTE_PUBLIC_URL). Each is
 *   trusted by its metadata URL (keys fetched, the last good JWKS kept here so that verification
 *   does not depend on the issuer being up) or by a pinned JWKS.
 * - `credential_verifier_requests`: one row per verification asked for, with its single-use nonce.
 *   No personal data: no claims, no address.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credential_trusted_issuers')
    .addColumn('issuer', 'text', (c) => c.primaryKey().check(sql`char_length(issuer) between 1 and 500`))
    .addColumn('jurisdiction', 'text', (c) => c.notNull().check(sql`jurisdiction in ('FR', 'QC')`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 200`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('metadata', 'pinned')`))
    .addColumn('metadata_url', 'text')
    .addColumn('jwks', 'jsonb', (c) => c.notNull())
    .addColumn('jwks_fetched_at', 'timestamptz')
    .addColumn('added_by', 'text', (c) => c.notNull().check(sql`char_length(added_by) between 1 and 200`))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('credential_trusted_issuers_metadata_url', sql`(source = 'metadata') = (metadata_url is not null)`)
    .execute();

  await db.schema
    .createTable('credential_verifier_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull().unique())
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`char_length(audience) between 1 and 500`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('fr-FR', 'fr-CA', 'en')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('credential_verifier_requests_expiry').on('credential_verifier_requests').column('expires_at').execute();
}
