import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/platform/logger.ts';
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
