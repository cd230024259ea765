import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MailDeliveryError } from './errors.ts';
import type { MailLogger } from './mailer.ts';
import { decodeMail } from './mime.testing.ts';
import { SmtpMailer } from './smtp-mailer.ts';

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
}

function fakeLogger() {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn() } satisfies MailLogger;
}

let server: SMTPServer;
let port: number;
const received: Received[] = [];
/** Recipients the server refuses, as a real one refuses an unknown mailbox. */
const REFUSED = 'nobody@refused.example';

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED) callback(new Error('550 No such user'));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function mailer(logger: MailLogger = fakeLogger()) {
  return new SmtpMailer({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    from: 'Entente <no-reply@entente.example.org>',
    publicUrl: new URL('https://entente.example.org'),
    logger,
  });
}

describe('SmtpMailer', () => {
  it('hands a localised mail, text and HTML, to the SMTP server', async () => {
    const logger = fakeLogger();
    const smtp = mailer(logger);
    try {
      await smtp.send({
        jurisdiction: 'QC',
        to: 'lea.tremblay@quebec.example',
        locale: 'fr-CA',
        template: 'test',
        params: { name: 'Léa <Tremblay>' },
      });
    } finally {
      smtp.close();
    }
    const mail = received.at(-1);
    expect(mail?.to).toEqual(['lea.tremblay@quebec.example']);
    expect(mail?.from).toBe('no-reply@entente.example.org');
    const decoded = decodeMail(mail?.raw ?? '');
    expect(decoded.headers.get('subject')).toBe('Courriel de test d’Entente');
    expect(decoded.headers.get('to')).toBe('lea.tremblay@quebec.example');
    expect(decoded.headers.get('content-language')).toBe('fr-CA');
    expect(decoded.parts.get('text/plain')).toContain('Bonjour Léa <Tremblay>,');
    expect(decoded.parts.get('text/plain')).toContain('Ce courriel automatique vous est envoyé par Entente');
    expect(decoded.parts.get('text/html')).toContain('<html lang="fr-CA">');
    expect(decoded.parts.get('text/html')).toContain('Bonjour Léa &lt;Tremblay&gt;,');
    // Logs name the template and the cell, never the address.
    expect(logger.info).toHaveBeenCalledWith({ template: 'test', cell: 'QC' }, 'Mail sent');
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain('quebec.example');
  });

  it('reports a refusal as a MailDeliveryError, without the address in logs', async () => {
    const logger = fakeLogger();
    const smtp = mailer(logger);
    try {
      await expect(
        smtp.send({ jurisdiction: 'FR', to: REFUSED, locale: 'fr-FR', template: 'test', params: { name: 'X' } }),
      ).rejects.toBeInstanceOf(MailDeliveryError);
    } finally {
      smtp.close();
    }
    expect(JSON.stringify(logger.error.mock.calls)).not.toContain('refused.example');
  });

  it('says in check() whether the server answers', async () => {
    const smtp = mailer();
    const down = new SmtpMailer({
      smtpUrl: 'smtp://127.0.0.1:1',
      from: 'x@example.org',
      publicUrl: new URL('https://entente.example.org'),
      logger: fakeLogger(),
    });
    try {
      expect(await smtp.check()).toEqual({ ok: true });
      expect((await down.check()).ok).toBe(false);
    } finally {
      smtp.close();
      down.close();
    }
  });
});
