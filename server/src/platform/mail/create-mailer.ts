import type { Config } from '../../config.ts';
import { type MailCells, DemoOutboxMailer } from './demo-outbox.ts';
import { MailNotConfiguredError } from './errors.ts';
import type { MailLogger, Mailer } from './mailer.ts';
import { SmtpMailer } from './smtp-mailer.ts';

/**
 * SMTP when ENTENTE_SMTP_URL is set; otherwise, in demo mode, the demo outbox; otherwise a mailer
 * that refuses (production without SMTP: a mail is never silently dropped).
 */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl' | 'demo'>,
  deps: { cells: MailCells; logger: MailLogger },
): Mailer {
  if (config.smtpUrl) {
    return new SmtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, publicUrl: config.publicUrl, logger: deps.logger });
  }
  if (config.demo) return new DemoOutboxMailer({ cells: deps.cells, publicUrl: config.publicUrl, logger: deps.logger });
  return {
    send: async () => {
      throw new MailNotConfiguredError();
    },
  };
}
