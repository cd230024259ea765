import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Organisation roles are a closed list, and every membership is at least `member`.
  await sql`alter table memberships add constraint memberships_roles_known
    check (roles <@ array['member', 'admin', 'trainer', 'manager']::text[] and 'member' = any(roles))`.execute(db);

  await db.schema
    .createTable('teams')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 100`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Two teams of one organisation may not differ only by case (« Cloud » and « cloud »).
  await sql`create unique index teams_organisation_name on teams (organisation_id, lower(name))`.execute(db);

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('principal_id', 'uuid', (c) => c.notNull().references('principals.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('member', 'manager')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'principal_id'])
    .execute();
  await db.schema.createIndex('team_members_principal').on('team_members').column('principal_id').execute();

  await db.schema
    .createTable('operator_designations')
    .addColumn('upstream', 'text', (c) => c.notNull().check(sql`length(upstream) between 1 and 100`))
    .addColumn('subject', 'text', (c) => c.notNull().check(sql`length(subject) between 1 and 255`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('config', 'cli')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('operator_designations_pk', ['upstream', 'subject', 'source'])
    .execute();
}
