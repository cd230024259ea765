import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { Actor } from '../../identity/actor.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, forbidden, unauthenticated } from '../../platform/errors.ts';
import { documentAccessFor, readableTextOf } from '../../workspace/index.ts';
import { type CallContext, createChatCompletion, type GatewayDeps } from '../gateway/gateway.ts';
import { GatewayError } from '../gateway/errors.ts';
import { EXTRACTIVE_SUMMARY_LABEL, type SummaryAnswer } from '../retrieval/retrieval.ts';
import { extractiveSummary } from '../retrieval/summary.ts';
import type { DocumentStore } from '../../workspace/collab/document-store.ts';
import { currentTextOf, isPassageOf } from './document-text.ts';
import { type Action, promptFor, type Target, TEMPERATURE, TEXT_MAX_CHARS } from './prompts.ts';

/**
 * The editor's AI actions (issue 7): summarise, rewrite in plain language, translate, correct —
 * a text of a document, sent to a model through the gateway's own use case (never to an upstream
 * directly), so the gateway's policy, redaction, quotas, usage and audit apply as to any client;
 * `ctx.content` names the document, whose classification decides which models may see it.
 *
 * Who may ask: proposing a rewrite of a document's text is a change being prepared, so
 * plain-language, translate and correct need the right to edit the document (editor or owner);
 * a summary is a reading, so summarise needs the right to read it. Applying the proposal goes
 * through the live editor, whose own rules apply again.
 *
 * With no model configured, summarise answers the document's own key sentences (extractive,
 * labelled so); the other actions cannot be done without a model and say so (409 ai_no_model).
 *
 * The text is the document's, checked: summarise reads the whole document's current text itself
 * (the client's `text`, if any, is not used); the other actions' text must be a passage of the
 * document's current text (whitespace aside), else 422 ai_text_not_in_document — the document's
 * classification decides which models may see the text, so the text must be that document's.
 */
export interface ActionsDeps {
  stores: Stores;
  audit: AuditLog;
  gateway: GatewayDeps;
  /** The collaboration store: the document's current text. */
  content: () => DocumentStore;
}

export interface TransformParams {
  documentId: string;
  action: Action;
  target?: Target;
  /** The selection (required but for summarise, which reads the document itself). */
  text?: string;
  model?: string;
}

/** The request's context: audit metadata, the client's cancellation, errors in its language. */
export interface TransformContext extends RequestMeta {
  signal: AbortSignal;
  /** The localised words of a gateway error (the gateway's own catalog). */
  gatewayMessage(error: GatewayError): string;
  /** The request's language (the policy's refusals name levels in it). */
  locale: Locale;
}

/** What the stream says: pieces of the answer, its end, or the failure that ended it. */
export type TransformEvent = { event: 'delta'; text: string } | { event: 'done'; data: Record<string, unknown> } | { event: 'error'; error: AppError };

export type TransformResult =
  | { kind: 'extractive'; body: SummaryAnswer }
  | { kind: 'stream'; model: string; events: AsyncGenerator<TransformEvent>; close(): void };

/** A gateway refusal (policy, unknown model, quota, upstream failure) as this API's problem. */
export function problemOfGateway(error: GatewayError, message: string): AppError {
  return new AppError('ai_refused', {
    status: error.status === 499 ? 502 : error.status,
    params: { message },
    headers: error.headers,
    extensions: { code: error.code },
  });
}

export async function transformText(deps: ActionsDeps, actor: Actor | null, params: TransformParams, ctx: TransformContext): Promise<TransformResult> {
  if (!actor) throw unauthenticated();
  // The document first (404 for one the agent cannot read, or in the trash), then the right to change it.
  const doc = await readableTextOf(deps.stores, actor, params.documentId);
  if (params.action !== 'summarise') {
    const access = await documentAccessFor(deps.stores, actor, params.documentId);
    if (!access || (access.role !== 'editor' && access.role !== 'owner')) throw forbidden();
  }
  if (params.action === 'translate' && !params.target) {
    throw new AppError('validation', { errors: [{ path: 'body.target', message: 'required for translate', code: 'invalid_type' }] });
  }
  const limit = TEXT_MAX_CHARS[params.action];
  if (params.action !== 'summarise') {
    if (params.text === undefined) throw new AppError('validation', { errors: [{ path: 'body.text', message: 'required', code: 'invalid_type' }] });
    if (params.text.length > limit) throw new AppError('ai_text_too_long', { status: 413, params: { limit } });
  }
  const current = await currentTextOf(deps.content(), { documentId: doc.documentId, spaceId: doc.spaceId, jurisdiction: doc.jurisdiction });
  const text = params.action === 'summarise' ? current.text : (params.text as string);
  if (text.length > limit) throw new AppError('ai_text_too_long', { status: 413, params: { limit } });
  if (!/\S/u.test(text)) throw new AppError('validation', { errors: [{ path: 'body.text', message: 'empty', code: 'too_small' }] });
  if (params.action !== 'summarise' && !isPassageOf(text, current)) {
    // Audited as a refusal (a text of another document under this one's name may be an attempt to
    // get round its classification); never the text.
    await deps.audit.record({
      action: 'assistant.transform',
      outcome: 'denied',
      actorId: actor.principalId,
      jurisdiction: doc.jurisdiction,
      resource: { type: 'document', id: doc.documentId },
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { action: params.action, target: params.target ?? null, model: null, mode: 'generated', status: 422, reason: 'text_not_in_document', chars: text.length },
    });
    throw new AppError('ai_text_not_in_document', { status: 422 });
  }

  const chosen = await chooseModel(deps.gateway, actor, params.model ?? null, doc.documentId, ctx.locale);
  const model = chosen?.alias ?? null;
  const audit = (mode: 'generated' | 'extractive', status: number, modelName: string | null) =>
    deps.audit.record({
      action: 'assistant.transform',
      outcome: status < 400 ? 'success' : status === 403 ? 'denied' : 'failure',
      actorId: actor.principalId,
      jurisdiction: doc.jurisdiction,
      resource: { type: 'document', id: doc.documentId },
      ip: ctx.ip,
      requestId: ctx.requestId,
      // What was done and by which model — never the text, nor the answer.
      details: { action: params.action, target: params.target ?? null, model: modelName, mode, status, chars: text.length },
    });

  if (!model) {
    if (params.action !== 'summarise') throw new AppError('ai_no_model', { status: 409 });
    // The document's current text (the index may lag a few seconds behind it).
    const sentences = extractiveSummary(text);
    await audit('extractive', 200, null);
    return {
      kind: 'extractive',
      body: {
        mode: 'extractive',
        label: EXTRACTIVE_SUMMARY_LABEL,
        documentId: doc.documentId,
        title: doc.title,
        indexed: doc.indexed,
        sentences: sentences.map((s) => ({ text: s.text, offset: s.start, length: s.end - s.start })),
      },
    };
  }

  // `content` (contract C1): the gateway's policy weighs this document's classification.
  const call: CallContext = {
    requestId: ctx.requestId,
    ip: ctx.ip,
    signal: ctx.signal,
    errorBody: (error) => ({ error: { message: ctx.gatewayMessage(error), type: error.type, param: error.param, code: error.code } }),
    content: { documentIds: [doc.documentId] },
    locale: ctx.locale,
  };
  let result: Awaited<ReturnType<typeof createChatCompletion>>;
  try {
    result = await createChatCompletion(
      deps.gateway,
      actor,
      { model, messages: promptFor(params.action, text, params.target), stream: true, temperature: TEMPERATURE[params.action] },
      call,
    );
  } catch (error) {
    if (error instanceof GatewayError) {
      await audit('generated', error.status, model.slice(0, 256));
      throw problemOfGateway(error, ctx.gatewayMessage(error));
    }
    throw error;
  }
  if (result.kind !== 'stream') throw new AppError('internal');
  const redacted = chosen?.redacted ?? false;
  const upstream = result;
  let status = 200;
  const events = (async function* (): AsyncGenerator<TransformEvent> {
    try {
      for await (const line of upstream.events) {
        const data = line.startsWith('data: ') ? line.slice(6).trim() : '';
        if (data === '') continue;
        if (data === '[DONE]') {
          yield { event: 'done', data: { model, generated: true, redacted, action: params.action, target: params.target ?? null } };
          return;
        }
        const chunk = JSON.parse(data) as { error?: { message?: string; code?: string }; choices?: { delta?: { content?: unknown } }[] };
        if (chunk.error) {
          status = 502;
          const problem = new AppError('ai_refused', { status: 502, params: { message: String(chunk.error.message ?? '') }, extensions: { code: String(chunk.error.code ?? 'upstream_interrupted') } });
          yield { event: 'error', error: problem };
          return;
        }
        const text = chunk.choices?.[0]?.delta?.content;
        if (typeof text === 'string' && text !== '') yield { event: 'delta', text };
      }
    } finally {
      upstream.close();
      if (ctx.signal.aborted && status === 200) status = 499;
      await audit('generated', status, model);
    }
  })();
  return { kind: 'stream', model, events, close: upstream.close };
}

/**
 * The model to use: the one asked for, or else the first chat model (aliases in order) that the
 * gateway's policy admits for this document — so that a document too sensitive for one model goes
 * to one cleared for it — or, when none is, the first chat model (whose refusal then says why).
 * Null when no chat model is configured at all. `redacted`: every replica the document may reach
 * gets pseudonymised text (the policy's own rule), so the proposal can say so.
 */
async function chooseModel(
  gateway: GatewayDeps,
  actor: Actor,
  asked: string | null,
  documentId: string,
  locale: Locale,
): Promise<{ alias: string; redacted: boolean } | null> {
  const chat = gateway.router.entries().filter((entry) => entry.kind === 'chat');
  const candidates = asked ? chat.filter((entry) => entry.alias === asked) : chat;
  for (const entry of candidates) {
    if (!gateway.policy) return { alias: entry.alias, redacted: false };
    try {
      const admission = await gateway.policy.admit(actor, { documentIds: [documentId], locale, endpoint: 'chat.completions' }, entry);
      const reachable = entry.replicas.filter((replica) => !admission.excluded.has(replica));
      return { alias: entry.alias, redacted: reachable.length > 0 && reachable.every((replica) => admission.redacts(replica.provider)) };
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
    }
  }
  // Refused everywhere, or an unknown alias: the gateway's own answer explains it (and is audited).
  if (asked) return { alias: asked, redacted: false };
  return chat[0] ? { alias: chat[0].alias, redacted: false } : null;
}
