import { getJson, Problem, problemOf, send } from '../../../app/api.ts';
import { readSse } from './sse.ts';

/** The assistant panel's calls: allowed models (C2), ask my documents (extractive JSON or C4 stream), chat through the gateway, conversations. */

export interface ModelChoice {
  id: string;
  kind: 'chat' | 'embeddings';
  jurisdictions: string[];
  allowed: boolean;
  reason: string | null;
  redacted: boolean;
}

export interface ModelsAnswer {
  classification: { id: string; name: string } | null;
  models: ModelChoice[];
  noModel: boolean;
}

export interface Segment {
  text: string;
  match: boolean;
}

export interface Passage {
  n: number;
  documentId: string;
  spaceId: string;
  title: string;
  text: string;
  highlight: Segment[];
  offset: number;
  length: number;
  quote: string;
}

export interface Citation {
  n: number;
  documentId: string;
  title: string;
  offset: number;
  length: number;
  quote: string;
  text?: string;
}

export interface ConversationSummary {
  id: string;
  spaceId: string;
  documentId: string | null;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  mode: 'generated' | 'extractive' | null;
  model: string | null;
  content: string;
  citations: Citation[];
  createdAt: string;
}

/**
 * The models this content may go to (contract C2). Until that endpoint exists on the server, the
 * gateway's own list stands in (every chat alias, allowed): the panel still works, with no policy view.
 */
export async function loadModels(documentId: string | null): Promise<ModelsAnswer> {
  const query = documentId ? `?documentId=${encodeURIComponent(documentId)}` : '';
  try {
    return await getJson<ModelsAnswer>(`/api/assistant/models${query}`);
  } catch (error) {
    if (!(error instanceof Problem) || error.status !== 404) throw error;
  }
  const response = await fetch('/ai/v1/models', { credentials: 'same-origin', headers: { accept: 'application/json', 'x-csrf-token': await csrf() } });
  if (!response.ok) return { classification: null, models: [], noModel: true };
  const body = (await response.json()) as { data?: { id: string; kind?: string; jurisdictions?: string[] }[] };
  const models = (body.data ?? [])
    .filter((m) => (m.kind ?? 'chat') === 'chat')
    .map((m) => ({ id: m.id, kind: 'chat' as const, jurisdictions: m.jurisdictions ?? [], allowed: true, reason: null, redacted: false }));
  return { classification: null, models, noModel: models.length === 0 };
}

async function csrf(): Promise<string> {
  return (await getJson<{ csrfToken: string }>('/api/session')).csrfToken;
}

async function post(path: string, body: unknown, accept: string, signal: AbortSignal, extra: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept, 'content-type': 'application/json', 'x-csrf-token': await csrf(), ...extra },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await problemOrAiError(response);
  return response;
}

/** problem+json, or the gateway's OpenAI-format error `{ error: { message, code } }`. */
async function problemOrAiError(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('problem+json')) return problemOf(response);
  try {
    const body = (await response.json()) as { error?: { message?: string; code?: string } };
    return new Problem(response.status, body.error?.code ?? 'internal', { title: null, detail: body.error?.message?.slice(0, 500) ?? null });
  } catch {
    return new Problem(response.status, 'internal');
  }
}

export type AskEvent =
  | { type: 'passages'; passages: Passage[] }
  | { type: 'delta'; text: string }
  | { type: 'done'; model: string | null; generated: boolean }
  | { type: 'error'; message: string };

/** Ask my documents: extractive (JSON) without a model, streamed (contract C4) with one. */
export async function* ask(question: string, spaceId: string, model: string | null, signal: AbortSignal): AsyncGenerator<AskEvent> {
  if (!model) {
    const response = await post('/api/assistant/ask', { question, spaceId }, 'application/json', signal);
    const body = (await response.json()) as { passages: Passage[] };
    yield { type: 'passages', passages: body.passages };
    yield { type: 'done', model: null, generated: false };
    return;
  }
  const response = await post('/api/assistant/ask', { question, spaceId, model }, 'text/event-stream', signal);
  for await (const e of readSse(response)) {
    const data = JSON.parse(e.data) as Record<string, unknown>;
    if (e.event === 'passages') yield { type: 'passages', passages: (data.passages as Passage[]) ?? [] };
    else if (e.event === 'delta') yield { type: 'delta', text: String(data.text ?? '') };
    else if (e.event === 'done') yield { type: 'done', model: typeof data.model === 'string' ? data.model : model, generated: data.generated !== false };
    else if (e.event === 'error') yield { type: 'error', message: String(data.detail ?? data.title ?? '') };
  }
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * A chat through the gateway, streamed (OpenAI format). `documentIds` (the open document, and the
 * documents whose passages are in the history) are sent as `X-Entente-Documents` (contract C1,
 * at most 20) so the policy judges every content that is in the request.
 * Aborting the signal closes the connection: the gateway cancels the upstream request.
 */
export async function* chat(turns: ChatTurn[], model: string, documentIds: string[], signal: AbortSignal): AsyncGenerator<AskEvent> {
  const response = await post(
    '/ai/v1/chat/completions',
    { model, stream: true, messages: turns },
    'text/event-stream',
    signal,
    documentIds.length > 0 ? { 'x-entente-documents': documentIds.join(',') } : {},
  );
  for await (const e of readSse(response)) {
    if (e.data === '[DONE]') break;
    const data = JSON.parse(e.data) as { error?: { message?: string }; choices?: { delta?: { content?: string | null } }[] };
    if (data.error) {
      yield { type: 'error', message: data.error.message ?? '' };
      return;
    }
    const text = data.choices?.[0]?.delta?.content;
    if (text) yield { type: 'delta', text };
  }
  yield { type: 'done', model, generated: true };
}

export const conversationsApi = {
  list: (spaceId: string) =>
    getJson<{ conversations: ConversationSummary[]; contentLogging: { on: boolean; retentionDays: number } }>(
      `/api/assistant/conversations?spaceId=${encodeURIComponent(spaceId)}`,
    ),
  get: (id: string) => getJson<ConversationSummary & { messages: StoredMessage[] }>(`/api/assistant/conversations/${encodeURIComponent(id)}`),
  create: async (spaceId: string, documentId: string | null, title: string) =>
    (await send<ConversationSummary>('POST', '/api/assistant/conversations', { spaceId, documentId, title })) as ConversationSummary,
  append: async (id: string, message: { role: 'user' | 'assistant'; content: string; mode?: 'generated' | 'extractive'; model?: string | null; citations?: Citation[] }) =>
    (await send<StoredMessage>('POST', `/api/assistant/conversations/${encodeURIComponent(id)}/messages`, message)) as StoredMessage,
  remove: (id: string) => send<undefined>('DELETE', `/api/assistant/conversations/${encodeURIComponent(id)}`),
};

/** The link that opens a cited document at the passage (the document page reads `passage`: PassageLocator). */
export function citationHref(spaceId: string, c: { documentId: string; quote: string; text?: string }): string {
  const passage = (c.text ?? c.quote).slice(0, 600);
  return `/espaces/${encodeURIComponent(spaceId)}/documents/${encodeURIComponent(c.documentId)}?passage=${encodeURIComponent(passage)}`;
}
