import { formatMessage, type MessageValues } from '../../../../../common/src/i18n/format.ts';
import type { Locale } from '../../../../../common/src/i18n/locales.ts';
import { serverPages } from '../../../platform/http/server-page.ts';
import { escapeHtml } from '../../../platform/mail/html.ts';
import type { DemoIdpAccount, DemoIdpName } from './accounts.ts';

/**
 * The demo providers' own pages (login, error, logout): server-rendered, escaped, localised, no
 * script at all, one style block allowed by its hash in a page-specific CSP.
 */
const STYLE = `
body{margin:0;padding:1rem;font-family:Marianne,Arial,sans-serif;line-height:1.5;color:#161616;background:#fff}
main{max-width:40rem;margin:0 auto}
.notice{border-left:.25rem solid #b34000;background:#fff4f3;padding:.5rem 1rem}
fieldset{border:1px solid #929292;margin:1rem 0;padding:.5rem 1rem}
label{display:inline-block;padding:.25rem 0}
.hint{color:#3a3a3a;font-size:.9rem;margin:0 0 .5rem 1.75rem}
button{font:inherit;padding:.5rem 1rem;background:#000091;color:#fff;border:0;cursor:pointer}
button.secondary{background:#fff;color:#000091;border:1px solid #000091}
:focus-visible{outline:2px solid #0a76f6;outline-offset:2px}
`;
const PAGES = serverPages(STYLE);

/** The page's CSP: its style block, no script, forms only to itself and to the clients' origins. */
export const pageCsp = (formOrigins: readonly string[]): string => PAGES.csp(formOrigins);
const page = PAGES.render;

export interface LoginPageInput {
  locale: Locale;
  idp: DemoIdpName;
  clientName: string;
  action: string;
  accounts: readonly DemoIdpAccount[];
  /** The address the agent typed at Entente (`login_hint`): that agent is chosen already. */
  loginHint?: string;
  levels: { withFactor: string; withoutFactor: string };
  secondFactorRequired: boolean;
}

export function renderLoginPage(input: LoginPageInput): string {
  const t = (key: string, values?: MessageValues) => escapeHtml(formatMessage(input.locale, key, values));
  const hinted = input.accounts.findIndex((a) => a.email.toLowerCase() === input.loginHint?.trim().toLowerCase());
  const chosen = Math.max(hinted, 0);
  const agents = input.accounts
    .map((account, index) => {
      const id = `agent-${index}`;
      return `<div><input type="radio" name="agent" id="${id}" value="${escapeHtml(account.sub)}" required${index === chosen ? ' checked' : ''} aria-describedby="${id}-hint">
<label for="${id}">${escapeHtml(account.displayName)} — ${escapeHtml(account.organisationName)}</label>
<p class="hint" id="${id}-hint">${t('ui.demoIdp.agent.email', { email: account.email })}</p></div>`;
    })
    .join('\n');
  const required = input.secondFactorRequired ? `<p id="second-factor-required">${t('ui.demoIdp.secondFactor.required')}</p>` : '';
  return page(
    input.locale,
    formatMessage(input.locale, `ui.demoIdp.title.${input.idp}`),
    `<p class="notice"><strong>${t(`ui.demoIdp.notice.${input.idp}`)}</strong></p>
<p>${t('ui.demoIdp.client', { client: input.clientName })}</p>
<form method="post" action="${escapeHtml(input.action)}">
<fieldset>
<legend>${t('ui.demoIdp.agents.legend')}</legend>
${agents}
</fieldset>
<fieldset>
${required}
<input type="checkbox" name="second_factor" id="second-factor" value="on"${input.secondFactorRequired ? ' checked' : ''} aria-describedby="second-factor-hint">
<label for="second-factor">${t('ui.demoIdp.secondFactor.label')}</label>
<p class="hint" id="second-factor-hint">${t('ui.demoIdp.secondFactor.hint', input.levels)}</p>
</fieldset>
<button type="submit">${t('ui.demoIdp.submit')}</button>
<button type="submit" name="action" value="cancel" formnovalidate class="secondary">${t('ui.demoIdp.cancel')}</button>
</form>`,
  );
}

/** An error page; `detail` is a protocol library's English description, marked as such. */
export function renderErrorPage(locale: Locale, messageKey: string, values?: MessageValues, detail?: string): string {
  const technical = detail
    ? `\n<p>${escapeHtml(formatMessage(locale, 'ui.demoIdp.error.detail'))} <span lang="en">${escapeHtml(detail.slice(0, 500))}</span></p>`
    : '';
  return page(
    locale,
    formatMessage(locale, 'ui.demoIdp.error.title'),
    `<p role="alert">${escapeHtml(formatMessage(locale, messageKey, values))}</p>${technical}`,
  );
}

/** oidc-provider's logout confirmation: its `form` (a hidden xsrf field) plus our buttons. */
export function renderLogoutPage(locale: Locale, form: string): string {
  const t = (key: string) => escapeHtml(formatMessage(locale, key));
  // `form` is oidc-provider's own markup (a form with an id and a hidden xsrf input), not user input.
  return page(
    locale,
    formatMessage(locale, 'ui.demoIdp.logout.title'),
    `<p>${t('ui.demoIdp.logout.question')}</p>
${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">${t('ui.demoIdp.logout.yes')}</button>
<button type="submit" form="op.logoutForm" class="secondary">${t('ui.demoIdp.logout.no')}</button>`,
  );
}

export function renderLogoutDonePage(locale: Locale): string {
  return page(locale, formatMessage(locale, 'ui.demoIdp.logout.title'), `<p>${escapeHtml(formatMessage(locale, 'ui.demoIdp.logout.done'))}</p>`);
}
