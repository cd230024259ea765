import http from 'node:http';
import https from 'node:https';
import type { Replica } from './router.ts';

/**
 * Calls to one upstream replica over HTTP (node:http, keep-alive): its key (never the client's token), a timeout
 * that bounds every wait (connection and headers, then each silence of the body), and the
 * client's cancellation passed on (the upstream sees its request aborted). Failures say whether
 * the next replica may be tried: connection errors, timeouts, 5xx and unreadable answers may;
 * a 4xx is the request's fault and is answered as it is.
 */
export type FailureKind = 'connect' | 'timeout' | 'status' | 'protocol' | 'cancelled';

export class UpstreamFailure extends Error {
  readonly kind: FailureKind;
  readonly status: number | null;
  /** For a 4xx: the upstream's OpenAI-style error, when it sent one. */
  readonly upstreamError: { message: string; type: string | null; param: string | null; code: string | null } | null;
  constructor(kind: FailureKind, detail: string, options: { status?: number; upstreamError?: UpstreamFailure['upstreamError'] } = {}) {
    super(detail);
    this.name = 'UpstreamFailure';
    this.kind = kind;
    this.status = options.status ?? null;
    this.upstreamError = options.upstreamError ?? null;
  }

  get retryable(): boolean {
    if (this.kind === 'cancelled') return false;
    if (this.kind === 'status') return (this.status ?? 0) >= 500;
    return true;
  }
}

/** Largest upstream answer read whole (non-streamed): a batch of embeddings is the biggest. */
export const MAX_UPSTREAM_BODY = 64 * 1024 * 1024;
/** Largest single server-sent event of a stream. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;
const MAX_ERROR_BODY = 64 * 1024;

class TimeoutSignal extends Error {
  constructor() {
    super('upstream timeout');
    this.name = 'TimeoutSignal';
  }
}

/**
 * What the gateway reads of an upstream's answer: its status, its headers, and its body as a
 * Node stream of bytes.
 */
export interface UpstreamResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: http.IncomingMessage;
}

/** An open call: the response (status 2xx), and the idle timer to touch while its body flows. */
export interface UpstreamCall {
  response: UpstreamResponse;
  /** Restarts the silence timer (called on each piece of body). */
  touch(): void;
  /** Stops the timer and aborts the request if it is still running. */
  close(): void;
  signal: AbortSignal;
}

/**
 * Upstream calls go through node:http(s) with keep-alive pools of this process, not through
 * fetch: a streamed answer is relayed event by event, and reading it through fetch's web streams
 * took about 49 µs of CPU per event against 38 µs for a Node stream (bench/README.md,
 * ai-gateway). The most recently used
 * connection is taken first, so that idle ones expire rather than meet the server's keep-alive
 * timeout at the moment they are reused. Node's agents also drop a connection a second before
 * the `Keep-Alive: timeout` the server announced.
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
} as const;

export async function openUpstream(replica: Replica, path: string, body: unknown, clientSignal: AbortSignal, requestId: string): Promise<UpstreamCall> {
  const { provider } = replica;
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(clientSignal.reason);
  if (clientSignal.aborted) throw new UpstreamFailure('cancelled', 'client went away');
  clientSignal.addEventListener('abort', onClientAbort, { once: true });
  // One timer per call, rescheduled in place (refresh) on each piece of body.
  let timer: NodeJS.Timeout | null = setTimeout(() => controller.abort(new TimeoutSignal()), provider.timeoutMs);
  const touch = () => {
    timer?.refresh();
  };
  const close = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    clientSignal.removeEventListener('abort', onClientAbort);
    if (!controller.signal.aborted) controller.abort(new Error('closed'));
  };
  const payload = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': payload.length,
    accept: 'application/json, text/event-stream',
    'x-request-id': requestId,
  };
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey.reveal()}`;
  let response: UpstreamResponse;
  try {
    response = await send(new URL(`${provider.baseUrl}${path}`), headers, payload, controller.signal);
  } catch (error) {
    // Classified before close(), which aborts the controller too.
    const failure = failureOf(error, controller.signal);
    close();
    throw failure;
  }
  if (response.status < 200 || response.status > 299) {
    try {
      // Redirects are not followed (a model server has no reason to send one): an unusable replica.
      if (response.status < 400) throw new UpstreamFailure('protocol', `status ${response.status}`);
      const text = await readText(response, MAX_ERROR_BODY, touch, controller.signal).catch(() => '');
      throw statusFailure(response.status, text);
    } finally {
      close();
    }
  }
  return { response, touch, close, signal: controller.signal };
}

/**
 * POSTs the payload; resolves with the response once its headers are in. Aborting the signal
 * destroys the request (and its connection) unless the answer was read to its end, so the
 * upstream sees the call abandoned; a completely read answer leaves its connection to the pool.
 */
function send(url: URL, headers: Record<string, string | number>, payload: Buffer, signal: AbortSignal): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(url, { method: 'POST', headers, agent: AGENTS[secure ? 'https:' : 'http:'] });
    let complete = false;
    const onAbort = () => {
      if (!complete) request.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    request.once('response', (res) => {
      res.once('end', () => {
        complete = true;
        signal.removeEventListener('abort', onAbort);
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: {
          get: (name) => {
            const value = res.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          },
        },
        body: res,
      });
    });
    request.end(payload);
  });
}

/** Reads a whole body (at most `limit` bytes), restarting the silence timer on each piece. */
export async function readText(response: UpstreamResponse, limit: number, touch: () => void, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      touch();
      size += chunk.byteLength;
      if (size > limit) throw new UpstreamFailure('protocol', `answer larger than ${limit} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    response.body.destroy();
    throw error instanceof UpstreamFailure ? error : failureOf(error, signal);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The server-sent events of a streamed answer: the `data` of each event, in order. */
export async function* sseData(call: UpstreamCall): AsyncGenerator<string> {
  const body = call.response.body;
  // Multi-byte characters cut between two pieces are joined by the stream's decoder.
  body.setEncoding('utf8');
  const pieces = body[Symbol.asyncIterator]() as AsyncIterator<string>;
  let buffer = '';
  let data: string[] = [];
  let dataChars = 0;
  try {
    for (;;) {
      let piece: IteratorResult<string>;
      try {
        piece = await pieces.next();
      } catch (error) {
        throw failureOf(error, call.signal);
      }
      if (piece.done) break;
      call.touch();
      buffer = buffer.length === 0 ? piece.value : buffer + piece.value;
      // Lines are cut from `start` on; the rest is kept once, after the loop.
      let start = 0;
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        const line = buffer.slice(start, end);
        start = newline + 1;
        newline = buffer.indexOf('\n', start);
        if (line === '') {
          if (data.length > 0) {
            const event = data.length === 1 ? (data[0] as string) : data.join('\n');
            data = [];
            dataChars = 0;
            yield event;
          }
          continue;
        }
        if (line.startsWith('data:')) {
          const value = line.slice(line.startsWith('data: ') ? 6 : 5);
          dataChars += value.length;
          if (dataChars > MAX_EVENT_CHARS) throw new UpstreamFailure('protocol', 'event too large');
          data.push(value);
        }
        // Comments (`:`), `event:`, `id:`, `retry:` lines: nothing the gateway forwards.
      }
      buffer = start === 0 ? buffer : buffer.slice(start);
      if (buffer.length > MAX_EVENT_CHARS) throw new UpstreamFailure('protocol', 'line too long');
    }
    // A last event not followed by a blank line still counts (some servers end so).
    if (data.length > 0) yield data.join('\n');
  } finally {
    // Ended early (the client went away, an error): the rest of the body is not wanted.
    if (!body.readableEnded) body.destroy();
  }
}

function failureOf(error: unknown, signal: AbortSignal): UpstreamFailure {
  if (error instanceof UpstreamFailure) return error;
  if (signal.aborted) {
    if (signal.reason instanceof TimeoutSignal) return new UpstreamFailure('timeout', 'no answer in time');
    return new UpstreamFailure('cancelled', 'request aborted');
  }
  return new UpstreamFailure('connect', (error as Error)?.message ?? 'connection failed');
}

function statusFailure(status: number, text: string): UpstreamFailure {
  let upstreamError: UpstreamFailure['upstreamError'] = null;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const e = parsed.error;
    const str = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : null);
    if (e && typeof e === 'object') {
      const o = e as Record<string, unknown>;
      const message = str(o.message, 2000);
      if (message) upstreamError = { message, type: str(o.type, 100), param: str(o.param, 200), code: str(o.code, 100) ?? (typeof o.code === 'number' ? String(o.code) : null) };
    } else {
      // Some servers (Ollama, llama.cpp, FastAPI) answer `{ "error": "…" }` or `{ "detail": "…" }`.
      const message = str(e, 2000) ?? str(parsed.message, 2000) ?? str(parsed.detail, 2000);
      if (message) upstreamError = { message, type: null, param: null, code: null };
    }
  } catch {
    // Not JSON: nothing of it is passed on.
  }
  return new UpstreamFailure('status', `status ${status}`, { status, upstreamError });
}
