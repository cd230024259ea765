import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiProvider } from '../providers/config.ts';
import type { Replica } from './router.ts';
import { openUpstream, readText, sseData, UpstreamFailure } from './upstream.ts';

/**
 * The upstream transport on node:http (upstream.ts) against a raw HTTP server that controls
 * exactly how bytes arrive: events cut anywhere (inside a multi-byte character, between CR and LF),
 * redirects, connection reuse, and the client's cancellation reaching the server.
 */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let server: http.Server;
let baseUrl: string;
const sockets = new Set<Socket>();
let connections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const replica = (timeoutMs = 2_000): Replica => ({
  provider: { id: 'raw', baseUrl, models: [], jurisdiction: 'FR', maxClassification: 'public', timeoutMs } as unknown as AiProvider,
  model: { name: 'raw-model', alias: 'raw', kind: 'chat', contextWindow: null },
  inFlight: 0,
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('upstream transport', () => {
  it('reassembles events cut inside a multi-byte character, between CR and LF, and across data lines', async () => {
    const text = 'data: {"c":"élan été"}\r\n\r\ndata: ligne 1\ndata: ligne 2\n\n: commentaire\ndata: [DONE]\n\n';
    const bytes = Buffer.from(text, 'utf8');
    const cutInsideE = bytes.indexOf(Buffer.from('é')) + 1; // between the two bytes of « é »
    const cutInsideCrLf = bytes.indexOf(Buffer.from('\r\n')) + 1;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      void (async () => {
        for (const [from, to] of [
          [0, cutInsideE],
          [cutInsideE, cutInsideCrLf],
          [cutInsideCrLf, bytes.length],
        ] as const) {
          res.write(bytes.subarray(from, to));
          await pause(20);
        }
        res.end();
      })();
    };
    const call = await openUpstream(replica(), '/chat/completions', { stream: true }, new AbortController().signal, 'req-1');
    expect(call.response.headers.get('content-type')).toBe('text/event-stream');
    const events: string[] = [];
    for await (const event of sseData(call)) events.push(event);
    call.close();
    expect(events).toEqual(['{"c":"élan été"}', 'ligne 1\nligne 2', '[DONE]']);
  });

  it('reuses the connection of an answer read to its end', async () => {
    const ports: number[] = [];
    handler = (req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      res.end('{"ok":true}');
    };
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const call = await openUpstream(replica(), '/embeddings', { i }, new AbortController().signal, `req-${i}`);
      expect(await readText(call.response, 1024, call.touch, call.signal)).toBe('{"ok":true}');
      call.close();
      await pause(10); // the socket goes back to the pool once the response has ended
    }
    expect(new Set(ports).size).toBe(1);
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  it('treats a redirect as an unusable replica (retryable), never follows it', async () => {
    let followed = false;
    handler = (req, res) => {
      if (req.url?.includes('elsewhere')) followed = true;
      res.writeHead(302, { location: `${baseUrl}/elsewhere` }).end();
    };
    const failure = await openUpstream(replica(), '/chat/completions', {}, new AbortController().signal, 'req-r').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect((failure as UpstreamFailure).kind).toBe('protocol');
    expect((failure as UpstreamFailure).retryable).toBe(true);
    expect(followed).toBe(false);
  });

  it('passes a 4xx with the upstream’s error, and classifies a silent upstream as a timeout', async () => {
    handler = (_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'too long', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }));
    const refused = (await openUpstream(replica(), '/chat/completions', {}, new AbortController().signal, 'req-4').catch((e: unknown) => e)) as UpstreamFailure;
    expect(refused.kind).toBe('status');
    expect(refused.status).toBe(400);
    expect(refused.upstreamError?.code).toBe('context_length_exceeded');

    handler = () => {}; // never answers
    const silent = (await openUpstream(replica(200), '/chat/completions', {}, new AbortController().signal, 'req-t').catch((e: unknown) => e)) as UpstreamFailure;
    expect(silent.kind).toBe('timeout');
  });

  it('aborts the upstream request when the client goes away in the middle of a stream', async () => {
    let closedEarly = false;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      const timer = setInterval(() => res.write('data: {"n":2}\n\n'), 20);
      res.on('close', () => {
        clearInterval(timer);
        if (!res.writableFinished) closedEarly = true;
      });
    };
    const client = new AbortController();
    const call = await openUpstream(replica(), '/chat/completions', { stream: true }, client.signal, 'req-c');
    const events = sseData(call);
    expect((await events.next()).value).toBe('{"n":1}');
    client.abort(new Error('client went away'));
    const failure = await events.next().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect((failure as UpstreamFailure).kind).toBe('cancelled');
    call.close();
    for (let i = 0; i < 50 && !closedEarly; i++) await pause(10);
    expect(closedEarly).toBe(true);
  });
});
