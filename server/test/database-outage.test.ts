import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { freshTestEnv, type TestEnv, testDatabaseUrl } from './support/db.ts';

/**
 * PostgreSQL going away at run time: /readyz turns 503 and requests fail with a clean problem,
 * then both recover when it is back. The outage is a TCP proxy between Entente and PostgreSQL
 * that the test closes and reopens. (PGlite runs in the process: it cannot go away.)
 */
const url = testDatabaseUrl();

describe.skipIf(!url)('database outage at run time (PostgreSQL)', () => {
  let t: TestApp;
  let proxy: net.Server;
  const sockets = new Set<net.Socket>();
  let port = 0;
  const upstream = url ? new URL(url) : null;

  const openProxy = () =>
    new Promise<void>((resolve) => {
      proxy = net.createServer((client) => {
        const server = net.connect(Number(upstream?.port || 5432), upstream?.hostname ?? '127.0.0.1');
        for (const s of [client, server]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(server).pipe(client);
      });
      proxy.listen(port, '127.0.0.1', () => {
        port = (proxy.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const closeProxy = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      proxy.close(() => resolve());
    });

  let env: TestEnv;
  beforeAll(async () => {
    await openProxy();
    env = await freshTestEnv();
    const proxied = new URL(env.env.DATABASE_URL as string);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(port);
    t = await startTestApp({ env: { DATABASE_URL: proxied.href } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await env?.dispose();
    await closeProxy().catch(() => {});
  });

  it('turns /readyz to 503 and fails requests cleanly, then recovers', async () => {
    expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(200);
    await closeProxy();
    const down = await fetch(`${t.baseUrl}/readyz`);
    expect(down.status).toBe(503);
    const report = (await down.json()) as { checks: Record<string, { ok: boolean; detail: string }> };
    expect(report.checks.control?.ok).toBe(false);
    const request = await fetch(`${t.baseUrl}/api/organisations`);
    expect(request.status).toBe(503);
    expect(request.headers.get('retry-after')).toBe('5');
    expect(request.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(await request.json())).not.toContain('127.0.0.1');
    await openProxy();
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await fetch(`${t.baseUrl}/readyz`)).status;
    }
    expect(status).toBe(200);
    expect((await fetch(`${t.baseUrl}/api/organisations`)).status).toBe(200);
  });
});
