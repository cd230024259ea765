import { type Kysely, sql } from 'kysely';

/**
 * Usage of the AI gateway (helper A, contract C3): one row per request, in the agent's home cell
 * (who asked what model is personal data and stays home). Never the text of prompts or answers.
 * Helper C's dashboards and register read it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ai_usage')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('provider', 'text')
    .addColumn('provider_jurisdiction', 'text')
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('stream', 'boolean', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completion_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('ttft_ms', 'integer')
    .addColumn('energy_wh', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('emissions_gco2e', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ai_usage_principal').on('ai_usage').columns(['principal_id', 'created_at']).execute();
  await db.schema.createIndex('ai_usage_organisation').on('ai_usage').columns(['organisation_id', 'created_at']).execute();
}
