import { problemSentence } from '@entente/common/i18n/problem-sentence.ts';
import { getJson, problemOf } from '../../../../app/api.ts';

/**
 * The client of POST /api/assistant/transform (docs/ai.md « Actions d'IA dans l'éditeur »): an
 * action on a text of a document. With a model the answer is a stream of events (`delta` pieces
 * of text, then `done` or `error`); without one, summarise answers the extractive summary (JSON).
 */
export type AiAction = 'summarise' | 'plain-language' | 'translate' | 'correct';
export type AiTarget = 'fr-FR' | 'fr-CA' | 'en';

export interface ExtractiveSummary {
  mode: 'extractive';
  label: string;
  sentences: { text: string; offset: number; length: number }[];
}

export interface GeneratedDone {
  model: string;
  generated: true;
  redacted: boolean;
}

export interface TransformHandlers {
  onDelta(text: string): void;
  onDone(done: GeneratedDone): void;
  /** A failure inside the stream: the problem's title and detail, in the page's language. */
  onError(message: string): void;
}

/**
 * Sends the request; resolves with the extractive summary when the server answers one, or with
 * null once the stream has ended (each event went to `handlers`). A refusal before anything was
 * generated throws a `Problem`.
 */
export async function runTransform(
  request: { documentId: string; action: AiAction; target?: AiTarget; text: string },
  handlers: TransformHandlers,
  signal: AbortSignal,
): Promise<ExtractiveSummary | null> {
  const { csrfToken } = await getJson<{ csrfToken: string }>('/api/session', signal);
  const response = await fetch('/api/assistant/transform', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'text/event-stream, application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify(request),
    signal,
  });
  if (!response.ok) throw await problemOf(response);
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return (await response.json()) as ExtractiveSummary;
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) return null;
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      dispatch(buffer.slice(0, end), handlers);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
  return null;
}

function dispatch(block: string, handlers: TransformHandlers): void {
  const event = /^event: (.*)$/m.exec(block)?.[1];
  const raw = /^data: (.*)$/m.exec(block)?.[1];
  if (!event || raw === undefined) return;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return;
  }
  if (event === 'delta' && typeof data.text === 'string') handlers.onDelta(data.text);
  else if (event === 'done') handlers.onDone({ model: String(data.model ?? ''), generated: true, redacted: data.redacted === true });
  else if (event === 'error') handlers.onError(problemSentence(typeof data.title === 'string' ? data.title : null, typeof data.detail === 'string' ? data.detail : null));
}
