import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Accounts are keyed by (upstream, subject): an email seen at two upstreams is never linked.
  await db.schema
    .createTable('federated_identities')
    .addColumn('upstream', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull().check(sql`length(subject) between 1 and 255`))
    .addColumn('principal_id', 'uuid', (c) => c.notNull().references('principals.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_sign_in_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('federated_identities_pk', ['upstream', 'subject'])
    .execute();
  await db.schema.createIndex('federated_identities_principal').on('federated_identities').column('principal_id').execute();

  // A sign-in in flight: what is needed to check the upstream's answer (state, nonce, PKCE).
  await db.schema
    .createTable('login_attempts')
    .addColumn('state_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('upstream', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('min_level', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('sessions').addColumn('assurance_level', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('upstream', 'text').execute();
}
