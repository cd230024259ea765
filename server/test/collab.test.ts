import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { CollabAuthenticate } from '../src/workspace/collab/collab-server.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * Day-one proof that Hocuspocus 4 answers at /collab on the same HTTP server as the API, that its
 * hooks receive a web Request, and that refusals travel inside the protocol. Tickets arrive with
 * the spaces-and-documents issue; here a test authenticator stands in for them.
 */
let t: TestApp;
const seen: { token: string; userAgent: string | null; documentName: string }[] = [];
const authenticate: CollabAuthenticate = async ({ token, documentName, request }) => {
  seen.push({ token, documentName, userAgent: request.headers.get('user-agent') });
  if (token === 'let-me-in') return { readOnly: false, context: { who: 'tester' } };
  throw new Error('refused');
};

beforeAll(async () => {
  t = await startTestApp({ entente: { collabAuthenticate: authenticate } });
});
afterAll(async () => {
  await t?.close();
});

function connect(token: string, name = '019ac9f0-0000-7000-8000-0000000d0c01') {
  const socket = new HocuspocusProviderWebsocket({
    url: `${t.baseUrl.replace('http', 'ws')}/collab`,
    WebSocketPolyfill: class extends WebSocket {
      constructor(url: string) {
        super(url, { headers: { 'user-agent': 'entente-collab-test' } });
      }
    },
    maxAttempts: 1,
  });
  const document = new Y.Doc();
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, token, document });
  // With a websocket provider of our own, the document provider must be attached explicitly.
  provider.attach();
  return { provider, socket, document };
}

describe('/collab', () => {
  it('refuses inside the protocol when the token is not accepted', async () => {
    const { provider, socket } = connect('wrong');
    const reason = await new Promise<string>((resolve, reject) => {
      provider.on('authenticationFailed', ({ reason }: { reason: string }) => resolve(reason));
      setTimeout(() => reject(new Error('no authenticationFailed message within 10 s')), 10_000);
    });
    expect(reason).toBeTruthy();
    provider.destroy();
    socket.destroy();
  });

  it('syncs a document between two clients through the same HTTP server', async () => {
    const a = connect('let-me-in');
    const b = connect('let-me-in');
    await Promise.all(
      [a, b].map(
        ({ provider }) =>
          new Promise<void>((resolve, reject) => {
            provider.on('synced', () => resolve());
            setTimeout(() => reject(new Error('not synced within 10 s')), 10_000);
          }),
      ),
    );
    const received = new Promise<string>((resolve) => {
      b.document.getText('t').observe(() => resolve(b.document.getText('t').toString()));
    });
    a.document.getText('t').insert(0, 'Bonjour Québec');
    expect(await received).toBe('Bonjour Québec');
    const last = seen.at(-1);
    expect(last).toMatchObject({ token: 'let-me-in', userAgent: 'entente-collab-test' });
    for (const c of [a, b]) {
      c.provider.destroy();
      c.socket.destroy();
    }
  });

  it('does not upgrade other paths', async () => {
    const ws = new WebSocket(`${t.baseUrl.replace('http', 'ws')}/not-collab`);
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('error');
  });
});
