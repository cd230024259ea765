import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Whether the federation that last signed the agent in vouched for the email address: Entente's
  // own OpenID provider asserts `email_verified` from it, so it is false unless some upstream said so.
  await db.schema
    .alterTable('agent_profiles')
    .addColumn('email_verified', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}
