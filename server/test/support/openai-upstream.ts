import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bagOfWordsEmbedding } from './bag-of-words-embeddings.ts'; // hybrid retrieval (helper E)

/**
 * A small, honest OpenAI-compatible server for tests (what vLLM, Ollama or llama.cpp server are
 * to the gateway): `GET /v1/models`, `POST /v1/chat/completions` (JSON, or SSE with
 * `stream_options.include_usage`), `POST /v1/embeddings`, its own API key checked when it has
 * one. It records every request it receives (headers, body, whether the caller aborted it), and
 * each request can be told how to behave: answer, wait, fail with a status, hang, or close the
 * connection in the middle of a stream.
 *
 * Answers are deterministic: the assistant says `Réponse de <name> : <last user message>`, one
 * word per stream chunk; usage counts words; embeddings are 8 numbers derived from the input.
 */
export type Behaviour =
  // ── gateway benchmark (helper F) ── `chunks`: exactly this many content chunks (the answer's
  // words, repeated as needed), for a stream of fixed length and pace.
  | { kind: 'answer'; delayMs?: number; chunkDelayMs?: number; chunks?: number; chunkChars?: number; noUsage?: boolean }
  // ── end gateway benchmark ──
  // ── classification & residency (helper B) ── `chunkChars`: the answer cut every N characters
  // (not at words), so that a placeholder arrives split across chunks.
  // ── end classification & residency ──
  // ── review fixes (helper R1) ── `noUsage`: a server that never reports `usage` (whole or streamed,
  // whatever `include_usage` says).
  // ── end review fixes ──
  | { kind: 'status'; status: number; body?: unknown; delayMs?: number }
  /** Never answers (until the caller gives up). */
  | { kind: 'hang' }
  /** Streams `afterChunks` chunks, then destroys the connection. */
  | { kind: 'close-mid-stream'; afterChunks: number }
  /** Accepts the connection and destroys it before any answer. */
  | { kind: 'reset' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
  receivedAt: number;
  /** The caller closed the connection before the answer was complete. */
  aborted: boolean;
  /** The answer was sent completely. */
  completed: boolean;
}

export interface UpstreamDouble {
  name: string;
  /** Base URL of the API, `/v1` included: what goes in `aiProviders[].baseUrl`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests being answered right now. */
  inFlight(): number;
  /** How the next requests behave (a function of the request, or one behaviour for all). */
  behave(behaviour: Behaviour | ((request: RecordedRequest, index: number) => Behaviour)): void;
  /** Resolves when `predicate` holds (polled), or rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

function lastUserText(body: Record<string, unknown> | null): string {
  const messages = Array.isArray(body?.messages) ? (body.messages as { role?: string; content?: unknown }[]) : [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  if (Array.isArray(last?.content)) return (last.content as { text?: string }[]).map((p) => p.text ?? '').join(' ');
  return '';
}

function promptTokens(body: Record<string, unknown> | null): number {
  const messages = Array.isArray(body?.messages) ? (body.messages as { content?: unknown }[]) : [];
  return messages.reduce((n, m) => n + (typeof m.content === 'string' ? words(m.content).length : 1), 0);
}

function vector(input: string): number[] {
  const digest = createHash('sha256').update(input).digest();
  return [...digest.subarray(0, 8)].map((b) => Math.round(((b - 128) / 128) * 1e4) / 1e4);
}

export async function startUpstreamDouble(
  options: {
    name?: string;
    apiKey?: string;
    models?: string[];
    // ── hybrid retrieval (helper E): `bag-of-words` embeddings (bag-of-words-embeddings.ts) instead of the 8-number digest ──
    embeddings?: 'digest' | 'bag-of-words';
  } = {},
): Promise<UpstreamDouble> {
  const name = options.name ?? 'double';
  const requests: RecordedRequest[] = [];
  let behaviour: Behaviour | ((request: RecordedRequest, index: number) => Behaviour) = { kind: 'answer' };
  let inFlight = 0;
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> | null = null;
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0] ?? '',
        headers: req.headers,
        body,
        receivedAt: Date.now(),
        aborted: false,
        completed: false,
      };
      const index = requests.length;
      requests.push(recorded);
      inFlight++;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        inFlight--;
      };
      res.on('close', () => {
        if (!res.writableFinished) recorded.aborted = true;
        finish();
      });
      res.on('finish', () => {
        recorded.completed = true;
        finish();
      });
      void handle(recorded, index, req, res).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const sleep = (ms: number, res: http.ServerResponse) =>
    new Promise<boolean>((resolve) => {
      if (ms <= 0) return resolve(!res.destroyed);
      // ── gateway benchmark (helper F): the close listener goes with its timer (a stream of 100
      // chunks would otherwise pile 100 listeners on its response) ──
      const onClose = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        res.off('close', onClose);
        resolve(!res.destroyed);
      }, ms);
      res.once('close', onClose);
      // ── end gateway benchmark ──
    });

  const json = (res: http.ServerResponse, status: number, value: unknown) => {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  async function handle(request: RecordedRequest, index: number, _req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    const b = typeof behaviour === 'function' ? behaviour(request, index) : behaviour;
    if (b.kind === 'reset') {
      res.socket?.destroy();
      return;
    }
    if (b.kind === 'hang') return;
    if (b.kind === 'status') {
      if (!(await sleep(b.delayMs ?? 0, res))) return;
      return json(res, b.status, b.body ?? { error: { message: `failure ${b.status} of ${name}`, type: 'server_error', param: null, code: null } });
    }
    const delayMs = b.kind === 'answer' ? (b.delayMs ?? 0) : 0;
    if (!(await sleep(delayMs, res))) return;

    if (request.method === 'GET' && request.path === '/v1/models') {
      return json(res, 200, { object: 'list', data: (options.models ?? []).map((id) => ({ id, object: 'model', created: 0, owned_by: name })) });
    }
    if (request.method !== 'POST') return json(res, 404, { error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } });
    const body = request.body;
    const model = typeof body?.model === 'string' ? body.model : '';
    if (options.models && !options.models.includes(model)) {
      return json(res, 404, { error: { message: `The model \`${model}\` does not exist.`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } });
    }

    if (request.path === '/v1/embeddings') {
      const input = body?.input;
      const inputs = Array.isArray(input) ? input.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof input === 'string' ? input : JSON.stringify(input)];
      const tokens = inputs.reduce((n, t) => n + words(t).length, 0);
      return json(res, 200, {
        object: 'list',
        data: inputs.map((text, i) => ({ object: 'embedding', index: i, embedding: options.embeddings === 'bag-of-words' ? bagOfWordsEmbedding(text) : vector(text) })),
        model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }

    if (request.path !== '/v1/chat/completions') {
      return json(res, 404, { error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } });
    }
    const answer = `Réponse de ${name} : ${lastUserText(body)}`;
    const usage = { prompt_tokens: promptTokens(body), completion_tokens: words(answer).length, total_tokens: promptTokens(body) + words(answer).length };
    const noUsage = b.kind === 'answer' && b.noUsage === true; // review fixes (helper R1)
    const id = `chatcmpl-${name}-${index}`;
    const created = Math.floor(Date.now() / 1000);
    if (body?.stream !== true) {
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop', logprobs: null }],
        ...(noUsage ? {} : { usage }), // review fixes (helper R1)
      });
    }

    const includeUsage = !noUsage && (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true; // review fixes (helper R1): noUsage
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunkDelayMs = b.kind === 'answer' ? (b.chunkDelayMs ?? 0) : 5;
    const send = (delta: Record<string, unknown>, finish: string | null) =>
      res.write(
        `data: ${JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
          ...(includeUsage ? { usage: null } : {}),
        })}\n\n`,
      );
    send({ role: 'assistant', content: '' }, null);
    // ── gateway benchmark (helper F) ──
    const all = words(answer);
    const fixedChunks = b.kind === 'answer' ? b.chunks : undefined;
    const pieces = fixedChunks === undefined ? all : Array.from({ length: fixedChunks }, (_, i) => all[i % all.length]!);
    // ── end gateway benchmark ──
    // ── classification & residency (helper B) ──
    const chunkChars = b.kind === 'answer' ? b.chunkChars : undefined;
    if (chunkChars) {
      for (let at = 0; at < answer.length; at += chunkChars) {
        if (!(await sleep(chunkDelayMs, res))) return;
        send({ content: answer.slice(at, at + chunkChars) }, null);
      }
      pieces.length = 0;
    }
    // ── end classification & residency ──
    for (let i = 0; i < pieces.length; i++) {
      if (!(await sleep(chunkDelayMs, res))) return;
      if (b.kind === 'close-mid-stream' && i >= b.afterChunks) {
        res.socket?.destroy();
        return;
      }
      send({ content: i === 0 ? pieces[i] : ` ${pieces[i]}` }, null);
    }
    send({}, 'stop');
    if (includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    inFlight: () => inFlight,
    behave(next) {
      behaviour = next;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error(`${name}: condition not met in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
