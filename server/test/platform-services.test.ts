import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeDemoOutbox } from '../src/platform/mail/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/** The platform services as the running server wires them: mail, events, jobs, audit. */
const redisUrl = process.env.ENTENTE_TEST_REDIS_URL?.trim() || '';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: redisUrl ? { REDIS_URL: redisUrl } : {} });
});
afterAll(async () => t?.close());

describe('mail in demo mode', () => {
  it('keeps the mail in the recipient’s home cell and lists it on the demo outbox page', async () => {
    await t.entente.mailer.send({
      jurisdiction: 'QC',
      to: 'emilie.tremblay@mcn.demo-gouv-qc.test',
      locale: 'fr-CA',
      template: 'test',
      params: { name: '<b>Émilie</b>' },
    });
    const inQc = await t.entente.stores.cells.QC.db.selectFrom('mail_outbox').select(['to']).execute();
    const inFr = await t.entente.stores.cells.FR.db.selectFrom('mail_outbox').select(['to']).execute();
    expect(inQc.map((m) => m.to)).toContain('emilie.tremblay@mcn.demo-gouv-qc.test');
    expect(inFr).toHaveLength(0);
    const page = await fetch(`${t.baseUrl}/demo/outbox`);
    expect(page.status).toBe(200);
    // Seen from another machine (through a local reverse proxy), it is not shown.
    const remote = await fetch(`${t.baseUrl}/demo/outbox`, { headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect(remote.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('Courriel de test d’Entente'); // the fr-CA subject
    expect(html).toContain('&lt;b&gt;Émilie&lt;/b&gt;');
    expect(html).not.toContain('<b>Émilie</b>');
  });

  it('forgets demo mails after a week', async () => {
    const cells = { FR: t.entente.stores.cells.FR.db, QC: t.entente.stores.cells.QC.db };
    expect(await purgeDemoOutbox(cells)).toBe(0);
    expect(await purgeDemoOutbox(cells, new Date(Date.now() + 8 * 24 * 3_600_000))).toBeGreaterThanOrEqual(1);
    expect(await t.entente.stores.cells.QC.db.selectFrom('mail_outbox').select('id').execute()).toHaveLength(0);
  });
});

describe('events', () => {
  it(`delivers a publish to subscribers (${redisUrl ? 'through Redis' : 'in process'})`, async () => {
    const received = new Promise<unknown>((resolve) => {
      const off = t.entente.events.subscribe('document.changed', (payload) => {
        off();
        resolve(payload);
      });
    });
    await new Promise((r) => setTimeout(r, 200)); // a Redis subscription is confirmed asynchronously
    await t.entente.events.publish('document.changed', { documentId: '019ac9f0-0000-7000-8000-0000000d0c02' });
    expect(await received).toEqual({ documentId: '019ac9f0-0000-7000-8000-0000000d0c02' });
    const ready = (await (await fetch(`${t.baseUrl}/readyz`)).json()) as { checks: Record<string, { ok: boolean; detail: string }> };
    expect(ready.checks.events).toMatchObject({ ok: true });
    expect(ready.checks.events?.detail).toContain(redisUrl ? 'redis' : 'in-process');
  });
});

describe('audit', () => {
  it('refuses a malformed action and keeps IP addresses out of the control plane', async () => {
    await expect(t.entente.audit.record({ action: 'DROP TABLE', outcome: 'success' })).rejects.toThrow();
    await t.entente.audit.record({ action: 'platform.config_viewed', outcome: 'success', ip: '203.0.113.9' });
    const [event] = await t.entente.audit.list({ action: 'platform.config_viewed', limit: 1 });
    expect(event).toMatchObject({ action: 'platform.config_viewed', ip: null });
    await t.entente.audit.record({ action: 'space.viewed', outcome: 'success', ip: '203.0.113.9', jurisdiction: 'FR' });
    const [inCell] = await t.entente.audit.list({ jurisdiction: 'FR', action: 'space.viewed', limit: 1 });
    expect(inCell?.ip).toBe('203.0.113.9');
  });
});

describe('demo features', () => {
  it('are absent when demo mode is off', async () => {
    const plain = await startTestApp({ env: { ENTENTE_DEMO: 'false' } });
    try {
      expect((await fetch(`${plain.baseUrl}/demo/outbox`)).status).toBe(404);
      const organisations = (await (await fetch(`${plain.baseUrl}/api/organisations`)).json()) as { organisations: unknown[] };
      expect(organisations.organisations).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });
});
