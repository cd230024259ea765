import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_profiles')
    .addColumn('principal_id', 'uuid', (c) => c.primaryKey())
    .addColumn('given_name', 'text', (c) => c.notNull().check(sql`length(given_name) <= 200`))
    .addColumn('family_name', 'text', (c) => c.notNull().check(sql`length(family_name) <= 200`))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`length(email) <= 320`))
    .addColumn('preferred_language', 'text', (c) =>
      c.notNull().defaultTo('fr-FR').check(sql`preferred_language in ('fr-FR', 'fr-CA', 'en')`),
    )
    .addColumn('organisation_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index agent_profiles_email on agent_profiles (lower(email))`.execute(db);

  await db.schema
    .createTable('session_details')
    .addColumn('session_id', 'uuid', (c) => c.primaryKey())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text', (c) => c.check(sql`length(user_agent) <= 1000`))
    .addColumn('auth_method', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('session_details_principal').on('session_details').column('principal_id').execute();
}
