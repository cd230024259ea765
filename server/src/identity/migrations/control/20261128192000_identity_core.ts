import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('principals')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('home_jurisdiction', 'text', (c) => c.notNull().check(sql`home_jurisdiction in ('FR', 'QC')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'disabled')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 300`))
    .addColumn('jurisdiction', 'text', (c) => c.notNull().check(sql`jurisdiction in ('FR', 'QC')`))
    .addColumn('siret', 'text', (c) => c.unique().check(sql`siret ~ '^[0-9]{14}$'`))
    .addColumn('neq', 'text', (c) => c.unique().check(sql`neq ~ '^[0-9]{10}$'`))
    .addColumn('email_domains', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('demo', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'organisations_identifier',
      sql`(jurisdiction = 'FR' and siret is not null and neq is null) or (jurisdiction = 'QC' and neq is not null and siret is null)`,
    )
    .execute();
  await db.schema
    .createIndex('organisations_email_domains')
    .on('organisations')
    .using('gin')
    .column('email_domains')
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('principal_id', 'uuid', (c) => c.notNull().references('principals.id').onDelete('cascade'))
    .addColumn('roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{member}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('memberships_pk', ['organisation_id', 'principal_id'])
    .execute();
  await db.schema.createIndex('memberships_principal').on('memberships').column('principal_id').execute();

  await db.schema
    .createTable('platform_roles')
    .addColumn('principal_id', 'uuid', (c) => c.notNull().references('principals.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('operator')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('platform_roles_pk', ['principal_id', 'role'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('principal_id', 'uuid', (c) => c.notNull().references('principals.id').onDelete('cascade'))
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('previous_token_hash', 'bytea')
    .addColumn('rotated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('idle_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_principal').on('sessions').column('principal_id').execute();
  await db.schema.createIndex('sessions_previous_token').on('sessions').column('previous_token_hash').execute();
}
