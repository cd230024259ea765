import { type Kysely, sql } from 'kysely';

/** Entente as OpenID provider: oidc-provider's models, registered clients, signing keys, consents. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // oidc-provider's short-lived models (sessions, interactions, codes, tokens, grants), one row
  // per (model, id), the payload as oidc-provider gives it.
  await db.schema
    .createTable('oidc_models')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('user_code', 'text')
    .addColumn('uid', 'text')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('consumed_at', 'timestamptz')
    .addPrimaryKeyConstraint('oidc_models_pk', ['model', 'id'])
    .execute();
  await db.schema.createIndex('oidc_models_grant').on('oidc_models').column('grant_id').execute();
  await db.schema.createIndex('oidc_models_uid').on('oidc_models').columns(['model', 'uid']).execute();
  await db.schema.createIndex('oidc_models_user_code').on('oidc_models').columns(['model', 'user_code']).execute();
  await db.schema.createIndex('oidc_models_expires').on('oidc_models').column('expires_at').execute();

  // Clients registered by operators. The secret is needed in clear to check client_secret_basic,
  // so it is stored encrypted (AES-256-GCM under a keyring data key), never hashed.
  await db.schema
    .createTable('oidc_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('name_fr', 'text', (c) => c.notNull().check(sql`length(name_fr) between 1 and 100`))
    .addColumn('name_en', 'text', (c) => c.notNull().check(sql`length(name_en) between 1 and 100`))
    .addColumn('secret_sealed', 'bytea')
    .addColumn('secret_key_version', 'integer')
    .addColumn('redirect_uris', sql`text[]`, (c) => c.notNull())
    .addColumn('post_logout_redirect_uris', sql`text[]`, (c) => c.notNull())
    .addColumn('backchannel_logout_uri', 'text')
    .addColumn('sector', 'text', (c) => c.notNull())
    .addColumn('token_endpoint_auth_method', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid')
    .execute();

  // Signing keys (ES256, RS256); the private JWK sealed under the keyring of ENTENTE_OIDC_KEYS_CELL.
  await db.schema
    .createTable('oidc_signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
    .addColumn('private_sealed', 'bytea', (c) => c.notNull())
    .addColumn('key_cell', 'text', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('retired_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('oidc_signing_keys_generation_alg')
    .on('oidc_signing_keys')
    .columns(['generation', 'alg'])
    .unique()
    .execute();

  // Consent given by an agent to a client: remembered across OpenID sessions, withdrawn by the agent.
  await db.schema
    .createTable('oidc_consents')
    .addColumn('principal_id', 'uuid', (c) => c.notNull().references('principals.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('oidc_clients.client_id').onDelete('cascade'))
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('claims', sql`text[]`, (c) => c.notNull())
    .addColumn('given_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('oidc_consents_pk', ['principal_id', 'client_id'])
    .execute();

  // Which Entente session an OpenID session was opened from: ending the first ends the second
  // (and sends back-channel logout to the clients).
  await db.schema
    .createTable('oidc_session_links')
    .addColumn('op_session_uid', 'text', (c) => c.primaryKey())
    .addColumn('entente_session_id', 'uuid', (c) => c.notNull())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('oidc_session_links_session').on('oidc_session_links').column('entente_session_id').execute();
}
