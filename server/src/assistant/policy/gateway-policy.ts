import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import { listAgentNames } from '../../identity/agent-names.repo.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { Logger } from '../../platform/logger.ts';
import { type ContentLabel, contentLabels } from '../../workspace/index.ts';
import { serviceContentLabels } from '../../workspace/index.ts'; // hybrid retrieval (helper E)
import { isEmbeddingServiceActor } from '../embeddings/service-actor.ts'; // hybrid retrieval (helper E)
import { GatewayError } from '../gateway/errors.ts';
import type { ModelEntry, Replica } from '../gateway/router.ts';
import type { AiProvider } from '../providers/config.ts';
import { type AiPolicy, classificationScale, levelName, levelRank, trustRank } from './classification-config.ts';
import { piiAuditDetails, redactionDecision } from './decision.ts';
import { PseudonymMapping } from './mapping.ts';
import { pseudonymise, restore, StreamRestorer } from './pseudonymise.ts';
import { type AgentNameIndex, compileAgentNames } from './recognisers/index.ts';

/**
 * The gateway's classification, residency and personal-data policy (issue 7, « Policy »;
 * contract C1). For each request:
 * 1. the documents whose content it carries (`X-Entente-Documents`, or `ctx.content` of internal
 *    callers) are resolved with the workspace's read check — one the agent cannot read refuses the
 *    request (403 `document_forbidden`, the same whether it exists or not);
 * 2. their effective level (the highest) and jurisdictions; without documents, the scale's default
 *    level and no residency constraint (the agent's own words are not a space's content);
 * 3. only replicas whose provider is allowed for every jurisdiction (`allowedJurisdictions`) and
 *    cleared for the level (`maxClassification`) may serve it; none → 403 with a plain
 *    explanation (`jurisdiction_refused`, `classification_refused`), never a silent fallback;
 * 4. before the text goes to a provider whose trust is below `redactBelowTrust`, personal
 *    identifiers and the names of agents known to Entente are replaced by placeholders, restored
 *    in the answer (whole or streamed);
 * 5. every decision is audited as `ai.policy` (allowed, redacted, refused: level, jurisdictions,
 *    counts per category — never a value, never the text).
 */
export const MAX_CONTENT_DOCUMENTS = 20;
export const DOCUMENTS_HEADER = 'x-entente-documents';
/** Agent names compiled for the pseudonymiser are re-read this often (new agents, changed names). */
const AGENT_NAMES_TTL_MS = 5 * 60_000;
const AGENT_NAMES_MAX = 200_000;

export interface GatewayPolicyDeps {
  stores: Stores;
  policy: AiPolicy;
  logger: Logger;
}

export interface GatewayPolicy {
  readonly policy: AiPolicy;
  admit(actor: Actor, request: PolicyRequest, entry: ModelEntry): Promise<Admission>;
  /** The content's labels (for the models listing); `forbidden`: a document the agent cannot read. */
  labels(actor: Actor, documentIds: readonly string[]): Promise<{ labels: ContentLabel[]; forbidden: string | null }>;
  agents(): Promise<AgentNameIndex>;
}

export interface PolicyRequest {
  documentIds: readonly string[];
  locale: Locale;
  endpoint: string;
}

/** What the policy decided for one request: which replicas may serve it, and how to send to each. */
export interface Admission {
  level: string;
  jurisdictions: Jurisdiction[];
  documents: number;
  /** Replicas the content may not reach: never tried. */
  excluded: ReadonlySet<Replica>;
  redacts(provider: AiProvider): boolean;
}

export function createGatewayPolicy(deps: GatewayPolicyDeps): GatewayPolicy {
  const scale = classificationScale(deps.policy);
  let agents: { at: number; index: Promise<AgentNameIndex> } | null = null;
  const loadAgents = async (): Promise<AgentNameIndex> => {
    const names = [];
    for (const cell of Object.values(deps.stores.cells)) names.push(...(await listAgentNames(cell.db, AGENT_NAMES_MAX)));
    return compileAgentNames(names);
  };
  const self: GatewayPolicy = {
    policy: deps.policy,
    labels: (actor, documentIds) =>
      // ── hybrid retrieval (helper E): the embeddings indexer is nobody's reader: its cell's documents, labelled without a read check ──
      isEmbeddingServiceActor(actor)
        ? serviceContentLabels({ stores: deps.stores, scale }, actor.homeJurisdiction, documentIds)
        : // ── end hybrid retrieval ──
          contentLabels({ stores: deps.stores, scale }, actor, documentIds),
    agents() {
      if (!agents || performance.now() - agents.at > AGENT_NAMES_TTL_MS) {
        const index = loadAgents();
        agents = { at: performance.now(), index };
        // A failed read is retried by the next request rather than cached.
        index.catch(() => {
          if (agents?.index === index) agents = null;
        });
      }
      return agents.index;
    },
    async admit(actor, request, entry) {
      const { labels, forbidden } = await self.labels(actor, request.documentIds);
      if (forbidden) throw new GatewayError(403, { type: 'permission_error', code: 'document_forbidden', param: DOCUMENTS_HEADER, messageKey: 'aiPolicy.errors.document_forbidden', params: { document: forbidden } });
      return decide(deps.policy, labels, entry, request.locale, actor.homeJurisdiction);
    },
  };
  return self;
}

/** Which jurisdictions a provider may receive content of (its own by default). */
export function allowedJurisdictionsOf(provider: AiProvider): readonly Jurisdiction[] {
  return provider.allowedJurisdictions ?? [provider.jurisdiction];
}

/** Whether the provider's text is pseudonymised (its trust below the threshold). */
export function redactsFor(policy: AiPolicy, provider: AiProvider): boolean {
  if (policy.redactBelowTrust === 'none') return false;
  return trustRank(provider.trust ?? 'standard') < trustRank(policy.redactBelowTrust);
}

/** Why a replica may not receive the content: null when it may. */
export function replicaRefusal(policy: AiPolicy, replica: Replica, level: string, jurisdictions: readonly Jurisdiction[]): 'jurisdiction' | 'classification' | null {
  const allowed = allowedJurisdictionsOf(replica.provider);
  if (!jurisdictions.every((j) => allowed.includes(j))) return 'jurisdiction';
  if (levelRank(policy, replica.provider.maxClassification) < levelRank(policy, level)) return 'classification';
  return null;
}

/**
 * The decision for content of `labels` sent to `entry`: its replicas that may serve it, or a
 * refusal naming the level (as the content's jurisdiction names it), the model and what to do.
 */
export function decide(policy: AiPolicy, labels: readonly ContentLabel[], entry: ModelEntry, locale: Locale, home: Jurisdiction): Admission {
  let level = policy.defaultLevel;
  let levelJurisdiction: Jurisdiction = labels[0]?.jurisdiction ?? home;
  for (const label of labels) {
    if (levelRank(policy, label.level) > levelRank(policy, level)) {
      level = label.level;
      levelJurisdiction = label.jurisdiction;
    }
  }
  const jurisdictions = [...new Set(labels.map((l) => l.jurisdiction))];
  const excluded = new Set<Replica>();
  let residencyRefused = 0;
  for (const replica of entry.replicas) {
    const refusal = replicaRefusal(policy, replica, level, jurisdictions);
    if (refusal) excluded.add(replica);
    if (refusal === 'jurisdiction') residencyRefused++;
  }
  const admission: Admission = { level, jurisdictions, documents: labels.length, excluded, redacts: (provider) => redactsFor(policy, provider) };
  if (excluded.size < entry.replicas.length) return admission;
  const levelLabel = levelName(policy, level, levelJurisdiction, locale);
  const refusal =
    residencyRefused === entry.replicas.length
      ? new GatewayError(403, {
          type: 'permission_error',
          code: 'jurisdiction_refused',
          param: 'model',
          messageKey: 'aiPolicy.errors.jurisdiction_refused',
          params: { model: entry.alias, jurisdiction: jurisdictions.find((j) => entry.replicas.some((r) => !allowedJurisdictionsOf(r.provider).includes(j))) ?? levelJurisdiction },
        })
      : new GatewayError(403, {
          type: 'permission_error',
          code: 'classification_refused',
          param: 'model',
          messageKey: 'aiPolicy.errors.classification_refused',
          params: { model: entry.alias, level: levelLabel, cleared: levelName(policy, highestClearance(policy, entry, jurisdictions), levelJurisdiction, locale) },
        });
  throw Object.assign(refusal, { admission });
}

/** The highest level the alias's replicas allowed for these jurisdictions are cleared for. */
export function highestClearance(policy: AiPolicy, entry: ModelEntry, jurisdictions: readonly Jurisdiction[]): string {
  let best: string | null = null;
  for (const r of entry.replicas) {
    if (!jurisdictions.every((j) => allowedJurisdictionsOf(r.provider).includes(j))) continue;
    if (best === null || levelRank(policy, r.provider.maxClassification) > levelRank(policy, best)) best = r.provider.maxClassification;
  }
  return best ?? policy.levels[0]?.id ?? policy.defaultLevel;
}

/** `X-Entente-Documents: <uuid>[,<uuid>…]` (at most 20); absent → none; malformed → 400. */
export function documentsFromHeader(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const raw = (Array.isArray(value) ? value.join(',') : value).trim();
  if (raw === '') return [];
  const ids = raw.split(',').map((s) => s.trim().toLowerCase());
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (ids.length > MAX_CONTENT_DOCUMENTS || !ids.every((id) => uuid.test(id))) {
    throw new GatewayError(400, {
      type: 'invalid_request_error',
      code: 'invalid_value',
      param: DOCUMENTS_HEADER,
      messageKey: 'aiPolicy.errors.documents_header',
      params: { max: MAX_CONTENT_DOCUMENTS },
    });
  }
  return [...new Set(ids)];
}

// ── what is sent: pseudonymised messages or inputs; what comes back: restored answers ──

type Part = { type?: unknown; text?: unknown } & Record<string, unknown>;
type Message = { content?: unknown } & Record<string, unknown>;
type ToolFunction = { arguments?: unknown } & Record<string, unknown>;
type ToolCall = { function?: unknown } & Record<string, unknown>;

const isToolFunction = (f: unknown): f is ToolFunction => typeof f === 'object' && f !== null && !Array.isArray(f);
/** A tool call with its function's `arguments` (a string) pseudonymised; anything else as it is. */
const hideArguments =
  (hide: (text: string) => string) =>
  (call: ToolCall): ToolCall =>
    call && isToolFunction(call.function) && typeof call.function.arguments === 'string' ? { ...call, function: { ...call.function, arguments: hide(call.function.arguments) } } : call;

/**
 * The body to send to `replica`'s provider, and the mapping to restore its answer with (null: sent
 * as it is). Messages' text (string contents and text parts, names, tool calls' arguments) and
 * embeddings' string inputs are pseudonymised with one mapping, so that a value has one placeholder throughout the request.
 */
export async function bodyFor<B extends Record<string, unknown>>(
  policy: GatewayPolicy,
  admission: Admission,
  replica: Replica,
  body: B,
): Promise<{ body: B; mapping: PseudonymMapping | null }> {
  if (!admission.redacts(replica.provider)) return { body, mapping: null };
  const agents = await policy.agents();
  const mapping = new PseudonymMapping();
  const hide = (text: string) => pseudonymise(text, { agents, mapping }).text;
  const out: Record<string, unknown> = { ...body };
  if (Array.isArray(body.messages)) {
    out.messages = (body.messages as Message[]).map((m) => {
      const sent: Message = { ...m };
      // Every role's text, `tool` answers included (a string or text parts).
      if (typeof m.content === 'string') sent.content = hide(m.content);
      else if (Array.isArray(m.content)) sent.content = (m.content as Part[]).map((p) => (p?.type === 'text' && typeof p.text === 'string' ? { ...p, text: hide(p.text) } : p));
      // The model reads these too: a participant's `name` (« Camille_Martin », an address) and the
      // arguments of earlier tool calls (JSON text). Placeholders keep their [BRACKETS] there.
      if (typeof m.name === 'string') sent.name = hide(m.name);
      if (Array.isArray(m.tool_calls)) sent.tool_calls = (m.tool_calls as ToolCall[]).map(hideArguments(hide));
      if (isToolFunction(m.function_call)) sent.function_call = hideArguments(hide)({ function: m.function_call }).function;
      return sent;
    });
  }
  if (typeof body.input === 'string') out.input = hide(body.input);
  else if (Array.isArray(body.input) && body.input.every((x) => typeof x === 'string')) out.input = (body.input as string[]).map(hide);
  return { body: out as B, mapping };
}

/** Puts the values back in a whole chat answer (each choice's message content). */
export function restoreAnswer(answer: Record<string, unknown>, mapping: PseudonymMapping): void {
  if (mapping.size === 0 || !Array.isArray(answer.choices)) return;
  for (const choice of answer.choices as { message?: { content?: unknown } }[]) {
    if (choice?.message && typeof choice.message.content === 'string') choice.message.content = restore(choice.message.content, mapping);
  }
}

/**
 * Restores a streamed answer chunk by chunk, one StreamRestorer per choice: a placeholder cut
 * between two chunks is held back until it is whole; what is held is let out with the choice's
 * finish (or by `rest()` when the stream ends without one).
 */
export class ChunkRestorer {
  readonly #mapping: PseudonymMapping;
  readonly #byChoice = new Map<number, StreamRestorer>();
  constructor(mapping: PseudonymMapping) {
    this.#mapping = mapping;
  }

  chunk(chunk: Record<string, unknown>): void {
    if (this.#mapping.size === 0 || !Array.isArray(chunk.choices)) return;
    for (const choice of chunk.choices as { index?: unknown; delta?: Record<string, unknown>; finish_reason?: unknown }[]) {
      if (!choice || typeof choice !== 'object') continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      let restorer = this.#byChoice.get(index);
      if (!restorer) {
        restorer = new StreamRestorer(this.#mapping);
        this.#byChoice.set(index, restorer);
      }
      const delta = choice.delta;
      let text = delta && typeof delta.content === 'string' ? restorer.push(delta.content) : null;
      if (choice.finish_reason) {
        const rest = restorer.end();
        if (rest) text = (text ?? '') + rest;
      }
      if (text !== null) choice.delta = { ...(delta ?? {}), content: text };
    }
  }

  /** Whether nothing is held back (a chunk without `[` then passes unchanged). */
  idle(): boolean {
    for (const restorer of this.#byChoice.values()) if (restorer.holding) return false;
    return true;
  }

  /** What is still held (a stream that ended without a finish): one delta per choice. */
  rest(): { index: number; content: string }[] {
    const out: { index: number; content: string }[] = [];
    for (const [index, restorer] of this.#byChoice) {
      const content = restorer.end();
      if (content) out.push({ index, content });
    }
    return out;
  }
}

// ── audit ──

export interface PolicyAuditContext {
  actor: Actor;
  requestId: string;
  ip: string | null;
  alias: string;
  endpoint: string;
}

/** `ai.policy` for a send: allowed (as it is) or redacted (counts per category, never values). */
export function auditSend(audit: AuditLog, c: PolicyAuditContext, admission: Admission, replica: Replica, mapping: PseudonymMapping | null): void {
  const pii = mapping ? piiAuditDetails(redactionDecision(mapping, [])) : {};
  void audit.record({
    action: 'ai.policy',
    outcome: 'success',
    actorId: c.actor.principalId,
    jurisdiction: c.actor.homeJurisdiction,
    resource: { type: 'ai_model', id: c.alias },
    ip: c.ip,
    requestId: c.requestId,
    details: {
      decision: mapping ? 'redacted' : 'allowed',
      endpoint: c.endpoint,
      level: admission.level,
      jurisdictions: admission.jurisdictions.join(','),
      documents: admission.documents,
      provider: replica.provider.id,
      providerJurisdiction: replica.provider.jurisdiction,
      providerTrust: replica.provider.trust ?? 'standard',
      ...pii,
    },
  });
}

/** `ai.policy` for a refusal: which rule, which level and jurisdictions (documents by count). */
export function auditRefusal(audit: AuditLog, c: PolicyAuditContext, error: GatewayError, admission: Admission | null, documents: number): void {
  void audit.record({
    action: 'ai.policy',
    outcome: 'denied',
    actorId: c.actor.principalId,
    jurisdiction: c.actor.homeJurisdiction,
    resource: { type: 'ai_model', id: c.alias },
    ip: c.ip,
    requestId: c.requestId,
    details: {
      decision: 'refused',
      reason: error.code,
      endpoint: c.endpoint,
      level: admission?.level ?? null,
      jurisdictions: admission?.jurisdictions.join(',') ?? null,
      documents,
    },
  });
}

