import { type Kysely, sql } from 'kysely';

/**
 * A space's level on the configured classification scale (ENTENTE_CONFIG `aiPolicy.levels`, issue 7):
 * in the control plane, beside the space's jurisdiction, so that the AI policy reads both in one
 * place. Null: not set (the space's workspace label and the scale's default decide).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('space_directory')
    .addColumn('classification', 'text', (c) => c.check(sql`classification is null or classification ~ '^[a-z0-9][a-z0-9_-]{0,62}$'`))
    .execute();
}
