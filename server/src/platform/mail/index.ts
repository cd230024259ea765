/** Mail: localised templates, sent over SMTP or kept in the demo outbox of the recipient's cell. */
export { createMailer } from './create-mailer.ts';
export { type DemoMail, DemoOutboxMailer, listDemoOutbox, type MailCells, purgeDemoOutbox } from './demo-outbox.ts';
export { registerDemoOutboxPage, renderDemoOutboxPage } from './demo-outbox-page.ts';
export {
  InvalidRecipientError,
  MailDeliveryError,
  MailNotConfiguredError,
  MailParamsError,
  UnknownMailTemplateError,
} from './errors.ts';
export { escapeHtml } from './html.ts';
export type { MailLogger, Mailer, MailMessage, MailParams } from './mailer.ts';
export { type RenderedMail, renderMail } from './render.ts';
export { SmtpMailer, type SmtpMailerOptions } from './smtp-mailer.ts';
export { isMailTemplateName, MAIL_TEMPLATES, type MailTemplate, type MailTemplateName } from './templates.ts';
