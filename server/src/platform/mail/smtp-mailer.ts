import nodemailer, { type Mail } from 'nodemailer';
import { MailDeliveryError } from './errors.ts';
import type { MailLogger, Mailer, MailMessage } from './mailer.ts';
import { assertRecipient } from './recipient.ts';
import { renderMail } from './render.ts';

export interface SmtpMailerOptions {
  /** smtp:// or smtps:// URL, credentials included (ENTENTE_SMTP_URL); never logged. */
  smtpUrl: string;
  /** The From header (ENTENTE_MAIL_FROM). */
  from: string;
  publicUrl: URL;
  logger: MailLogger;
}

/** Sends mail through an SMTP server (production, or any deployment with ENTENTE_SMTP_URL). */
export class SmtpMailer implements Mailer {
  readonly #transport: Mail;
  readonly #from: string;
  readonly #publicUrl: URL;
  readonly #logger: MailLogger;

  constructor(options: SmtpMailerOptions) {
    this.#transport = nodemailer.createTransport(options.smtpUrl);
    this.#from = options.from;
    this.#publicUrl = options.publicUrl;
    this.#logger = options.logger;
  }

  async send(message: MailMessage): Promise<void> {
    assertRecipient(message.to);
    const rendered = renderMail(message.template, message.locale, message.params, { publicUrl: this.#publicUrl });
    try {
      await this.#transport.sendMail({
        from: this.#from,
        to: message.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: { 'Content-Language': message.locale, 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      // Logged by template and cell: the address is personal data, the server's answer may quote it.
      this.#logger.error({ template: message.template, cell: message.jurisdiction }, 'Mail could not be sent');
      throw new MailDeliveryError(message.template, error);
    }
    this.#logger.info({ template: message.template, cell: message.jurisdiction }, 'Mail sent');
  }

  /** For doctor: whether the SMTP server answers and accepts the credentials. */
  async check(): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.#transport.verify();
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  close(): void {
    this.#transport.close();
  }
}
