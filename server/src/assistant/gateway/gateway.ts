import type { Actor } from '../../identity/actor.ts';
import type { AuditEvent, AuditLog } from '../../platform/audit/audit-log.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AiProvider } from '../providers/config.ts';
// ── classification & residency (helper B) ──
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import { type Admission, auditRefusal, auditSend, bodyFor, ChunkRestorer, type GatewayPolicy, restoreAnswer } from '../policy/gateway-policy.ts';
import type { PseudonymMapping } from '../policy/mapping.ts';
// ── end classification & residency ──
// ── AI quotas & usage (helper A) ──
import { type AiUsage, estimateTokens, UNKNOWN_MODEL } from '../usage/ai-usage.ts';
import { createBatchWriter } from '../usage/batch-writer.ts';
// ── end AI quotas & usage ──
import { GatewayError, type OpenAiErrorBody } from './errors.ts';
import { type ModelEntry, ModelRouter, type Replica } from './router.ts';
import type { ChatCompletionRequest, EmbeddingsRequest } from './schemas.ts';
import { type EventSink, MAX_UPSTREAM_BODY, openUpstream, readText, SseEvents, type UpstreamCall, UpstreamFailure } from './upstream.ts';

/**
 * The gateway's use cases: list the models, relay a chat completion (whole or streamed) or an
 * embeddings request to a replica of the alias, fail over while nothing was sent to the client,
 * pass the client's cancellation upstream, and audit each request's decision metadata (who,
 * which model and provider, status, tokens, duration — never the prompt or the answer). Audit
 * writes are off the request path, gathered in batches (AUDIT_BATCH): they are awaited only when
 * the gateway closes.
 */
export interface GatewayDeps {
  router: ModelRouter;
  audit: AuditLog;
  logger: Logger;
  /** Classification, residency and pseudonymisation (helper B); absent: no policy (unit use only). */
  policy?: GatewayPolicy;
  /** Quotas, usage accounting and content logging (helper A); absent: none (unit use only). */
  usage?: AiUsage;
}

export interface Gateway extends GatewayDeps {
  /** Waits for the audit records still being written. */
  flush(): Promise<void>;
}

/**
 * How long the gateway's audit entries wait to be written together, and how many at most. They
 * are written off every request's path; gathered for a tenth of a second, a busy gateway writes one
 * statement per store for dozens of entries (audit.repo.ts#appendAuditEvents) instead of one per
 * entry: each statement sent costs the gateway's event loop what relaying many chunks costs
 * (bench/README.md, ai-gateway). Entries keep their id and time of recording and their order; the
 * writer (usage/batch-writer.ts) retries a failed batch once — each entry is still written once —
 * and, while the database is down, keeps at most `maxBuffered` entries (the rest are counted in
 * the log as dropped).
 */
export const AUDIT_BATCH = { intervalMs: 100, maxRows: 200, maxBuffered: 50_000 } as const;

export function createGateway(providers: readonly AiProvider[], deps: { audit: AuditLog; logger: Logger; policy?: GatewayPolicy /* helper B */; usage?: AiUsage /* helper A */ }): Gateway {
  const pending = new Set<Promise<void>>();
  const recordMany = deps.audit.recordMany?.bind(deps.audit);
  const batched = createBatchWriter<AuditEvent>({
    name: 'ai-audit',
    logger: deps.logger,
    ...AUDIT_BATCH,
    write: (events) => (recordMany ? recordMany(events) : events.reduce<Promise<void>>((chain, event) => chain.then(() => deps.audit.record(event)), Promise.resolve())),
  });
  const audit: AuditLog = {
    record(event, db) {
      if (db) {
        // Inside a caller's transaction: at once, it must not outlive it.
        const write = deps.audit.record(event, db).catch((err: unknown) => deps.logger.warn({ err, action: event.action }, 'audit of an AI request failed'));
        pending.add(write);
        void write.finally(() => pending.delete(write));
      } else batched.push({ ...event, id: event.id ?? uuidv7(), occurredAt: event.occurredAt ?? new Date() });
      return Promise.resolve();
    },
    list: (where) => deps.audit.list(where),
  };
  return {
    router: new ModelRouter(providers),
    audit,
    logger: deps.logger,
    ...(deps.policy ? { policy: deps.policy } : {}), // classification & residency (helper B)
    ...(deps.usage ? { usage: deps.usage } : {}), // AI quotas & usage (helper A)
    async flush() {
      await batched.flush();
      while (pending.size > 0) await Promise.all([...pending]);
      await deps.usage?.flush(); // AI quotas & usage (helper A): usage rows written before the stores close
    },
  };
}

/** The request's context: who, for the audit; the client's cancellation; how errors read. */
export interface CallContext {
  requestId: string;
  ip: string | null;
  /** Aborted when the client goes away: the upstream request is aborted with it. */
  signal: AbortSignal;
  /** The OpenAI error body of an error, in the request's language (for errors inside a stream). */
  errorBody(error: GatewayError): OpenAiErrorBody;
  // ── classification & residency (helper B): contract C1 ──
  /** The documents whose content is in the request (`X-Entente-Documents`); none: the default level. */
  content?: { documentIds: string[] };
  /** The request's language, for the level names in a refusal (default fr-FR). */
  locale?: Locale;
  // ── end classification & residency ──
}

/** Anyone signed in, by session or by a token with the `ai` scope. Quotas come with usage. */
export function authorizeAi(actor: Actor | null): Actor {
  if (!actor) throw new GatewayError(401, { type: 'authentication_error', code: 'invalid_api_key', headers: { 'www-authenticate': 'Bearer' } });
  if (actor.via === 'token' && !actor.scopes?.has('ai')) throw new GatewayError(403, { type: 'permission_error', code: 'insufficient_scope' });
  return actor;
}

const STARTED_AT = Math.floor(Date.now() / 1000);

export function listModels(gateway: GatewayDeps, actor: Actor | null) {
  authorizeAi(actor);
  return {
    object: 'list' as const,
    data: gateway.router.entries().map((entry) => ({
      id: entry.alias,
      object: 'model' as const,
      created: STARTED_AT,
      owned_by: 'entente',
      // Entente's own fields (OpenAI clients ignore them): what the model does and where it runs.
      kind: entry.kind,
      context_window: entry.contextWindow,
      jurisdictions: entry.jurisdictions,
    })),
  };
}

type Endpoint = 'chat.completions' | 'embeddings';

interface Outcome {
  status: number;
  replica: Replica | null;
  attempts: number;
  promptTokens: number | null;
  completionTokens: number | null;
  ttftMs: number | null;
  /** The quota that refused the request (helper A): audited as denied. */
  quota?: string;
}

function resolveModel(gateway: GatewayDeps, model: string, endpoint: Endpoint): ModelEntry {
  const entry = gateway.router.lookup(model);
  if (!entry) {
    throw new GatewayError(404, {
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
      messageKey: gateway.router.size === 0 ? 'no_models' : 'model_not_found',
      params: { model: model.slice(0, 256) },
    });
  }
  const wanted = endpoint === 'embeddings' ? 'embeddings' : 'chat';
  if (entry.kind !== wanted) {
    throw new GatewayError(400, {
      type: 'invalid_request_error',
      code: 'model_not_supported',
      param: 'model',
      messageKey: 'wrong_kind',
      params: { model: entry.alias, kind: entry.kind, endpoint: entry.kind === 'embeddings' ? '/ai/v1/embeddings' : '/ai/v1/chat/completions' },
    });
  }
  return entry;
}

function record(gateway: GatewayDeps, actor: Actor, ctx: CallContext, endpoint: Endpoint, alias: string, stream: boolean, started: number, outcome: Outcome, usageModel = alias) {
  const status = outcome.status;
  void gateway.audit.record({
    action: 'ai.request',
    outcome: status < 400 ? 'success' : status === 403 || outcome.quota ? 'denied' : 'failure',
    actorId: actor.principalId,
    // The agent's own cell: what they asked is about them (personal data stays home).
    jurisdiction: actor.homeJurisdiction,
    resource: { type: 'ai_model', id: alias },
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: {
      endpoint,
      stream,
      status,
      via: actor.via,
      tokenId: actor.via === 'token' ? actor.sessionId.replace(/^token:/, '') : null,
      provider: outcome.replica?.provider.id ?? null,
      providerJurisdiction: outcome.replica?.provider.jurisdiction ?? null,
      attempts: outcome.attempts,
      promptTokens: outcome.promptTokens,
      completionTokens: outcome.completionTokens,
      durationMs: Math.round(performance.now() - started),
      ttftMs: outcome.ttftMs,
      ...(outcome.quota ? { quota: outcome.quota } : {}), // AI quotas (helper A)
    },
  });
  // ── AI quotas & usage (helper A): the usage row (batched, never awaited) and the real tokens charged ──
  gateway.usage?.settle(ctx, actor, {
    model: usageModel, // review fix (helper R1): `(unknown)` when no model was resolved
    endpoint,
    stream,
    status,
    provider: outcome.replica?.provider ?? null,
    aiModel: outcome.replica?.model ?? null,
    promptTokens: outcome.promptTokens,
    completionTokens: outcome.completionTokens,
    durationMs: performance.now() - started,
    ttftMs: outcome.ttftMs,
  });
  // ── end AI quotas & usage ──
}

// ── AI quotas & usage (helper A) ──
/**
 * The quotas, before any upstream is called (after the policy: a refused request costs nothing).
 * A refusal is the 429 `quota_exceeded` with `Retry-After`, audited as denied.
 */
async function admitQuota(gateway: GatewayDeps, actor: Actor, ctx: CallContext, alias: string, endpoint: Endpoint, stream: boolean, prompt: unknown): Promise<void> {
  if (!gateway.usage) return;
  const started = performance.now();
  try {
    // review fix (helper R1): the documents whose content the request carries keep their text out of the content log
    await gateway.usage.admit(ctx, actor, { model: alias, endpoint, stream, prompt, documentIds: ctx.content?.documentIds ?? [] });
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    record(gateway, actor, ctx, endpoint, alias, stream, started, {
      status: error.status,
      replica: null,
      attempts: 0,
      promptTokens: null,
      completionTokens: null,
      ttftMs: null,
      quota: error.param ?? error.code,
    });
    throw error;
  }
}

/** The answer's text, for the content log (kept only when the organisation logs content). */
function noteAnswer(gateway: GatewayDeps, ctx: CallContext, value: Record<string, unknown>, key: 'message' | 'delta'): void {
  if (!gateway.usage || !Array.isArray(value.choices)) return;
  for (const choice of value.choices as Record<string, { content?: unknown } | undefined>[]) {
    const content = choice?.[key]?.content;
    if (typeof content === 'string' && content) gateway.usage.noteAnswer(ctx, content);
  }
}

// ── review fix (helper R1): tokens charged when the upstream did not count them ──
/** Characters of the answer's text in a completion (`message`) or a chunk (`delta`). */
function answerChars(value: Record<string, unknown>, key: 'message' | 'delta'): number {
  if (!Array.isArray(value.choices)) return 0;
  let chars = 0;
  for (const choice of value.choices as Record<string, { content?: unknown } | undefined>[]) {
    const content = choice?.[key]?.content;
    if (typeof content === 'string') chars += content.length;
  }
  return chars;
}

/**
 * An answer went out but the upstream gave no `usage` (a client that left before the usage chunk,
 * a cut stream, a server without `include_usage`): the prompt counts as estimated at admission
 * and the answer at chars/4 — in the quotas and the usage row, never 0.
 */
function estimateMissing(outcome: Outcome, prompt: unknown, chars: number | null): void {
  if (outcome.promptTokens === null) outcome.promptTokens = estimateTokens(prompt);
  if (outcome.completionTokens === null && chars !== null) outcome.completionTokens = Math.ceil(chars / 4);
}
// ── end review fix ──
// ── end AI quotas & usage ──

function withoutUpstreamNames(message: string, entry: Pick<ModelEntry, 'alias' | 'replicas'>): string {
  let out = message;
  for (const replica of entry.replicas) if (replica.model.name) out = out.split(replica.model.name).join(entry.alias);
  return out;
}

/** The client-facing error for a failed upstream (the last one, when all replicas failed). */
function toClientError(failure: UpstreamFailure, entry: Pick<ModelEntry, 'alias' | 'replicas'>): GatewayError {
  const alias = entry.alias;
  // The upstream refusing Entente's own key is the operator's problem, not the client's.
  const keyRefused = failure.kind === 'status' && (failure.status === 401 || failure.status === 403);
  if (failure.kind === 'status' && failure.status !== null && failure.status < 500 && !keyRefused) {
    const upstream = failure.upstreamError;
    return new GatewayError(failure.status, {
      type: failure.status === 429 ? 'rate_limit_error' : 'invalid_request_error',
      code: upstream?.code ?? 'upstream_rejected',
      param: upstream?.param ?? null,
      messageKey: 'upstream_rejected',
      params: { model: alias, status: failure.status },
      // The upstream's own words only where they help the client fix its request (« maximum
      // context length… »), and with the upstream's model names (which the alias hides) replaced.
      ...(upstream && (failure.status === 400 || failure.status === 422) ? { rawMessage: withoutUpstreamNames(upstream.message, entry) } : {}),
    });
  }
  if (failure.kind === 'timeout') return new GatewayError(504, { type: 'server_error', code: 'upstream_timeout', params: { model: alias } });
  if (failure.kind === 'cancelled') return new GatewayError(499, { type: 'server_error', code: 'cancelled', messageKey: 'upstream_interrupted', params: { model: alias } });
  return new GatewayError(502, { type: 'server_error', code: 'upstream_unavailable', params: { model: alias } });
}

/** Upstream 401/403: the replica refuses the gateway's key — its configuration, not the request. */
function replicaFault(failure: UpstreamFailure): boolean {
  return failure.retryable || (failure.kind === 'status' && (failure.status === 401 || failure.status === 403));
}

function statusOf(failure: UpstreamFailure, alias: string): number {
  return toClientError(failure, { alias, replicas: [] }).status;
}

function usageOf(value: unknown): { prompt: number | null; completion: number | null } {
  const usage = (value as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | null)?.usage;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
  return { prompt: n(usage?.prompt_tokens), completion: n(usage?.completion_tokens) };
}

/**
 * Tries the replicas of `entry` in least-busy order until one answers; `attempt` does the work
 * with one replica. Failover on connection errors, timeouts, 5xx and unreadable answers; a 4xx
 * goes back to the client. The replica stays counted while `attempt`'s result is in use when
 * `keep` is set (streams release it themselves).
 */
async function withFailover<T>(
  gateway: GatewayDeps,
  entry: ModelEntry,
  outcome: Outcome,
  attempt: (replica: Replica) => Promise<T>,
  keep: boolean,
  excluded: ReadonlySet<Replica> = new Set(), // classification & residency (helper B): replicas the content may not reach
): Promise<T> {
  const tried = new Set<Replica>(excluded);
  let last: UpstreamFailure | null = null;
  for (;;) {
    const replica = gateway.router.acquire(entry, tried);
    if (!replica) break;
    tried.add(replica);
    outcome.attempts++;
    outcome.replica = replica;
    let kept = false;
    try {
      const result = await attempt(replica);
      kept = keep;
      return result;
    } catch (error) {
      if (!(error instanceof UpstreamFailure)) throw error;
      last = error;
      if (error.kind !== 'cancelled') {
        gateway.logger.warn({ provider: replica.provider.id, model: entry.alias, kind: error.kind, status: error.status, detail: error.message }, 'AI upstream failed');
      }
      if (!replicaFault(error)) break;
    } finally {
      if (!kept) gateway.router.release(replica);
    }
  }
  throw last ?? new UpstreamFailure('connect', 'no replica');
}

/** The alias's entry; a refusal (unknown model, wrong kind) is audited like any decision. */
function resolveAudited(gateway: GatewayDeps, actor: Actor, ctx: CallContext, model: string, endpoint: Endpoint, stream: boolean): ModelEntry {
  const started = performance.now();
  try {
    return resolveModel(gateway, model, endpoint);
  } catch (error) {
    const status = error instanceof GatewayError ? error.status : 500;
    // review fix (helper R1): the audit keeps what the client asked for; the usage row (read by the
    // register as « AI systems in use ») names no model that does not exist.
    const usageModel = gateway.router.lookup(model)?.alias ?? UNKNOWN_MODEL;
    record(
      gateway,
      actor,
      ctx,
      endpoint,
      model.slice(0, 256),
      stream,
      started,
      {
        status,
        replica: null,
        attempts: 0,
        promptTokens: null,
        completionTokens: null,
        ttftMs: null,
      },
      usageModel,
    );
    throw error;
  }
}

// ── classification & residency (helper B) ──
/**
 * The policy's admission of the request (contract C1): the replicas its content may reach and how
 * to send to each; a refusal (document not readable, level not cleared, jurisdiction not allowed)
 * is audited as `ai.policy` and as the request's 403, like any decision.
 */
async function admitAudited(gateway: GatewayDeps, actor: Actor, ctx: CallContext, entry: ModelEntry, endpoint: Endpoint, stream: boolean): Promise<Admission | null> {
  if (!gateway.policy) return null;
  const started = performance.now();
  const documentIds = ctx.content?.documentIds ?? [];
  try {
    return await gateway.policy.admit(actor, { documentIds, locale: ctx.locale ?? 'fr-FR', endpoint }, entry);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const admission = (error as GatewayError & { admission?: Admission }).admission ?? null;
    auditRefusal(gateway.audit, { actor, requestId: ctx.requestId, ip: ctx.ip, alias: entry.alias, endpoint }, error, admission, documentIds.length);
    record(gateway, actor, ctx, endpoint, entry.alias, stream, started, { status: error.status, replica: null, attempts: 0, promptTokens: null, completionTokens: null, ttftMs: null });
    throw error;
  }
}

/** The body for this replica (pseudonymised when its provider is below the trust threshold), audited. */
async function sendable<B extends Record<string, unknown>>(
  gateway: GatewayDeps,
  actor: Actor,
  ctx: CallContext,
  alias: string,
  endpoint: Endpoint,
  admission: Admission | null,
  replica: Replica,
  body: B,
): Promise<{ body: B; mapping: PseudonymMapping | null }> {
  if (!admission || !gateway.policy) return { body, mapping: null };
  const sent = await bodyFor(gateway.policy, admission, replica, body);
  auditSend(gateway.audit, { actor, requestId: ctx.requestId, ip: ctx.ip, alias, endpoint }, admission, replica, sent.mapping);
  return sent;
}
// ── end classification & residency ──

export async function createEmbeddings(gateway: GatewayDeps, actor: Actor | null, body: EmbeddingsRequest, ctx: CallContext): Promise<unknown> {
  const me = authorizeAi(actor);
  const entry = resolveAudited(gateway, me, ctx, body.model, 'embeddings', false);
  const admission = await admitAudited(gateway, me, ctx, entry, 'embeddings', false); // classification & residency (helper B)
  await admitQuota(gateway, me, ctx, entry.alias, 'embeddings', false, body.input); // AI quotas (helper A)
  return relayWhole(gateway, me, ctx, entry, 'embeddings', '/embeddings', body, admission);
}

/**
 * A streamed answer: its SSE lines, and `close`, which the HTTP layer calls when the response
 * ends or the client goes away (a stream destroyed before its first read never runs its own
 * cleanup). Both paths release the replica and audit once.
 */
export type ChatResult =
  | { kind: 'json'; body: unknown }
  | {
      kind: 'stream';
      /** Starts the relay into `target` (the HTTP response): events are pushed as they arrive. */
      start(target: StreamTarget): { resume(): void };
      /** The same SSE lines as an async generator (Entente's own callers: the assistant); use one or the other. */
      readonly events: AsyncGenerator<string>;
      close(): void;
    };

export async function createChatCompletion(gateway: GatewayDeps, actor: Actor | null, body: ChatCompletionRequest, ctx: CallContext): Promise<ChatResult> {
  const me = authorizeAi(actor);
  if ((body.n ?? 1) > 1) throw new GatewayError(400, { type: 'invalid_request_error', code: 'unsupported_value', param: 'n', messageKey: 'n_unsupported' });
  const entry = resolveAudited(gateway, me, ctx, body.model, 'chat.completions', body.stream === true);
  const admission = await admitAudited(gateway, me, ctx, entry, 'chat.completions', body.stream === true); // classification & residency (helper B)
  await admitQuota(gateway, me, ctx, entry.alias, 'chat.completions', body.stream === true, body.messages); // AI quotas (helper A)
  if (!body.stream) return { kind: 'json', body: await relayWhole(gateway, me, ctx, entry, 'chat.completions', '/chat/completions', body, admission) };
  const { start, close } = await relayStream(gateway, me, ctx, entry, body, admission);
  let events: AsyncGenerator<string> | null = null;
  return {
    kind: 'stream',
    start,
    close,
    get events() {
      events ??= linesOf(start);
      return events;
    },
  };
}

async function relayWhole(
  gateway: GatewayDeps,
  actor: Actor,
  ctx: CallContext,
  entry: ModelEntry,
  endpoint: Endpoint,
  path: string,
  body: { model: string },
  admission: Admission | null = null, // classification & residency (helper B)
): Promise<unknown> {
  const started = performance.now();
  const outcome: Outcome = { status: 200, replica: null, attempts: 0, promptTokens: null, completionTokens: null, ttftMs: null };
  try {
    const answer = await withFailover(
      gateway,
      entry,
      outcome,
      async (replica) => {
        // ── classification & residency (helper B): pseudonymised for a provider below the trust threshold ──
        const sent = await sendable(gateway, actor, ctx, entry.alias, endpoint, admission, replica, body as unknown as Record<string, unknown>);
        // ── end classification & residency ──
        const call = await openUpstream(replica, path, { ...sent.body, model: replica.model.name }, ctx.signal, ctx.requestId);
        try {
          const text = await readText(call.response, MAX_UPSTREAM_BODY, call.touch, call.signal);
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            throw new UpstreamFailure('protocol', 'answer is not JSON');
          }
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UpstreamFailure('protocol', 'answer is not an object');
          if (sent.mapping) restoreAnswer(parsed as Record<string, unknown>, sent.mapping); // helper B: placeholders back to values
          return parsed as Record<string, unknown>;
        } finally {
          call.close();
        }
      },
      false,
      admission?.excluded, // classification & residency (helper B)
    );
    // The client asked for the alias: the upstream's own model name stays behind the gateway.
    if (typeof answer.model === 'string') answer.model = entry.alias;
    noteAnswer(gateway, ctx, answer, 'message'); // content log (helper A)
    const usage = usageOf(answer);
    outcome.promptTokens = usage.prompt;
    outcome.completionTokens = usage.completion;
    // review fix (helper R1): an answer without `usage` is charged its estimate
    const sentBody = body as { messages?: unknown; input?: unknown };
    if (endpoint === 'embeddings') estimateMissing(outcome, sentBody.input, null);
    else estimateMissing(outcome, sentBody.messages, answerChars(answer, 'message'));
    return answer;
  } catch (error) {
    if (error instanceof UpstreamFailure) {
      outcome.status = statusOf(error, entry.alias);
      throw toClientError(error, entry);
    }
    outcome.status = 500;
    throw error;
  } finally {
    record(gateway, actor, ctx, endpoint, entry.alias, false, started, outcome);
  }
}

/**
 * Opens the stream on a replica and waits for its first event before anything is sent to the
 * client: until then a failing replica is replaced by the next. After it, a failure ends the
 * stream with an OpenAI error event (`data: {"error":…}`) and no `[DONE]`.
 *
 * Each following event is relayed as it arrives, synchronously (SseEvents → `relay` → the
 * client's target): no promise, generator or stream per event, which is the gateway's CPU per
 * request (100 events for a short answer). `relay` passes a chunk through as its raw text, the
 * model name aside, when nothing in it can need a change (see `passThrough`); otherwise it parses
 * and rewrites it.
 */
async function relayStream(
  gateway: GatewayDeps,
  actor: Actor,
  ctx: CallContext,
  entry: ModelEntry,
  body: ChatCompletionRequest,
  admission: Admission | null = null, // classification & residency (helper B)
): Promise<{ start(target: StreamTarget): { resume(): void }; close(): void }> {
  const started = performance.now();
  const outcome: Outcome = { status: 200, replica: null, attempts: 0, promptTokens: null, completionTokens: null, ttftMs: null };
  const wantUsage = body.stream_options?.include_usage === true;
  let opened: { replica: Replica; call: UpstreamCall; events: SseEvents; first: string; mapping: PseudonymMapping | null /* helper B */ };
  try {
    opened = await withFailover(
      gateway,
      entry,
      outcome,
      async (replica) => {
        // Usage is always asked of the upstream (accounting); the client gets it only if it asked.
        // ── classification & residency (helper B): pseudonymised for a provider below the trust threshold ──
        const sent = await sendable(gateway, actor, ctx, entry.alias, 'chat.completions', admission, replica, body as unknown as Record<string, unknown>);
        // ── end classification & residency ──
        const upstreamBody = { ...sent.body, model: replica.model.name, stream: true, stream_options: { ...(body.stream_options ?? {}), include_usage: true } };
        const call = await openUpstream(replica, '/chat/completions', upstreamBody, ctx.signal, ctx.requestId);
        try {
          if (!(call.response.headers.get('content-type') ?? '').includes('text/event-stream')) throw new UpstreamFailure('protocol', 'not an event stream');
          const events = new SseEvents(call);
          const first = await events.first();
          if (first === null) throw new UpstreamFailure('protocol', 'empty stream');
          if (first !== '[DONE]' && hasError(first)) throw new UpstreamFailure('protocol', 'error event before any output');
          return { replica, call, events, first, mapping: sent.mapping };
        } catch (error) {
          call.close();
          throw error;
        }
      },
      true,
      admission?.excluded, // classification & residency (helper B)
    );
  } catch (error) {
    outcome.status = error instanceof UpstreamFailure ? statusOf(error, entry.alias) : 500;
    record(gateway, actor, ctx, 'chat.completions', entry.alias, true, started, outcome);
    throw error instanceof UpstreamFailure ? toClientError(error, entry) : error;
  }

  const { replica, call, events } = opened;
  const restorer = opened.mapping ? new ChunkRestorer(opened.mapping) : null; // helper B: placeholders back, even cut across chunks
  // review fix (helper R1): the answer's characters relayed, for when no usage comes
  const state = { finishSeen: false, relayedChars: 0 };
  const alias = JSON.stringify(entry.alias);
  const upstreamModel = `"model":${JSON.stringify(replica.model.name)}`;
  const logsAnswer = gateway.usage?.logsAnswer(ctx) ?? false; // content log (helper A): only then is each chunk's text kept
  const restores = (opened.mapping?.size ?? 0) > 0;
  const relay = (data: string): string | null => {
    const fast = passThrough(data, { upstreamModel, alias, wantUsage, ttftKnown: outcome.ttftMs !== null, restores, restoring: logsAnswer || (restorer !== null && !restorer.idle()) }, state);
    if (fast !== null) return fast;
    const chunk = JSON.parse(data) as Record<string, unknown>;
    const usage = usageOf(chunk);
    if (usage.prompt !== null) outcome.promptTokens = usage.prompt;
    if (usage.completion !== null) outcome.completionTokens = usage.completion;
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as { finish_reason?: unknown }[]) : [];
    if (!wantUsage) {
      if (choices.length === 0 && chunk.usage) return null; // the usage-only chunk the client did not ask for
      delete chunk.usage;
    }
    if (choices.some((c) => c?.finish_reason)) state.finishSeen = true;
    if (outcome.ttftMs === null && choices.length > 0) outcome.ttftMs = Math.round(performance.now() - started);
    if (typeof chunk.model === 'string') chunk.model = entry.alias;
    restorer?.chunk(chunk); // classification & residency (helper B)
    if (logsAnswer) noteAnswer(gateway, ctx, chunk, 'delta'); // content log (helper A)
    state.relayedChars += answerChars(chunk, 'delta'); // review fix (helper R1)
    return `data: ${JSON.stringify(chunk)}\n\n`;
  };
  const errorEvent = (error: GatewayError) => `data: ${JSON.stringify(ctx.errorBody(error))}\n\n`;
  let closed = false;
  let doneSeen = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (ctx.signal.aborted && outcome.status === 200) outcome.status = 499;
    if (doneSeen && !ctx.signal.aborted) {
      // The answer is complete: let the upstream end its body (bounded by its timeout) rather
      // than abort it, so that its connection can be reused.
      events.drain(() => call.close());
    } else {
      events.detach();
      call.close();
    }
    gateway.router.release(replica);
    estimateMissing(outcome, body.messages, state.relayedChars); // review fix (helper R1): cut or left before the usage chunk
    record(gateway, actor, ctx, 'chat.completions', entry.alias, true, started, outcome);
  };

  const start = (target: StreamTarget) => {
    let finished = false;
    const finish = () => {
      finished = true;
      target.end();
      close();
    };
    const fail = (error: unknown) => {
      if (finished) return;
      const failure = error instanceof UpstreamFailure ? error : new UpstreamFailure('protocol', (error as Error)?.message ?? 'stream failed');
      if (failure.kind === 'cancelled') {
        outcome.status = 499; // the client went away; the upstream request was aborted
        return finish();
      }
      gateway.logger.warn({ provider: replica.provider.id, model: entry.alias, kind: failure.kind }, 'AI upstream stream interrupted');
      const clientError =
        failure.kind === 'timeout'
          ? new GatewayError(504, { type: 'server_error', code: 'upstream_timeout', params: { model: entry.alias } })
          : new GatewayError(502, { type: 'server_error', code: 'upstream_interrupted', params: { model: entry.alias } });
      outcome.status = clientError.status;
      target.write(errorEvent(clientError));
      finish();
    };
    const sink: EventSink = {
      event(data) {
        if (finished) return true;
        if (data === '[DONE]') {
          // ── classification & residency (helper B): what the restorer still holds (no finish seen) ──
          for (const rest of restorer?.rest() ?? []) {
            state.relayedChars += rest.content.length; // review fix (helper R1)
            target.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', model: entry.alias, choices: [{ index: rest.index, delta: { content: rest.content }, finish_reason: null }] })}\n\n`);
          }
          // ── end classification & residency ──
          doneSeen = true;
          target.write('data: [DONE]\n\n');
          finish();
          return true;
        }
        if (hasError(data)) {
          outcome.status = 502;
          target.write(errorEvent(new GatewayError(502, { type: 'server_error', code: 'upstream_interrupted', params: { model: entry.alias } })));
          finish();
          return true;
        }
        let text: string | null;
        try {
          text = relay(data);
        } catch (error) {
          fail(error instanceof SyntaxError ? new UpstreamFailure('protocol', 'event is not JSON') : error);
          return true;
        }
        return text === null || target.write(text);
      },
      end() {
        if (finished) return;
        // Ended without [DONE]: complete if the answer had finished, interrupted otherwise.
        if (!state.finishSeen) return fail(new UpstreamFailure('protocol', 'stream closed before its end'));
        target.write('data: [DONE]\n\n');
        finish();
      },
      fail,
    };
    if (sink.event(opened.first)) {
      if (!finished) events.attach(sink);
    } else if (!finished) {
      events.pause();
      events.attach(sink);
    }
    return { resume: () => events.resume() };
  };
  return { start, close };
}

/** The SSE lines of a relay as an async generator, with backpressure (a few lines queued at most). */
async function* linesOf(start: (target: StreamTarget) => { resume(): void }): AsyncGenerator<string> {
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const relay = start({
    write(text) {
      queue.push(text);
      wake?.();
      return queue.length < 16;
    },
    end() {
      ended = true;
      wake?.();
    },
  });
  for (;;) {
    const text = queue.shift();
    if (text !== undefined) {
      if (queue.length === 0) relay.resume();
      yield text;
      continue;
    }
    if (ended) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = null;
  }
}

/** Where a streamed answer's SSE text goes (the HTTP response); `write` false: wait for `resume`. */
export interface StreamTarget {
  write(text: string): boolean;
  end(): void;
}

const FINISH_KEY = '"finish_reason"';
const USAGE_KEY = '"usage"';
const CONTENT_KEY = '"content":';

/**
 * A chunk relayed as its raw text, with only the upstream's model name replaced by the alias, when
 * nothing else in it can need a change — the common content chunk. Null (parse and rewrite it)
 * when it may: any usage other than `"usage":null` (counted), a finish reason (noted), the first
 * content (its time), text the restorer may have to change (a `[`, or a placeholder held from the
 * previous chunk), content to log, several `content` keys, the model written otherwise than the
 * upstream's name in one `"model":"…"`. Inside a JSON string every `"` is escaped, so a key
 * written `"model":` or `"content":` is the object's own, never the answer's text. The answer's
 * characters are counted from the raw string (escapes as written: an estimate, used only when
 * the upstream gives no usage).
 */
export function passThrough(
  data: string,
  o: { upstreamModel: string; alias: string; wantUsage: boolean; ttftKnown: boolean; restores: boolean; restoring: boolean },
  state: { relayedChars: number },
): string | null {
  if (!o.ttftKnown || o.restoring || data.charCodeAt(0) !== 123 /* { */ || data.charCodeAt(data.length - 1) !== 125 /* } */) return null;
  // What the raw text could smuggle past the checks below, left to the parsed path (which refuses
  // what is not one JSON object): line breaks (several `data:` lines of one event are joined with
  // `\n`, and written raw they would be events of their own for the client) and `\u` escapes
  // (`"mod\u0065l"`, `\u005b` read as keys or brackets by the client, not by these checks).
  if (data.includes('\n') || data.includes('\r') || data.includes('\\u')) return null;
  if (o.restores && bracketOutsideChoices(data)) return null;
  const finish = data.indexOf(FINISH_KEY);
  if (finish !== -1 && (!data.startsWith('null', finish + FINISH_KEY.length + 1) || data.charCodeAt(finish + FINISH_KEY.length) !== 58 || data.indexOf(FINISH_KEY, finish + 1) !== -1)) return null;
  let out = data;
  const usage = data.indexOf(USAGE_KEY);
  if (usage !== -1) {
    if (!data.startsWith(':null', usage + USAGE_KEY.length) || data.indexOf(USAGE_KEY, usage + 1) !== -1) return null;
    if (!o.wantUsage) {
      // `"usage":null` the client did not ask for: dropped, as the parsed path deletes it.
      const end = usage + USAGE_KEY.length + 5;
      if (data.charCodeAt(end) === 44 /* , */) out = data.slice(0, usage) + data.slice(end + 1);
      else if (data.charCodeAt(usage - 1) === 44) out = data.slice(0, usage - 1) + data.slice(end);
      else return null;
    }
  }
  const model = out.indexOf('"model"');
  if (model !== -1) {
    if (!out.startsWith(o.upstreamModel, model) || out.indexOf('"model"', model + 1) !== -1) return null;
    out = `${out.slice(0, model)}"model":${o.alias}${out.slice(model + o.upstreamModel.length)}`;
  }
  const content = data.indexOf(CONTENT_KEY);
  if (content !== -1) {
    if (data.indexOf(CONTENT_KEY, content + 1) !== -1) return null;
    const from = content + CONTENT_KEY.length;
    if (data.charCodeAt(from) === 34 /* " */) {
      const end = stringEnd(data, from + 1);
      if (end === -1) return null;
      state.relayedChars += end - from - 1;
    } else if (!data.startsWith('null', from)) return null;
  }
  return `data: ${out}\n\n`;
}

/** Whether the chunk has a `[` other than the one opening `"choices"`: text the restorer may have to change. */
function bracketOutsideChoices(data: string): boolean {
  for (let at = data.indexOf('['); at !== -1; at = data.indexOf('[', at + 1)) {
    if (at < 10 || !data.startsWith('"choices":', at - 10)) return true;
  }
  return false;
}

/** The index of the quote that closes the JSON string whose text starts at `from` (-1: none). */
function stringEnd(data: string, from: number): number {
  for (let i = from; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34 /* " */) return i;
  }
  return -1;
}

function hasError(data: string): boolean {
  // Cheap test first: most chunks have no `"error"` key at all.
  if (!data.includes('"error"')) return false;
  try {
    const parsed = JSON.parse(data) as { error?: unknown };
    return parsed !== null && typeof parsed === 'object' && parsed.error !== undefined && parsed.error !== null;
  } catch {
    return false;
  }
}
