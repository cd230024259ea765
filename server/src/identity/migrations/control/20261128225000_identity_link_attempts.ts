import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A login attempt may link a second federation to a signed-in agent instead of signing in: it
  // remembers whose profile and which session started it (both checked again on the callback).
  // Null for an ordinary sign-in. The attempt lives ten minutes: it goes with its principal.
  await db.schema
    .alterTable('login_attempts')
    .addColumn('link_principal_id', 'uuid', (c) => c.references('principals.id').onDelete('cascade'))
    .execute();
  await db.schema.alterTable('login_attempts').addColumn('link_session_id', 'uuid').execute();
}
