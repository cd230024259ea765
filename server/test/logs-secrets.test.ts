import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { createLogger, loggablePath } from '../src/platform/logger.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * What the request log keeps of a path. A share link's secret is in its path (`/p/<token>`,
 * `/partage/<token>`): whoever reads the logs (log shipping, support) could open the document or
 * redeem the link until it expires. The real server's log is read here, at `info`, as operators run it.
 */
const lines: string[] = [];
let t: TestApp;
const COOPERATION_WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await startTestApp({ entente: { logger: createLogger({ logLevel: 'info' }, sink) } });
});
afterAll(async () => {
  await t?.close();
});

it('masks share-link tokens in logged paths, keeps ids, drops query strings', () => {
  const token = 'yg6SN6OQYF9-y56osZZZOiqXD0y8CIIE1_nmEpzbid4';
  expect(loggablePath(`/p/${token}`)).toBe('/p/[redacted]');
  expect(loggablePath(`/p/${token}/images/019ac9f0-0000-7000-8000-0000000d0001`)).toBe('/p/[redacted]/images/019ac9f0-0000-7000-8000-0000000d0001');
  expect(loggablePath(`/partage/${token}?x=1`)).toBe('/partage/[redacted]');
  // A short token is masked by its place; a long random segment anywhere by its look.
  expect(loggablePath('/p/abc')).toBe('/p/[redacted]');
  expect(loggablePath(`/api/somewhere/${token}/next`)).toBe('/api/somewhere/[redacted]/next');
  expect(loggablePath('/api/documents/019ac9f0-0000-7000-8000-0000000d0001/comments?q=secret')).toBe('/api/documents/019ac9f0-0000-7000-8000-0000000d0001/comments');
  expect(loggablePath('/competences/resultats/019ac9f0-0000-7000-8000-0000000d0001')).toBe('/competences/resultats/019ac9f0-0000-7000-8000-0000000d0001');
});

it('the running server never writes a public link’s token to its log', async () => {
  const camille = await t.signIn(DEMO_AGENTS[0]);
  const created = await fetch(`${t.baseUrl}/api/documents/${COOPERATION_WELCOME}/share-links`, {
    method: 'POST',
    headers: { ...camille.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'reader', reach: 'public', expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
  });
  expect(created.status).toBe(201);
  const token = String(((await created.json()) as { url: string }).url.split('/').pop());
  expect(token.length).toBeGreaterThan(20);
  expect((await fetch(`${t.baseUrl}/p/${token}`)).status).toBe(200);
  expect((await fetch(`${t.baseUrl}/partage/${token}`)).status).toBe(200);

  const logged = lines.join('');
  expect(logged).toContain('"path":"/p/[redacted]"');
  expect(logged).toContain('"path":"/partage/[redacted]"');
  expect(logged).not.toContain(token);
});
