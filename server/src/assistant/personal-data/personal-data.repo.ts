import type { CellDb } from '../../platform/db/types.ts';

/** The agent's own conversations in one cell (ids only: they are read through the use case). */
export async function listOwnConversationIds(db: CellDb, principalId: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('assistant_conversations').select('id').where('principal_id', '=', principalId).orderBy('updated_at', 'desc').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** The agent's usage rows, most recent first (`limit + 1` tells whether there were more). */
export async function listUsageRows(db: CellDb, principalId: string, limit: number) {
  return db
    .selectFrom('ai_usage')
    .select([
      'id',
      'created_at',
      'model',
      'provider',
      'provider_jurisdiction',
      'endpoint',
      'stream',
      'status',
      'prompt_tokens',
      'completion_tokens',
      'duration_ms',
      'ttft_ms',
      'energy_wh',
      'emissions_gco2e',
    ])
    .where('principal_id', '=', principalId)
    .orderBy('created_at', 'desc')
    .limit(limit + 1)
    .execute();
}

/** The agent's logged AI content (sealed), most recent first. */
export async function listOwnContentLog(db: CellDb, principalId: string, limit: number) {
  return db
    .selectFrom('ai_content_log')
    .select(['id', 'principal_id', 'organisation_id', 'model', 'key_version', 'sealed', 'created_at'])
    .where('principal_id', '=', principalId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
