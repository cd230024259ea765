import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // An organisation first seen at a sign-in is created at once (the agent is not turned away)
  // but flagged until an operator confirms it.
  await db.schema
    .alterTable('organisations')
    .addColumn('confirmed', 'boolean', (c) => c.notNull().defaultTo(sql`true`))
    .execute();
}
