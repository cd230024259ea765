import { type Kysely, sql } from 'kysely';

/**
 * Deleting an organisation (identity/organisation-deletion.ts): one row per organisation an
 * operator deleted. The organisation's own row stays (its SIRET or NEQ then keeps a sign-in from
 * silently creating it again, and its audit chain keeps a name); this row says it is deleted and
 * how far the deletion went, so that a crash midway is finished by the job or by the command run
 * again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organisation_deletions')
    .addColumn('organisation_id', 'uuid', (c) => c.primaryKey().references('organisations.id').onDelete('restrict'))
    .addColumn('requested_by', 'uuid')
    .addColumn('requested_via', 'text', (c) => c.notNull().check(sql`char_length(requested_via) between 1 and 100`))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('phase', 'text', (c) => c.notNull().defaultTo('keys').check(sql`phase in ('keys', 'spaces', 'members', 'done')`))
    .addColumn('counters', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('organisation_deletions_unfinished').on('organisation_deletions').column('requested_at').where(sql.ref('finished_at'), 'is', null).execute();
}
