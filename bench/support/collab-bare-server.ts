/**
 * Child process of the collab bench: the floor to compare with, a bare Hocuspocus 4 server (no
 * authentication, no persistence, no limits) with the same transport as Entente's `/collab`
 * (`ws` in noServer mode on a `node:http` server, messages piped into `handleConnection`).
 */
import http from 'node:http';
import { Hocuspocus } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import { stopWhenAsked } from './stop-when-asked.ts';
import type { CollabBenchReady } from './collab-clients.ts';

const hocuspocus = new Hocuspocus({ name: 'bare', quiet: true });
const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
});
server.on('upgrade', (req, socket, head) => {
  const request = new Request(new URL(req.url ?? '/', 'http://bare.invalid'), { method: 'GET' });
  wss.handleUpgrade(req, socket, head, (ws) => {
    const connection = hocuspocus.handleConnection(ws, request);
    ws.on('message', (data: Buffer) => connection.handleMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    ws.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() } as CloseEvent));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

stopWhenAsked(async () => {
  for (const client of wss.clients) client.terminate();
  hocuspocus.closeConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ready: CollabBenchReady = { wsUrl: `ws://127.0.0.1:${port}/collab`, documents: [], tickets: null };
process.send!(ready);
