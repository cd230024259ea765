import { type Kysely, sql } from 'kysely';

/**
 * The skills module's shared data, in the control plane: it is configuration-like and names no
 * agent (DESIGN.md): the item bank (the starter bank shared by both states, and items an
 * organisation's trainers add for their own agents), competences organisations add to DigComp,
 * and organisations' own target profiles. Answers and results are personal: they live in each
 * agent's home cell (the cell migration of the same name).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('skills_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique().check(sql`key ~ '^[a-z0-9][a-z0-9.-]{0,63}$'`))
    // null: the shared bank (operators edit it); otherwise items of that organisation's trainers.
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id').onDelete('cascade'))
    .addColumn('competence', 'text', (c) => c.notNull().check(sql`length(competence) <= 64`))
    .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level between 1 and 8`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('single', 'multiple', 'true_false', 'short_answer')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'live', 'retired')`))
    .addColumn('correct', 'jsonb', (c) => c.notNull())
    // { fr, frCA?, en }: stem, options, accepted answers, explanation (items/types.ts).
    .addColumn('content', 'jsonb', (c) => c.notNull().check(sql`octet_length(content::text) <= 65536`))
    .addColumn('a', 'real', (c) => c.notNull().check(sql`a > 0 and a <= 6`))
    .addColumn('b', 'real', (c) => c.notNull().check(sql`b between -8 and 8`))
    .addColumn('c', 'real', (c) => c.notNull().check(sql`c >= 0 and c < 0.5`))
    // Sympson–Hetter exposure parameter (cat/exposure.ts), set by calibration; null: unrestricted.
    .addColumn('exposure', 'real', (c) => c.check(sql`exposure > 0 and exposure <= 1`))
    .addColumn('calibrated_at', 'timestamptz')
    // The last calibration's report for this item: answers used, standard errors, flags.
    .addColumn('calibration', 'jsonb')
    // starter: shipped with Entente (updated from the source while nobody edits it); authored; imported.
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('starter', 'authored', 'imported')`))
    .addColumn('source_hash', 'text')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('skills_items_bank').on('skills_items').columns(['status', 'organisation_id']).execute();
  await db.schema.createIndex('skills_items_competence').on('skills_items').columns(['competence']).execute();

  await db.schema
    .createTable('skills_competences')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^org-[a-z0-9-]{1,60}$'`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('area', 'text', (c) => c.notNull().check(sql`area in ('1', '2', '3', '4', '5')`))
    // { name: LocalisedText, description: LocalisedText, crcn: string[], quebec: string[] }
    .addColumn('definition', 'jsonb', (c) => c.notNull().check(sql`octet_length(definition::text) <= 16384`))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('skills_competences_organisation').on('skills_competences').column('organisation_id').execute();

  await db.schema
    .createTable('skills_target_profiles')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent', 'manager', 'digital-specialist')`))
    // { name: LocalisedText, required: Record<competenceId, level> }
    .addColumn('definition', 'jsonb', (c) => c.notNull().check(sql`octet_length(definition::text) <= 16384`))
    .addColumn('created_by', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('skills_target_profiles_organisation').on('skills_target_profiles').column('organisation_id').execute();

  // Which sets of agents a viewer was shown team figures for (dashboards/releases.ts): a new set
  // differing from an earlier one by fewer than 5 agents would let them subtract one agent's
  // levels. Pseudonymous ids only, in the control plane like team memberships.
  await db.schema
    .createTable('skills_dashboard_releases')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('viewer_id', 'uuid', (c) => c.notNull())
    .addColumn('members_hash', 'text', (c) => c.notNull())
    .addColumn('members', 'jsonb', (c) => c.notNull().check(sql`octet_length(members::text) <= 262144`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('skills_dashboard_releases_set', ['organisation_id', 'viewer_id', 'members_hash'])
    .execute();
}
