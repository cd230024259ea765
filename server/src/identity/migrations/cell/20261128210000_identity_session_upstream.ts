import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The upstream's ID token, for RP-initiated logout (id_token_hint): it may carry personal
  // claims, so it lives with the session's other details in the home cell.
  await db.schema.alterTable('session_details').addColumn('upstream_id_token', 'text').execute();
  await db.schema.alterTable('session_details').addColumn('upstream_acr', 'text').execute();
}
