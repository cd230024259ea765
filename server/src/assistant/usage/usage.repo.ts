import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import type { AiContentLogTable, AiUsageTable } from './usage.tables.ts';
import './usage.tables.ts';

/** All SQL of AI usage accounting, quotas' settings and the content log (helper A). */
export type UsageRow = Omit<AiUsageTable, 'created_at' | 'prompt_tokens' | 'completion_tokens' | 'energy_wh' | 'emissions_gco2e'> & {
  prompt_tokens: number;
  completion_tokens: number;
  energy_wh: number;
  emissions_gco2e: number;
  created_at: Date;
};

export async function insertUsageRows(db: CellDb, rows: UsageRow[]): Promise<void> {
  if (rows.length === 0) return;
  // Idempotent (review fix, helper R1): a retried batch writes again what may have been written.
  await db
    .insertInto('ai_usage')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export type ContentLogRow = Omit<AiContentLogTable, 'created_at'> & { created_at: Date };

export async function insertContentLogRows(db: CellDb, rows: ContentLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('ai_content_log')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function findContentLog(db: CellDb, where: { organisationId?: string; principalId?: string }) {
  let q = db
    .selectFrom('ai_content_log')
    .select(['id', 'usage_id', 'principal_id', 'organisation_id', 'model', 'key_version', 'sealed', 'created_at'])
    .orderBy('created_at', 'asc')
    .limit(1000);
  if (where.organisationId) q = q.where('organisation_id', '=', where.organisationId);
  if (where.principalId) q = q.where('principal_id', '=', where.principalId);
  return q.execute();
}

/** Deletes up to `limit` content-log rows older than `before`; returns how many went. */
export async function deleteContentLogBefore(db: CellDb, before: Date, limit = 1000): Promise<number> {
  const result = await db
    .deleteFrom('ai_content_log')
    .where('id', 'in', (eb) => eb.selectFrom('ai_content_log').select('id').where('created_at', '<', before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

export async function findContentLogging(db: ControlDb, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('ai_organisation_settings')
    .select('content_logging')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.content_logging === true;
}

export async function upsertContentLogging(db: ControlDb, organisationId: string, contentLogging: boolean, by: string, at: Date): Promise<void> {
  await db
    .insertInto('ai_organisation_settings')
    .values({ organisation_id: organisationId, content_logging: contentLogging, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ content_logging: contentLogging, updated_at: at, updated_by: by }))
    .execute();
}
