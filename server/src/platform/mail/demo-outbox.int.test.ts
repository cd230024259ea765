import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestStores } from '../../../test/support/db.ts';
import { loadConfig } from '../../config.ts';
import { createMailer } from './create-mailer.ts';
import { DemoOutboxMailer, listDemoOutbox, type MailCells } from './demo-outbox.ts';
import { registerDemoOutboxPage, renderDemoOutboxPage } from './demo-outbox-page.ts';
import { InvalidRecipientError, MailNotConfiguredError } from './errors.ts';
import type { MailLogger } from './mailer.ts';
import { SmtpMailer } from './smtp-mailer.ts';

function fakeLogger() {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn() } satisfies MailLogger;
}

let env: Awaited<ReturnType<typeof openTestStores>>;
let cells: MailCells;
const publicUrl = new URL('https://entente.example.org');

beforeAll(async () => {
  env = await openTestStores();
  cells = { FR: env.stores.cells.FR.db, QC: env.stores.cells.QC.db };
});
afterAll(async () => {
  await env?.close();
});

async function addresses(cell: keyof MailCells): Promise<string[]> {
  const rows = await cells[cell].selectFrom('mail_outbox').select('to').execute();
  return rows.map((row) => row.to);
}

describe('DemoOutboxMailer', () => {
  it('keeps each mail, rendered, in the recipient’s home cell only', async () => {
    const logger = fakeLogger();
    const mailer = new DemoOutboxMailer({ cells, publicUrl, logger });
    await mailer.send({ jurisdiction: 'QC', to: 'lea@quebec.example', locale: 'fr-CA', template: 'test', params: { name: 'Léa' } });
    await mailer.send({ jurisdiction: 'FR', to: 'camille@france.example', locale: 'fr-FR', template: 'test', params: { name: 'Camille' } });
    expect(await addresses('QC')).toEqual(['lea@quebec.example']);
    expect(await addresses('FR')).toEqual(['camille@france.example']);
    const stored = await cells.QC.selectFrom('mail_outbox').select(['subject', 'text', 'html', 'locale']).executeTakeFirstOrThrow();
    expect(stored.subject).toBe('Courriel de test d’Entente');
    expect(stored.text).toContain('Bonjour Léa,');
    expect(stored.html).toContain('<html lang="fr-CA">');
    expect(stored.locale).toBe('fr-CA');
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain('@');
  });

  it('refuses a recipient that is not one plain address', async () => {
    const mailer = new DemoOutboxMailer({ cells, publicUrl, logger: fakeLogger() });
    for (const to of ['a@b.example, c@d.example', 'x@y.example\r\nBcc: z@w.example', 'no-at-sign', 'Name <a@b.example>']) {
      await expect(
        mailer.send({ jurisdiction: 'FR', to, locale: 'fr-FR', template: 'test', params: { name: 'X' } }),
      ).rejects.toBeInstanceOf(InvalidRecipientError);
    }
  });

  it('lists both cells merged, newest first', async () => {
    const mailer = new DemoOutboxMailer({ cells, publicUrl, logger: fakeLogger() });
    await mailer.send({ jurisdiction: 'FR', to: 'later@france.example', locale: 'en', template: 'test', params: { name: 'Later' } });
    const mails = await listDemoOutbox(cells);
    expect(mails.map((mail) => [mail.jurisdiction, mail.to])).toEqual([
      ['FR', 'later@france.example'],
      ['FR', 'camille@france.example'],
      ['QC', 'lea@quebec.example'],
    ]);
    expect((await listDemoOutbox(cells, { limit: 2 })).map((mail) => mail.to)).toEqual([
      'later@france.example',
      'camille@france.example',
    ]);
  });
});

describe('GET /demo/outbox', () => {
  async function page(headers: Record<string, string>) {
    const app = Fastify();
    registerDemoOutboxPage(app, { cells, allow: async () => true });
    try {
      return await app.inject({ method: 'GET', url: '/demo/outbox', headers });
    } finally {
      await app.close();
    }
  }

  it('shows the mails in an accessible, localised page', async () => {
    const response = await page({ 'accept-language': 'en-GB,en;q=0.9' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const html = response.body;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Demo outbox – Entente</title>');
    expect(html).toContain('<h1>Demo outbox</h1>');
    expect(html).toMatch(/<caption>3 mails, newest first<\/caption>/);
    expect(html).toContain('<th scope="col">Recipient</th>');
    expect(html).toContain('<th scope="row" lang="fr-CA">Courriel de test d’Entente</th>');
    expect(html).toContain('lea@quebec.example');
    expect(html).toContain('<td>Québec</td>');
  });

  it('follows the language cookie, and escapes what the mails hold', async () => {
    const mailer = new DemoOutboxMailer({ cells, publicUrl, logger: fakeLogger() });
    await mailer.send({
      jurisdiction: 'QC',
      to: 'x@quebec.example',
      locale: 'fr-CA',
      template: 'test',
      params: { name: '<img src=x onerror=alert(1)>' },
    });
    const response = await page({ 'accept-language': 'en', cookie: 'other=1; entente_lang=fr-CA' });
    expect(response.body).toContain('<html lang="fr-CA">');
    expect(response.body).toContain('<caption>4 courriels, du plus récent au plus ancien</caption>');
    expect(response.body).not.toContain('<img');
    expect(response.body).toContain('Bonjour &lt;img src=x onerror=alert(1)&gt;,');
  });

  it('ignores a malformed cookie (French by default) and says so when there is no mail', async () => {
    const response = await page({ cookie: 'entente_lang=%E0%A4%A' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<html lang="fr-FR">');
    const empty = renderDemoOutboxPage('fr-FR', []);
    expect(empty).toContain('Aucun message pour l’instant.');
    expect(empty).not.toContain('<table>');
  });
});

describe('createMailer', () => {
  it('picks SMTP when configured, the demo outbox in demo mode, and refuses otherwise', async () => {
    const deps = { cells, logger: fakeLogger() };
    const smtp = createMailer(loadConfig({ ENTENTE_DATA_DIR: '/nonexistent', ENTENTE_SMTP_URL: 'smtp://127.0.0.1:2525' }), deps);
    expect(smtp).toBeInstanceOf(SmtpMailer);
    (smtp as SmtpMailer).close();
    expect(createMailer(loadConfig({ ENTENTE_DATA_DIR: '/nonexistent' }), deps)).toBeInstanceOf(DemoOutboxMailer);
    const none = createMailer(loadConfig({ ENTENTE_DATA_DIR: '/nonexistent', ENTENTE_DEMO: 'false' }), deps);
    await expect(
      none.send({ jurisdiction: 'FR', to: 'a@b.example', locale: 'fr-FR', template: 'test', params: { name: 'A' } }),
    ).rejects.toBeInstanceOf(MailNotConfiguredError);
  });
});
