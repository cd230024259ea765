import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The upstream's session id (`sid` of its ID token) of an Entente session, so that the
  // federation's back-channel logout ends exactly that session. A sid is an opaque random id,
  // not personal data: it lives in the control plane, next to the session it points to, and goes
  // with it when the session is purged.
  await db.schema
    .createTable('upstream_sessions')
    .addColumn('session_id', 'uuid', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('upstream', 'text', (c) => c.notNull())
    .addColumn('sid', 'text', (c) => c.notNull().check(sql`length(sid) between 1 and 255`))
    .execute();
  await db.schema.createIndex('upstream_sessions_sid').on('upstream_sessions').columns(['upstream', 'sid']).execute();

  // Logout tokens already used (their jti), until they would be refused as too old anyway.
  await db.schema
    .createTable('upstream_logout_tokens')
    .addColumn('upstream', 'text', (c) => c.notNull())
    .addColumn('jti', 'text', (c) => c.notNull().check(sql`length(jti) between 1 and 255`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('upstream_logout_tokens_pk', ['upstream', 'jti'])
    .execute();
  await db.schema.createIndex('upstream_logout_tokens_expiry').on('upstream_logout_tokens').column('expires_at').execute();
}
