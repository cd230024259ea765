import { type Kysely, sql } from 'kysely';

/** A document's own classification level (issue 7); null: it inherits its space's. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('documents')
    .addColumn('classification', 'text', (c) => c.check(sql`classification is null or classification ~ '^[a-z0-9][a-z0-9_-]{0,62}$'`))
    .execute();
}
