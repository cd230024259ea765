/**
 * Child process of the ai-gateway bench: the least a gateway written for Node.js can do — a bare
 * HTTP proxy that reads the request's JSON body, sets the upstream's model name, sends it over a
 * keep-alive connection and writes each piece of the streamed answer to the client as it comes.
 * No authentication, policy, quota, accounting, audit or SSE parsing: what it adds to the time to
 * first token, in the same run, is the floor of one more Node.js process on the path on this
 * machine (an extra hop, an extra event loop, the scheduler of a shared CPU), against which
 * Entente's own cost can be read. Never part of Entente; the bench's reference only.
 */
import http from 'node:http';
import { stopWhenAsked } from './stop-when-asked.ts';

export interface BareProxyReady {
  /** Base of the proxy: `${baseUrl}/chat/completions`. */
  baseUrl: string;
}

const upstream = new URL(`${process.env.BENCH_AI_UPSTREAM_URL}/chat/completions`);
const model = process.env.BENCH_AI_UPSTREAM_MODEL ?? '';
const agent = new http.Agent({ keepAlive: true, scheduling: 'lifo' });

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const payload = Buffer.from(JSON.stringify({ ...body, model }));
    const call = http.request(upstream, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'text/event-stream', 'cache-control': 'no-store' });
      answer.on('data', (piece: Buffer) => response.write(piece));
      answer.on('end', () => response.end());
    });
    call.on('error', () => response.destroy());
    response.on('close', () => {
      if (!response.writableFinished) call.destroy();
    });
    call.end(payload);
  });
});

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
stopWhenAsked(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
const { port } = server.address() as { port: number };
const ready: BareProxyReady = { baseUrl: `http://127.0.0.1:${port}` };
process.send!(ready);
