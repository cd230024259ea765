import { type Kysely, sql } from 'kysely';

/**
 * An agent's assessments, answers, chosen target profile and learning-path progress, in their
 * home cell: skills results are personal data (DESIGN.md: « skills results » in the home cell).
 * Each answer keeps the item parameters it was scored with, so a later calibration never changes
 * a result already given, and calibration reads (item, correct) pairs without names.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('skills_assessments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    // The organisation the agent took it in (dashboards count current team members only).
    .addColumn('organisation_id', 'uuid')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('in_progress', 'completed', 'abandoned')`))
    .addColumn('pending_item_id', 'uuid')
    .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
    // The engine's options and the randomesque seed: a resumed test goes on with the same rules.
    .addColumn('options', 'jsonb', (c) => c.notNull())
    .addColumn('framework_version', 'text', (c) => c.notNull())
    .addColumn('result', 'jsonb')
    .addColumn('level', 'smallint', (c) => c.check(sql`level between 1 and 8`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('skills_assessments_owner').on('skills_assessments').columns(['principal_id', 'started_at']).execute();
  // One test in progress per agent at a time (starting again resumes it).
  await sql`create unique index skills_assessments_one_in_progress on skills_assessments (principal_id) where status = 'in_progress'`.execute(db);

  await db.schema
    .createTable('skills_responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('assessment_id', 'uuid', (c) => c.notNull().references('skills_assessments.id').onDelete('cascade'))
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('item_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('competence', 'text', (c) => c.notNull())
    .addColumn('a', 'real', (c) => c.notNull())
    .addColumn('b', 'real', (c) => c.notNull())
    .addColumn('c', 'real', (c) => c.notNull())
    // What the agent gave: { choices } or { text } (bounded by the route).
    .addColumn('answer', 'jsonb', (c) => c.notNull().check(sql`octet_length(answer::text) <= 2048`))
    .addColumn('correct', 'boolean', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('skills_responses_position', ['assessment_id', 'position'])
    .addUniqueConstraint('skills_responses_item', ['assessment_id', 'item_id'])
    .execute();
  await db.schema.createIndex('skills_responses_by_item').on('skills_responses').columns(['item_id']).execute();

  await db.schema
    .createTable('skills_settings')
    .addColumn('principal_id', 'uuid', (c) => c.primaryKey())
    .addColumn('target_profile_id', 'text', (c) => c.notNull().check(sql`length(target_profile_id) <= 64`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('skills_path_progress')
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull().check(sql`length(resource_id) <= 100`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('todo', 'in_progress', 'done')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('skills_path_progress_pk', ['principal_id', 'resource_id'])
    .execute();
}
