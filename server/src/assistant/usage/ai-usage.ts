import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { isEmbeddingServiceActor } from '../embeddings/service-actor.ts';
import { GatewayError } from '../gateway/errors.ts';
import type { AiModel, AiProvider } from '../providers/config.ts';
import { type BatchWriter, createBatchWriter } from './batch-writer.ts';
import { type LoggedContent, loggablePrompt, sealContent } from './content-log.ts';
import { footprintOf } from './footprint.ts';
import type { AdmittedCounter, QuotaCheck, QuotaCounters } from './quota-counters.ts';
import type { AiQuotas } from './quotas-config.ts';
import { type ContentLogRow, findContentLogging, insertContentLogRows, insertUsageRows, type UsageRow } from './usage.repo.ts';

/**
 * What the gateway asks of usage accounting, per request:
 * - `admit`, before any upstream is called: the quotas (per agent and per organisation: requests
 *   per minute, tokens per minute and per day, the prompt's tokens estimated at chars/4); a
 *   refusal is a 429 `quota_exceeded` naming the quota in `param`, with `Retry-After`.
 * - `noteAnswer`, as the answer passes (only kept when the organisation logs content).
 * - `settle`, once the request is over: the real tokens are charged to the counters, and one
 *   `ai_usage` row (with its footprint) and, when content logging is on, one sealed
 *   `ai_content_log` row go to a batched writer — never awaited on the request path.
 */
export type UsageEndpoint = 'chat.completions' | 'embeddings';

export interface UsageRequest {
  model: string;
  endpoint: UsageEndpoint;
  stream: boolean;
  /** What the client sent as the prompt (`messages` or `input`): for the estimate and the content log. */
  prompt: unknown;
  /** The documents whose content the request carries (contract C1): their text is not logged. */
  documentIds?: readonly string[];
}

export interface UsageResult {
  model: string;
  endpoint: UsageEndpoint;
  stream: boolean;
  status: number;
  provider: AiProvider | null;
  aiModel: AiModel | null;
  promptTokens: number | null;
  completionTokens: number | null;
  durationMs: number;
  ttftMs: number | null;
}

interface Ticket {
  estimate: number;
  counters: AdmittedCounter[];
  tokenCounters: AdmittedCounter[];
  prompt: unknown;
  logContent: boolean;
  answer: string[];
  answerChars: number;
  // ── review fixes (helper R1) ──
  promptTruncated: boolean;
  promptChars: number;
  /** Non-empty: the request carried documents' content; only their ids are logged. */
  documentIds: string[];
  // ── end review fixes ──
}

export interface AiUsage {
  /** Throws the 429 when a quota is exceeded; remembers the admission for `settle` (by `key`). */
  admit(key: object, actor: Actor, request: UsageRequest): Promise<void>;
  /** A piece of the answer's text (kept only when content is logged, at most 1 MB). */
  noteAnswer(key: object, text: string): void;
  /** Whether the answer's text of this admitted request is kept (else `noteAnswer` may be skipped). */
  logsAnswer(key: object): boolean;
  settle(key: object, actor: Actor, result: UsageResult): void;
  /** Drops this node's cached content-logging setting of the organisation (it just changed). */
  forget(organisationId: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface AiUsageDeps {
  stores: Stores;
  cells: Cells;
  logger: Logger;
  quotas: AiQuotas;
  counters: QuotaCounters;
  writer?: { intervalMs?: number; maxRows?: number; maxBufferedBytes?: number };
  /** How long an organisation's content-logging setting is cached on a node (ms). */
  settingsTtlMs?: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_ANSWER_CHARS = 1_000_000;
// ── review fixes (helper R1): the writer is bounded in bytes, and writes the content log in small inserts ──
/** Roughly what a usage row weighs in the buffer, without content. */
const USAGE_ROW_BYTES = 512;
/** Buffered rows' bytes (usage and content) while the database is slow or down; beyond, rows are dropped and logged. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** One INSERT of sealed content rows holds at most this much (far below PostgreSQL's 1 GB per statement). */
const CONTENT_INSERT_BYTES = 8 * 1024 * 1024;
const CONTENT_INSERT_ROWS = 50;
/** The model of a usage row refused before any model was resolved (model_not_found): not an AI system. */
export const UNKNOWN_MODEL = '(unknown)';
// ── end review fixes ──

/** The organisation a request is accounted to: the agent's first by id, as the audit does. */
export function organisationOf(actor: Actor): string | null {
  return [...actor.memberships.keys()].sort()[0] ?? null;
}

/** Tokens of a prompt before the model counts them: about 4 characters a token. */
export function estimateTokens(prompt: unknown): number {
  const text = typeof prompt === 'string' ? prompt : JSON.stringify(prompt ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}

interface PendingRow {
  cell: Jurisdiction;
  usage: UsageRow;
  /** `id`: chosen once, so that a retried write cannot log the content twice (review fix, helper R1). */
  content: { id: string; organisationId: string; value: LoggedContent; bytes: number } | null;
}

/** Splits rows into groups of at most `maxRows` rows and about `maxBytes` bytes (each group ≥ 1 row). */
function chunked<T>(rows: readonly T[], bytes: (row: T) => number, maxRows: number, maxBytes: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const row of rows) {
    const b = bytes(row);
    if (current.length > 0 && (current.length >= maxRows || size + b > maxBytes)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += b;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function createAiUsage(deps: AiUsageDeps): AiUsage {
  const tickets = new WeakMap<object, Ticket>();
  const settings = new Map<string, { on: boolean; expires: number }>();
  const ttl = deps.settingsTtlMs ?? 30_000;

  async function logsContent(organisationId: string | null): Promise<boolean> {
    if (!organisationId) return false;
    const cached = settings.get(organisationId);
    if (cached && cached.expires > Date.now()) return cached.on;
    const on = await findContentLogging(deps.stores.control.db, organisationId);
    if (settings.size > 10_000) settings.clear();
    settings.set(organisationId, { on, expires: Date.now() + ttl });
    return on;
  }

  const writer: BatchWriter<PendingRow> = createBatchWriter<PendingRow>({
    name: 'ai_usage',
    logger: deps.logger,
    intervalMs: deps.writer?.intervalMs,
    maxRows: deps.writer?.maxRows,
    // ── review fixes (helper R1): bounded in bytes; each cell written on its own, idempotently ──
    maxBufferedBytes: deps.writer?.maxBufferedBytes ?? MAX_BUFFERED_BYTES,
    sizeOf: (r) => USAGE_ROW_BYTES + (r.content?.bytes ?? 0),
    write: async (rows) => {
      // One cell failing does not hold back the other; the writer's retry then writes again what
      // may have been written already (ids fixed at settle, `on conflict do nothing`).
      const failures: unknown[] = [];
      for (const cell of new Set(rows.map((r) => r.cell))) {
        try {
          const mine = rows.filter((r) => r.cell === cell);
          const c = deps.cells.get(cell);
          const contents: (ContentLogRow & { bytes: number })[] = [];
          for (const r of mine) {
            if (!r.content) continue;
            const { id } = r.content;
            const row = { id, principalId: r.usage.principal_id, organisationId: r.content.organisationId };
            const { sealed, keyVersion } = await sealContent(c, row, r.content.value);
            contents.push({ id, usage_id: r.usage.id, principal_id: r.usage.principal_id, organisation_id: r.content.organisationId, model: r.usage.model, key_version: keyVersion, sealed, created_at: r.usage.created_at, bytes: sealed.length });
          }
          await c.db.transaction().execute(async (trx) => {
            await insertUsageRows(trx, mine.map((r) => r.usage));
            for (const group of chunked(contents, (r) => r.bytes, CONTENT_INSERT_ROWS, CONTENT_INSERT_BYTES)) {
              await insertContentLogRows(
                trx,
                group.map(({ bytes: _, ...r }) => r),
              );
            }
          });
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, 'usage rows not written in several cells');
    },
    // ── end review fixes ──
  });

  return {
    async admit(key, actor, request) {
      const organisationId = organisationOf(actor);
      const estimate = estimateTokens(request.prompt);
      const checks: (QuotaCheck & { param: string })[] = [];
      const add = (scope: 'agent' | 'organisation', id: string, limits: AiQuotas['perAgent']) => {
        checks.push(
          { param: `${scope}.requests_per_minute`, name: `${scope}:${id}:rpm`, kind: 'requests', limit: limits.requestsPerMinute, windowMs: MINUTE, add: 1 },
          { param: `${scope}.tokens_per_minute`, name: `${scope}:${id}:tpm`, kind: 'tokens', limit: limits.tokensPerMinute, windowMs: MINUTE, add: estimate },
          { param: `${scope}.tokens_per_day`, name: `${scope}:${id}:tpd`, kind: 'tokens', limit: limits.tokensPerDay, windowMs: DAY, add: estimate },
        );
      };
      // review fix (helper R1): the embeddings indexer's service actor has no quota (its volume is
      // bounded by the documents; one agent's big paste must not stop retrieval for everyone).
      if (!isEmbeddingServiceActor(actor)) {
        add('agent', actor.principalId, deps.quotas.perAgent);
        if (organisationId) add('organisation', organisationId, deps.quotas.perOrganisation);
      }
      const [admission, logContent] = await Promise.all([
        checks.length > 0 ? deps.counters.admit(checks) : Promise.resolve({ ok: true as const, counters: [] }),
        logsContent(organisationId).catch(() => false),
      ]);
      if (!admission.ok) {
        // `admit` names the refusing check by its position in the list it was given.
        const check = checks[admission.index];
        if (!check) throw new Error(`AI quotas: refused by check ${admission.index} of ${checks.length}`);
        const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
        throw new GatewayError(429, {
          type: 'rate_limit_error',
          code: 'quota_exceeded',
          param: check.param,
          messageKey: `aiQuota.exceeded.${check.param}`,
          params: { limit: check.limit, seconds },
          headers: { 'retry-after': String(seconds) },
        });
      }
      // review fix (helper R1): documents' content is never copied into the agent's home cell; a logged prompt is bounded.
      const documentIds = [...(request.documentIds ?? [])];
      const logged = logContent && documentIds.length === 0 ? loggablePrompt(request.prompt) : null;
      // The admitted counters come in the checks' order: the token ones are those of token checks.
      const tokenChecks = new Set(checks.flatMap((check, i) => (check.kind === 'tokens' ? [i] : [])));
      tickets.set(key, {
        estimate,
        counters: admission.counters,
        tokenCounters: admission.counters.filter((_, i) => tokenChecks.has(i)),
        prompt: logged ? logged.prompt : null,
        logContent,
        answer: [],
        answerChars: 0,
        promptTruncated: logged?.truncated ?? false,
        promptChars: logged?.chars ?? 0,
        documentIds,
      });
    },

    noteAnswer(key, text) {
      const ticket = tickets.get(key);
      if (!ticket?.logContent || ticket.documentIds.length > 0 || ticket.answerChars >= MAX_ANSWER_CHARS) return;
      ticket.answer.push(text);
      ticket.answerChars += text.length;
    },

    logsAnswer(key) {
      const ticket = tickets.get(key);
      return ticket?.logContent === true && ticket.documentIds.length === 0;
    },

    settle(key, actor, result) {
      const ticket = tickets.get(key) ?? null;
      tickets.delete(key);
      const promptTokens = result.promptTokens ?? 0;
      const completionTokens = result.completionTokens ?? 0;
      if (ticket && (result.promptTokens !== null || result.completionTokens !== null)) {
        // The estimate was charged at admission: now the difference with what the model counted.
        const delta = promptTokens + completionTokens - ticket.estimate;
        if (delta !== 0) {
          void deps.counters
            .charge(ticket.tokenCounters.map((c) => ({ ...c, delta })))
            .catch((err: unknown) => deps.logger.warn({ err }, 'AI quotas: charging the usage failed'));
        }
      }
      const organisationId = organisationOf(actor);
      const jurisdiction = result.provider?.jurisdiction ?? null;
      const footprint = footprintOf(promptTokens + completionTokens, result.aiModel?.whPer1kTokens, result.provider?.gco2ePerKwh, jurisdiction);
      const usage: UsageRow = {
        id: uuidv7(),
        principal_id: actor.principalId,
        organisation_id: organisationId,
        model: result.model.slice(0, 256),
        provider: result.provider?.id ?? null,
        provider_jurisdiction: jurisdiction,
        endpoint: result.endpoint,
        stream: result.stream,
        status: result.status,
        prompt_tokens: Math.min(2 ** 31 - 1, Math.round(promptTokens)),
        completion_tokens: Math.min(2 ** 31 - 1, Math.round(completionTokens)),
        duration_ms: Math.round(result.durationMs),
        ttft_ms: result.ttftMs === null ? null : Math.round(result.ttftMs),
        energy_wh: footprint.energyWh,
        emissions_gco2e: footprint.emissionsGco2e,
        created_at: new Date(),
      };
      let content: PendingRow['content'] = null;
      if (ticket?.logContent && organisationId && result.status < 400) {
        // ── review fixes (helper R1) ──
        const value: LoggedContent =
          ticket.documentIds.length > 0
            ? { prompt: null, answer: null, documentIds: ticket.documentIds }
            : { prompt: ticket.prompt, answer: ticket.answer.length ? ticket.answer.join('') : null, ...(ticket.promptTruncated ? { promptTruncated: true as const } : {}) };
        // UTF-8 is at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
        const bytes = 3 * (ticket.promptChars + ticket.answerChars) + 64 * ticket.documentIds.length;
        content = { id: uuidv7(), organisationId, value, bytes };
        // ── end review fixes ──
      }
      writer.push({ cell: actor.homeJurisdiction, usage, content });
    },

    forget(organisationId) {
      settings.delete(organisationId);
    },

    flush: () => writer.flush(),
    async close() {
      await writer.close();
      await deps.counters.close();
    },
  };
}
