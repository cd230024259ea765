import { formatMessage, type MessageValues } from '../../../../common/src/i18n/format.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import { serverPages } from '../../platform/http/server-page.ts';
import { escapeHtml } from '../../platform/mail/html.ts';

/**
 * The provider's own server-rendered pages (errors that cannot go back to the client, logout
 * confirmation): localised, escaped, no script, one style block allowed by its hash. The consent
 * page is the web app's (`/autorisation/:uid`).
 */
const STYLE = `
body{margin:0;padding:1rem;font-family:Marianne,Arial,sans-serif;line-height:1.5;color:#161616;background:#fff}
main{max-width:40rem;margin:0 auto}
button{font:inherit;padding:.5rem 1rem;margin:.25rem .5rem .25rem 0;background:#000091;color:#fff;border:0;cursor:pointer}
button.secondary{background:#fff;color:#000091;border:1px solid #000091}
a{color:#000091}
:focus-visible{outline:2px solid #0a76f6;outline-offset:2px}
`;
const PAGES = serverPages(STYLE);

/** The pages' CSP; `formOrigins`: where a form of the page may lead after redirects (a service's logout return). */
export const pageCsp = (formOrigins: readonly string[]): string => PAGES.csp(formOrigins);
export const PAGE_CSP = pageCsp([]);

/** Every provider page ends with the way back to Entente's home. */
function page(locale: Locale, title: string, body: string): string {
  return PAGES.render(locale, title, `${body}\n<p><a href="/">${escapeHtml(formatMessage(locale, 'oidc.page.home'))}</a></p>`);
}

/** An error the client cannot be told about (unknown client, redirect URI not registered…). */
export function renderProviderError(locale: Locale, code: string, values?: MessageValues): string {
  const known = ['invalid_request', 'invalid_client', 'invalid_redirect_uri', 'unauthorized_client', 'server_error', 'not_found', 'interaction', 'temporarily_unavailable'];
  const key = known.includes(code) ? `oidc.error.${code}` : 'oidc.error.other';
  return page(
    locale,
    formatMessage(locale, 'oidc.error.title'),
    `<p role="alert">${escapeHtml(formatMessage(locale, key, { code, ...values }))}</p>`,
  );
}

/** oidc-provider's logout confirmation: its `form` (hidden xsrf field) plus our two choices. */
export function renderLogoutPage(locale: Locale, form: string, clientName: string | null): string {
  const t = (key: string, values?: MessageValues) => escapeHtml(formatMessage(locale, key, values));
  // `form` is oidc-provider's own markup (a form with an id and a hidden xsrf input), not user input.
  return page(
    locale,
    formatMessage(locale, 'oidc.logout.title'),
    `<p>${clientName ? t('oidc.logout.from', { client: clientName }) : t('oidc.logout.question')}</p>
${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">${t('oidc.logout.everywhere')}</button>
<button type="submit" form="op.logoutForm" class="secondary">${t('oidc.logout.onlyThis')}</button>`,
  );
}

export function renderLogoutDonePage(locale: Locale): string {
  return page(locale, formatMessage(locale, 'oidc.logout.title'), `<p>${escapeHtml(formatMessage(locale, 'oidc.logout.done'))}</p>`);
}
