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
async function send(url: URL, headers: Record<string, string | number>, payload: Buffer, signal: AbortSignal): Promise<UpstreamResponse> {
  try {
    return await sendOnce(url, headers, payload, signal);
  } catch (error) {
    // A kept-alive connection the server closed as it was being reused (its idle timeout and
    // ours crossed, easily on a loaded machine): the request almost always never reached the
    // server, so it is sent again once, on a fresh or another pooled connection (Node's own advice
    // for `reusedSocket`). A reset after the server read the request cannot be told apart: that
    // completion may then run twice upstream (the agent is charged once, for the answer it gets).
    // Anything else is a failure.
    if (!(error as { reusedSocket?: boolean }).reusedSocket || signal.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ECONNRESET' && code !== 'EPIPE') throw error;
    return sendOnce(url, headers, payload, signal);
  }
}

function sendOnce(url: URL, headers: Record<string, string | number>, payload: Buffer, signal: AbortSignal): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(url, { method: 'POST', headers, agent: AGENTS[secure ? 'https:' : 'http:'] });
    let complete = false;
    let responded = false;
    const onAbort = () => {
      if (!complete) request.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      // Only before the response: the connection was reused and reset before any answer.
      if (request.reusedSocket && !responded) Object.assign(error, { reusedSocket: true });
      reject(error);
    });
    request.once('response', (res) => {
      responded = true;
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

/**
 * Cuts server-sent events out of decoded text, synchronously: `feed` each piece as it comes,
 * `end` at the end of the body; `onEvent` gets the `data` of each event, in order. Lines are cut
 * from the piece without re-slicing the buffer for each line; the rest is kept once.
 */
export class SseParser {
  readonly #onEvent: (data: string) => void;
  #buffer = '';
  #data: string[] = [];
  #dataChars = 0;

  constructor(onEvent: (data: string) => void) {
    this.#onEvent = onEvent;
  }

  feed(piece: string): void {
    const buffer = this.#buffer.length === 0 ? piece : this.#buffer + piece;
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const lineStart = start;
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
      if (end === lineStart) {
        if (this.#data.length > 0) {
          const event = this.#data.length === 1 ? (this.#data[0] as string) : this.#data.join('\n');
          this.#data = [];
          this.#dataChars = 0;
          this.#onEvent(event);
        }
        continue;
      }
      // `data:` (5 characters), optionally followed by one space.
      if (buffer.startsWith('data:', lineStart)) {
        const from = lineStart + (buffer.charCodeAt(lineStart + 5) === 32 && lineStart + 5 < end ? 6 : 5);
        const value = buffer.slice(from, end);
        this.#dataChars += value.length;
        if (this.#dataChars > MAX_EVENT_CHARS) throw new UpstreamFailure('protocol', 'event too large');
        this.#data.push(value);
      }
      // Comments (`:`), `event:`, `id:`, `retry:` lines: nothing the gateway forwards.
    }
    this.#buffer = start === 0 ? buffer : buffer.slice(start);
    if (this.#buffer.length > MAX_EVENT_CHARS) throw new UpstreamFailure('protocol', 'line too long');
  }

  /** A last event not followed by a blank line still counts (some servers end so). */
  end(): void {
    if (this.#data.length === 0) return;
    const event = this.#data.join('\n');
    this.#data = [];
    this.#dataChars = 0;
    this.#onEvent(event);
  }
}

/** The server-sent events of a streamed answer: the `data` of each event, in order. */
export async function* sseData(call: UpstreamCall): AsyncGenerator<string> {
  const body = call.response.body;
  // Multi-byte characters cut between two pieces are joined by the stream's decoder.
  body.setEncoding('utf8');
  const pieces = body[Symbol.asyncIterator]() as AsyncIterator<string>;
  let ready: string[] = [];
  const parser = new SseParser((event) => ready.push(event));
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
      parser.feed(piece.value);
      if (ready.length > 0) {
        const events = ready;
        ready = [];
        yield* events;
      }
    }
    parser.end();
    yield* ready;
  } finally {
    // Ended early (the client went away, an error): the rest of the body is not wanted.
    if (!body.readableEnded) body.destroy();
  }
}

/** Where the events of a stream go, once its first one has been seen (push, no promise per event). */
export interface EventSink {
  /** One event's `data`; false: stop reading until `resume` is called (backpressure). */
  event(data: string): boolean;
  /** The body ended (cleanly: whether the answer was complete is the sink's to judge). */
  end(): void;
  /** The body failed: cut, timed out, cancelled, unreadable. */
  fail(failure: UpstreamFailure): void;
}

/**
 * The events of a streamed answer, read as the body's bytes arrive (`data` listeners, no async
 * iterator): `first()` waits for the first event (or null when the body ended without any), so that
 * a replica that fails before answering can be replaced; `attach` then hands every following
 * event to a sink synchronously, with backpressure through `pause`/`resume`. Relaying an event
 * costs no promise, no generator step and no stream between the upstream's socket and the
 * client's.
 */
export class SseEvents {
  readonly #call: UpstreamCall;
  readonly #body: http.IncomingMessage;
  readonly #parser: SseParser;
  #queue: string[] = [];
  #sink: EventSink | null = null;
  #ended = false;
  #failure: UpstreamFailure | null = null;
  #waiter: { resolve(data: string | null): void; reject(error: unknown): void } | null = null;
  #paused = false;

  constructor(call: UpstreamCall) {
    this.#call = call;
    this.#body = call.response.body;
    this.#parser = new SseParser((data) => this.#event(data));
    const body = this.#body;
    // Multi-byte characters cut between two pieces are joined by the stream's decoder.
    body.setEncoding('utf8');
    body.on('data', (piece: string) => {
      call.touch();
      try {
        this.#parser.feed(piece);
      } catch (error) {
        this.#fail(error);
      }
    });
    body.once('end', () => {
      if (this.#failure) return;
      try {
        this.#parser.end();
      } catch (error) {
        this.#fail(error);
        return;
      }
      this.#ended = true;
      this.#settle();
    });
    body.once('error', (error) => this.#fail(error));
    // Destroyed without an error (aborted): not an end.
    body.once('close', () => {
      if (!this.#ended && !this.#failure) this.#fail(new Error('stream closed before its end'));
    });
  }

  /** The first event, null when the body ended without one; rejects with an UpstreamFailure. */
  first(): Promise<string | null> {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift() as string);
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** From now on every event goes to `sink` (those that arrived meanwhile first, in order). */
  attach(sink: EventSink): void {
    this.#sink = sink;
    const queued = this.#queue;
    this.#queue = [];
    for (const data of queued) {
      if (this.#sink !== sink) return;
      if (!sink.event(data)) this.pause();
    }
    this.#settle();
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#body.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#body.resume();
  }

  /** No more events wanted: the sink is dropped (the body is left to the call's close). */
  detach(): void {
    this.#sink = null;
    this.#queue = [];
  }

  /** Reads the rest of the body and drops it (a complete answer whose connection can be reused). */
  drain(done: () => void): void {
    this.#sink = null;
    this.#queue = [];
    if (this.#ended || this.#failure) {
      done();
      return;
    }
    this.#sink = { event: () => true, end: done, fail: () => done() };
    this.resume();
  }

  #event(data: string): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = null;
      waiter.resolve(data);
      return;
    }
    const sink = this.#sink;
    if (!sink) {
      this.#queue.push(data);
      return;
    }
    if (!sink.event(data)) this.pause();
  }

  #fail(error: unknown): void {
    if (this.#failure || this.#ended) return;
    this.#failure = failureOf(error, this.#call.signal);
    if (!this.#body.destroyed) this.#body.destroy();
    this.#settle();
  }

  /** Tells the waiter or the sink that the body is over (once the queue has gone to the sink). */
  #settle(): void {
    if (!this.#ended && !this.#failure) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = null;
      if (this.#failure) waiter.reject(this.#failure);
      else waiter.resolve(null);
      return;
    }
    const sink = this.#sink;
    if (!sink || this.#queue.length > 0) return;
    this.#sink = null;
    if (this.#failure) sink.fail(this.#failure);
    else sink.end();
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
