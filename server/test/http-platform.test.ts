import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const url = (path: string) => `${t.baseUrl}${path}`;

describe('HTTP platform', () => {
  it('is alive and ready, with details per store', async () => {
    expect((await fetch(url('/healthz'))).status).toBe(200);
    const ready = await fetch(url('/readyz'));
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect(body.ready).toBe(true);
    expect(Object.keys(body.checks).sort()).toEqual(['cell FR', 'cell QC', 'control', 'events', 'keys FR', 'keys QC', 'malware scanner', 'objects FR', 'objects QC']);
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
  });

  it('answers unknown routes with a localised problem+json 404', async () => {
    const fr = await fetch(url('/api/nothing-here'));
    expect(fr.status).toBe(404);
    expect(fr.headers.get('content-type')).toContain('application/problem+json');
    const body = (await fr.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'urn:entente:problem:not-found', title: 'Introuvable', status: 404 });
    expect(body.requestId).toBe(fr.headers.get('x-request-id'));
    const en = await fetch(url('/api/nothing-here'), { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(((await en.json()) as { title: string }).title).toBe('Not found');
    const cookie = await fetch(url('/api/nothing-here'), { headers: { cookie: 'entente_lang=en' } });
    expect(((await cookie.json()) as { title: string }).title).toBe('Not found');
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const response = await fetch(url('/healthz'), { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(((await response.json()) as { type: string }).type).toBe('urn:entente:problem:method-not-allowed');
  });

  it('sends security headers and a strict CSP', async () => {
    const response = await fetch(url('/healthz'));
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a well-formed incoming request id and replaces a hostile one', async () => {
    const kept = await fetch(url('/healthz'), { headers: { 'x-request-id': 'trace-12345678' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-12345678');
    const replaced = await fetch(url('/healthz'), { headers: { 'x-request-id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes OpenAPI 3.1 and a reference page', async () => {
    const spec = (await (await fetch(url('/api/openapi.json'))).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/me', '/api/me/sessions/{sessionId}', '/readyz']));
    const docs = await fetch(url('/api/docs'), { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('serves Prometheus metrics', async () => {
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(metrics).toContain('entente_http_request_duration_seconds');
    expect(metrics).toContain('entente_process_cpu_user_seconds_total');
  });

  it('answers a malformed URL with a problem, not a bare framework error', async () => {
    const response = await rawRequest('GET /api/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400/);
    expect(response).toContain('application/problem+json');
    expect(response).toContain('urn:entente:problem:bad-request');
  });

  it('survives a hostile Host header on the collaboration upgrade', async () => {
    const response = await rawRequest(
      'GET /collab HTTP/1.1\r\nHost: a b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    // The Host header plays no part in the upgrade (a fixed base URL is used): it may proceed, and
    // above all the process must still be there.
    expect(response).toMatch(/^HTTP\/1\.1 /);
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('shows readiness details to operators only when a metrics token is configured', async () => {
    t.entente.config.metricsToken = 'operator-metrics-token-123';
    try {
      const publicView = (await (await fetch(url('/readyz'))).json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
      expect(publicView.checks.control).toEqual({ ok: true });
      const operatorView = (await (
        await fetch(url('/readyz'), { headers: { authorization: 'Bearer operator-metrics-token-123' } })
      ).json()) as { checks: Record<string, { detail?: string }> };
      expect(operatorView.checks.control?.detail).toContain('migrated');
    } finally {
      t.entente.config.metricsToken = null;
    }
  });
});

/** A request written by hand, for what fetch refuses to send (malformed URLs, hostile headers). */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(t.baseUrl).port), '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}
