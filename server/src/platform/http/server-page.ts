import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { LOCALE_COOKIE, type Locale, negotiateLocale } from '../../../../common/src/i18n/locales.ts';
import { escapeHtml } from '../mail/html.ts';
import { readCookie } from './cookies.ts';

/**
 * Server-rendered pages outside the web app (the OpenID provider's errors and logout, the demo
 * identity providers' pages): localised, escaped, no script at all, one style block allowed by its
 * hash in the page's own CSP.
 */
export interface ServerPages {
  /** The CSP of these pages; `formOrigins`: where a form may lead besides this site. */
  csp(formOrigins?: readonly string[]): string;
  /** A whole page: `title` is escaped here, `body` must already be safe HTML. */
  render(locale: Locale, title: string, body: string): string;
}

export function serverPages(style: string): ServerPages {
  const styleHash = createHash('sha256').update(style).digest('base64');
  return {
    csp(formOrigins = []) {
      const actions = ["'self'", ...formOrigins].join(' ');
      return `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action ${actions}; frame-ancestors 'none'`;
    },
    render(locale, title, body) {
      return `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} – Entente</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
    },
  };
}

/** The reader's language from the raw headers: the `entente_lang` cookie, then Accept-Language. */
export function localeOf(headers: IncomingHttpHeaders): Locale {
  const accept = headers['accept-language'];
  return negotiateLocale(typeof accept === 'string' ? accept : undefined, readCookie(headers.cookie, LOCALE_COOKIE));
}
