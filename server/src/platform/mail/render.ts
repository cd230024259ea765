import { formatMessage } from '../../../../common/src/i18n/format.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import { MailParamsError, UnknownMailTemplateError } from './errors.ts';
import { escapeHtml } from './html.ts';
import type { MailParams } from './mailer.ts';
import { isMailTemplateName, MAIL_TEMPLATES } from './templates.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Collapses line breaks and runs of spaces: a subject is one line (no header injection through a param). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function checkParams(template: string, expected: readonly string[], params: MailParams): void {
  const missing = expected.filter((name) => !Object.hasOwn(params, name));
  const unknown = Object.keys(params).filter((name) => !expected.includes(name));
  if (missing.length > 0) throw new MailParamsError(template, `missing ${missing.join(', ')}`);
  if (unknown.length > 0) throw new MailParamsError(template, `unexpected ${unknown.join(', ')}`);
  for (const name of expected) {
    const value = params[name];
    if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string') {
      throw new MailParamsError(template, `${name} must be a string or a finite number`);
    }
  }
}

function paragraphs(text: string): string[] {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
}

/**
 * Renders a mail in the recipient's language. Catalog messages are plain text; so is every
 * parameter. The text version is that text; the HTML version is the same text escaped as a whole
 * (literal text and parameters alike), so no parameter can inject markup.
 */
export function renderMail(template: string, locale: Locale, params: MailParams, context: { publicUrl: URL }): RenderedMail {
  if (!isMailTemplateName(template)) throw new UnknownMailTemplateError(template);
  const definition = MAIL_TEMPLATES[template];
  checkParams(template, definition.params, params);
  const subject = oneLine(formatMessage(locale, definition.subject, params));
  const body = paragraphs(formatMessage(locale, definition.body, params));
  const signature = formatMessage(locale, 'mail.signature');
  const footer = formatMessage(locale, 'mail.footer', { url: context.publicUrl.href });

  // "-- " on its own line is the conventional signature separator mail clients recognise.
  const text = `${body.join('\n\n')}\n\n-- \n${signature}\n\n${footer}\n`;

  const htmlParagraph = (paragraph: string) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>\n')}</p>`;
  const html = `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:16px;font-family:Marianne,Arial,sans-serif;font-size:16px;line-height:1.5;color:#161616;background:#ffffff">
<div style="max-width:40em;margin:0 auto">
${body.map(htmlParagraph).join('\n')}
<p>${escapeHtml(signature)}</p>
<hr style="border:0;border-top:1px solid #929292">
<p style="font-size:14px;color:#3a3a3a">${escapeHtml(footer)}</p>
</div>
</body>
</html>
`;
  return { subject, text, html };
}
