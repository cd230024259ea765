import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { readCookie } from '../http/cookies.ts';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import { LOCALE_COOKIE, type Locale, negotiateLocale } from '../../../../common/src/i18n/locales.ts';
import { type DemoMail, listDemoOutbox, type MailCells } from './demo-outbox.ts';
import { escapeHtml } from './html.ts';

const STYLE = `
body{margin:0;padding:1rem;font-family:Marianne,Arial,sans-serif;line-height:1.5;color:#161616;background:#fff}
main{max-width:80rem;margin:0 auto}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:bold;padding:.5rem 0}
th,td{border:1px solid #929292;padding:.5rem;text-align:left;vertical-align:top}
thead th{background:#eee}
.body{white-space:pre-wrap;overflow-wrap:anywhere}
`;
// The page's only style is this block: allowed by its hash, nothing else is (no script at all).
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function row(mail: DemoMail, t: (key: string, values?: Record<string, string | number | Date>) => string): string {
  // Each mail is in its own language: say so, for screen readers (WCAG 3.1.2, language of parts).
  const lang = escapeHtml(mail.locale);
  return `<tr>
<td><time datetime="${escapeHtml(mail.createdAt.toISOString())}">${escapeHtml(t('mail.demoOutbox.date', { date: mail.createdAt }))}</time></td>
<td>${escapeHtml(t(`mail.demoOutbox.cell.${mail.jurisdiction}`))}</td>
<td>${escapeHtml(mail.to)}</td>
<th scope="row" lang="${lang}">${escapeHtml(mail.subject)}</th>
<td lang="${lang}"><div class="body">${escapeHtml(mail.text)}</div></td>
</tr>`;
}

/** The demo outbox as a small, self-contained HTML page, in the reader's language. */
export function renderDemoOutboxPage(locale: Locale, mails: readonly DemoMail[]): string {
  const t = (key: string, values?: Record<string, string | number | Date>) => formatMessage(locale, key, values);
  const title = escapeHtml(t('mail.demoOutbox.title'));
  const columns = ['date', 'cell', 'to', 'subject', 'body']
    .map((column) => `<th scope="col">${escapeHtml(t(`mail.demoOutbox.column.${column}`))}</th>`)
    .join('');
  const table =
    mails.length === 0
      ? `<p>${escapeHtml(t('mail.demoOutbox.empty'))}</p>`
      : `<table>
<caption>${escapeHtml(t('mail.demoOutbox.caption', { count: mails.length }))}</caption>
<thead><tr>${columns}</tr></thead>
<tbody>
${mails.map((mail) => row(mail, t)).join('\n')}
</tbody>
</table>`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} – Entente</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>${escapeHtml(t('mail.demoOutbox.intro'))}</p>
${table}
</main>
</body>
</html>
`;
}

/**
 * Serves GET /demo/outbox: the mails demo mode kept instead of sending, from both cells. To be
 * registered in demo mode only. It shows recipients' addresses and, later, links that sign in or
 * accept invitations: `allow` decides who may see it (the composition root allows the local
 * machine and operators).
 */
export function registerDemoOutboxPage(
  app: FastifyInstance,
  deps: { cells: MailCells; limit?: number; allow: (request: FastifyRequest) => Promise<boolean> },
): void {
  app.get('/demo/outbox', { schema: { hide: true } }, async (request, reply) => {
    if (!(await deps.allow(request))) throw new AppError('forbidden');
    const locale = negotiateLocale(request.headers['accept-language'], readCookie(request.headers.cookie, LOCALE_COOKIE));
    const mails = await listDemoOutbox(deps.cells, { limit: deps.limit ?? 100 });
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-language', locale)
      .header('cache-control', 'no-store')
      .header('content-security-policy', CSP)
      .header('vary', 'accept-language, cookie')
      .send(renderDemoOutboxPage(locale, mails));
  });
}
