import type { FastifyBaseLogger } from 'fastify';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';

/** Values of a template's placeholders. */
export type MailParams = Readonly<Record<string, string | number>>;

export interface MailMessage {
  /** The recipient's home cell: where a demo mail is kept, and what logs may name instead of the address. */
  jurisdiction: Jurisdiction;
  to: string;
  locale: Locale;
  /** A name from MAIL_TEMPLATES (templates.ts). */
  template: string;
  params: MailParams;
}

/** Sends the mails of Entente, rendered from the catalog in the recipient's language. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export type MailLogger = Pick<FastifyBaseLogger, 'error' | 'warn' | 'info'>;
