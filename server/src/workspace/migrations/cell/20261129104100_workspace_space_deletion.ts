import { type Kysely, sql } from 'kysely';

/**
 * A deleted space is marked first (`deleted_at`): from that moment nothing reads it (spaces and
 * document access skip it), its keys are destroyed, and a job purges its rows and objects in
 * batches (workspace/spaces/delete-space.ts). The space's row goes last, so an interrupted purge
 * finds what it still has to do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('spaces').addColumn('deleted_at', 'timestamptz').execute();
  await db.schema.alterTable('spaces').addColumn('deleted_by', 'uuid').execute();
  // The purge sweep looks for marked spaces only.
  await sql`create index spaces_deleted on spaces (deleted_at) where deleted_at is not null`.execute(db);
}
