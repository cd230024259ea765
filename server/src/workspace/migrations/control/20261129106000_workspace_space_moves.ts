import { type Kysely, sql } from 'kysely';

/** Moves of spaces between cells (workspace/spaces/move): the lock, the resumable state, the record. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('space_moves')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // No foreign key: the record of a move outlives the space (a space deleted later).
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .addColumn('from_jurisdiction', 'text', (c) => c.notNull().check(sql`from_jurisdiction in ('FR', 'QC')`))
    .addColumn('to_jurisdiction', 'text', (c) => c.notNull().check(sql`to_jurisdiction in ('FR', 'QC')`))
    .addColumn('phase', 'text', (c) =>
      c.notNull().check(sql`phase in ('lock', 'keys', 'rows', 'objects', 'switch', 'clean', 'unlock', 'done')`),
    )
    .addColumn('counters', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('progress', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('started_by', 'text', (c) => c.notNull().check(sql`length(started_by) between 1 and 200`))
    .addColumn('error', 'text', (c) => c.check(sql`error is null or length(error) <= 2000`))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('claimed_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('switched_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addCheckConstraint('space_moves_other_cell', sql`from_jurisdiction <> to_jurisdiction`)
    .execute();
  // One unfinished move per space: inserting the row is taking the lock.
  await sql`create unique index space_moves_active on space_moves (space_id) where phase <> 'done'`.execute(db);
  await db.schema.createIndex('space_moves_created').on('space_moves').column('created_at').execute();
}
