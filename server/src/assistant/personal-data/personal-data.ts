import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import type { AssistantSection } from '../../identity/personal-data/schema.ts';
import type { PersonalDataContext } from '../../identity/personal-data/personal-data.ts';
import { AppError } from '../../platform/errors.ts';
import { type ConversationsDeps, getConversation } from '../conversations/conversations.ts';
import { CONVERSATIONS_PER_SPACE_MAX } from '../conversations/conversations.tables.ts';
import { openContent } from '../usage/content-log.ts';
import { listOwnContentLog, listOwnConversationIds, listUsageRows } from './personal-data.repo.ts';

/**
 * The assistant's part of « Télécharger mes données » (docs/personal-data-export.md): the agent's
 * own conversations (read through the conversations use case, so a space or document they can no
 * longer read is left out exactly as the panel leaves it out), their AI usage lines (home cell,
 * never any text) and, while their organisation logs content, the logged text of their requests.
 */
export const MAX_USAGE_ROWS = 100_000;
/** The content log keeps 90 days; this bounds one export all the same. */
export const MAX_CONTENT_LOG_ROWS = 10_000;
/** A bound well above what the per-space limit allows an agent in a few spaces. */
const MAX_CONVERSATIONS_PER_CELL = CONVERSATIONS_PER_SPACE_MAX * 20;

const iso = (d: Date) => d.toISOString();

export function assistantPersonalData(deps: ConversationsDeps) {
  return async (context: PersonalDataContext): Promise<AssistantSection> => {
    const conversations: AssistantSection['conversations'] = [];
    for (const jurisdiction of JURISDICTIONS) {
      for (const id of await listOwnConversationIds(deps.stores.cells[jurisdiction].db, context.principalId, MAX_CONVERSATIONS_PER_CELL)) {
        try {
          const view = await getConversation(deps, context.actor, id);
          conversations.push({
            id: view.id,
            spaceId: view.spaceId,
            jurisdiction,
            documentId: view.documentId,
            title: view.title,
            createdAt: view.createdAt,
            updatedAt: view.updatedAt,
            messages: view.messages.map((m) => ({
              id: m.id,
              role: m.role,
              mode: m.mode,
              model: m.model,
              content: m.content,
              citations: m.citations.map((c) => ({ n: c.n, documentId: c.documentId, title: c.title })),
              createdAt: m.createdAt,
            })),
          });
        } catch (error) {
          // A space left or a document withdrawn: that conversation is no longer theirs to read.
          if (error instanceof AppError && (error.status === 404 || error.status === 403)) continue;
          throw error;
        }
      }
    }

    const home = deps.stores.cells[context.homeJurisdiction].db;
    const usage = await listUsageRows(home, context.principalId, MAX_USAGE_ROWS);
    const requests = usage.slice(0, MAX_USAGE_ROWS).map((r) => ({
      id: r.id,
      createdAt: iso(r.created_at),
      model: r.model,
      provider: r.provider,
      providerJurisdiction: r.provider_jurisdiction,
      endpoint: r.endpoint,
      stream: r.stream,
      status: r.status,
      promptTokens: Number(r.prompt_tokens),
      completionTokens: Number(r.completion_tokens),
      durationMs: Number(r.duration_ms),
      ttftMs: r.ttft_ms === null ? null : Number(r.ttft_ms),
      energyWh: Number(r.energy_wh),
      emissionsGco2e: Number(r.emissions_gco2e),
    }));

    const cell = deps.cells.get(context.homeJurisdiction);
    const aiContentLog: AssistantSection['aiContentLog'] = [];
    for (const row of await listOwnContentLog(home, context.principalId, MAX_CONTENT_LOG_ROWS)) {
      let content: Awaited<ReturnType<typeof openContent>>;
      try {
        content = await openContent(cell, {
          id: row.id,
          principalId: row.principal_id,
          organisationId: row.organisation_id,
          keyVersion: row.key_version,
          sealed: Buffer.from(row.sealed),
        });
      } catch {
        continue; // its organisation's key was destroyed (crypto-shredded): nothing left to read
      }
      aiContentLog.push({ id: row.id, createdAt: iso(row.created_at), organisationId: row.organisation_id, model: row.model, prompt: content.prompt, answer: content.answer });
    }
    return { conversations, aiUsage: { truncated: usage.length > MAX_USAGE_ROWS, requests }, aiContentLog };
  };
}
