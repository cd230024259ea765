import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger, loggablePath } from '../src/platform/logger.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/** What an attacker reading the logs must not find: tokens, cookies, query strings, IPs, names. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

let t: TestApp;
beforeAll(async () => {
  const logger = createLogger({ ...loadConfig({}), logLevel: 'info' }, sink);
  t = await startTestApp({ entente: { logger } });
});
afterAll(async () => t?.close());

describe('logs', () => {
  it('carry request ids and routes, never secrets or personal data', async () => {
    const session = await t.signIn(undefined, { ip: '192.0.2.44' });
    const me = await fetch(`${t.baseUrl}/api/me?access_token=SECRET-IN-QUERY`, {
      headers: { cookie: session.cookie, authorization: 'Bearer SECRET-BEARER', 'x-request-id': 'log-test-0001' },
    });
    expect(me.status).toBe(200);
    await fetch(`${t.baseUrl}/api/me`, { method: 'PATCH', headers: { ...session.headers, 'content-type': 'application/json' }, body: '{"bad json' });
    await new Promise((r) => setTimeout(r, 100));
    const all = lines.join('\n');
    expect(all).toContain('log-test-0001');
    expect(all).toContain('/api/me');
    const token = session.cookie.split('=')[1] as string;
    for (const secret of [token, 'SECRET-IN-QUERY', 'SECRET-BEARER', session.csrfToken, 'Camille', 'camille.martin', '192.0.2.44']) {
      expect(all, `logs contain ${secret}`).not.toContain(secret);
    }
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('mask share-link tokens in paths, keep ids, drop query strings', () => {
    const token = 'yg6SN6OQYF9-y56osZZZOiqXD0y8CIIE1_nmEpzbid4';
    const id = '019ac9f0-0000-7000-8000-0000000d0001';
    expect(loggablePath(`/p/${token}`)).toBe('/p/[redacted]');
    expect(loggablePath(`/p/${token}/images/${id}`)).toBe(`/p/[redacted]/images/${id}`);
    expect(loggablePath(`/partage/${token}?x=1`)).toBe('/partage/[redacted]');
    // A short token is masked by its place; a long random segment anywhere by its look.
    expect(loggablePath('/p/abc')).toBe('/p/[redacted]');
    expect(loggablePath(`/api/somewhere/${token}/next`)).toBe('/api/somewhere/[redacted]/next');
    expect(loggablePath(`/api/documents/${id}/comments?q=secret`)).toBe(`/api/documents/${id}/comments`);
  });

  it('never hold a public link’s token: whoever reads them could open the document until it expires', async () => {
    const camille = await t.signIn();
    // « Coopération » is classified Interne in the demo: made public for the link (cell QC).
    await t.entente.stores.cells.QC.db.updateTable('spaces').set({ classification: 'public' }).where('id', '=', '019ac9f0-0000-7000-8000-0000000e0001').execute();
    const created = await fetch(`${t.baseUrl}/api/documents/019ac9f0-0000-7000-8000-0000000d0001/share-links`, {
      method: 'POST',
      headers: { ...camille.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'reader', reach: 'public', expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
    });
    expect(created.status).toBe(201);
    const token = String(((await created.json()) as { url: string }).url.split('/').pop());
    expect(token.length).toBeGreaterThan(20);
    expect((await fetch(`${t.baseUrl}/p/${token}`)).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/partage/${token}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const all = lines.join('\n');
    expect(all).toContain('"path":"/p/[redacted]"');
    expect(all).toContain('"path":"/partage/[redacted]"');
    expect(all).not.toContain(token);
  });
});

describe('/metrics', () => {
  it('asks for the operator’s token when one is configured', async () => {
    t.entente.config.metricsToken = 'operator-metrics-token-123';
    try {
      const anonymous = await fetch(`${t.baseUrl}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
      const wrong = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const operator = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer operator-metrics-token-123' } });
      expect(operator.status).toBe(200);
      expect(await operator.text()).toContain('entente_http_request_duration_seconds');
    } finally {
      t.entente.config.metricsToken = null;
    }
  });
});
