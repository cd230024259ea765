import type { AuthKey } from '@entente/common/i18n/catalog/auth.ts';
import { formatMessage, hasMessage } from '@entente/common/i18n/format.ts';
import { useEffect, useId, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { getJson } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Page } from '../Page.tsx';
import { useSession } from '../session.ts';

interface Provider {
  name: string;
  label: Record<string, string>;
  jurisdiction: 'FR' | 'QC';
  demo: boolean;
}

/**
 * Identity-first sign-in (as ProConnect does): the agent types their work email, the server
 * routes it to the federation of its domain. One button per federation as well. Plain HTML forms
 * and links to /auth/login: it works without JavaScript, and the server does the redirecting.
 */
/** The address last typed here, in this tab's session storage (`erreur` pages prefill it). */
const TYPED_EMAIL = 'entente.signIn.email';

export function SignInPage() {
  const { locale } = useI18n();
  const a = (key: AuthKey, values?: Record<string, string>) => formatMessage(locale, key, values);
  const [params] = useSearchParams();
  const [providers, setProviders] = useState<Provider[]>([]);
  const emailId = useId();
  const hintId = useId();
  const error = params.get('erreur');
  const errorKnown = error !== null && /^[a-z_]{1,60}$/.test(error) && hasMessage(`errors.${error}.title`);
  const returnTo = params.get('retour') ?? '/';
  const session = useSession();

  useEffect(() => {
    const abort = new AbortController();
    getJson<{ providers: Provider[] }>('/api/auth/providers', abort.signal)
      .then(({ providers }) => setProviders(providers))
      .catch(() => {}); // no list: the email form is enough
    return () => abort.abort();
  }, []);

  const label = (p: Provider) => p.label[locale] ?? p.label['fr-FR'] ?? p.name;
  // Already signed in (a bookmark, the back button): on to the page asked for. An error to read stays.
  if (session.state === 'signedIn' && error === null) return <Navigate to={onThisSite(returnTo)} replace />;
  return (
    <Page title={a('auth.signIn.title')} className="sign-in">
      {error !== null && (
        <div className="alert alert-error" role="alert">
          <h2>{a('auth.signIn.errorHeading')}</h2>
          <p>
            <strong>{formatMessage(locale, errorKnown ? `errors.${error}.title` : 'errors.sign_in_failed.title')}</strong>
          </p>
          <p>
            {formatMessage(locale, errorKnown ? `errors.${error}.detail` : 'errors.sign_in_failed.detail', {
              domain: params.get('domaine') ?? '',
              requestId: '—',
            })}
          </p>
        </div>
      )}
      <p className="lead">{a('auth.signIn.intro')}</p>
      <form
        className="sign-in-form"
        method="get"
        action="/auth/login"
        onSubmit={(event) => {
          const typed = new FormData(event.currentTarget).get('email');
          if (typeof typed === 'string') sessionStorage.setItem(TYPED_EMAIL, typed);
        }}
      >
        <label htmlFor={emailId}>{a('auth.signIn.email')}</label>
        <p id={hintId} className="hint">
          {a('auth.signIn.emailHint')}
        </p>
        <input
          id={emailId}
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-describedby={hintId}
          // Sent back here with an error (an administration not recognised): the address typed is
          // still there to correct, kept in this tab only (never in the address bar).
          defaultValue={error !== null ? (sessionStorage.getItem(TYPED_EMAIL) ?? '') : ''}
        />
        <input type="hidden" name="returnTo" value={returnTo} />
        <button type="submit" className="button">
          {a('auth.signIn.continue')}
        </button>
      </form>
      {providers.length > 0 && (
        <section aria-labelledby={`${hintId}-providers`}>
          <h2 id={`${hintId}-providers`}>{a('auth.signIn.orChoose')}</h2>
          <ul className="provider-list">
            {providers.map((p) => (
              <li key={p.name}>
                <a className="button button-secondary" href={`/auth/login?${new URLSearchParams({ upstream: p.name, returnTo })}`}>
                  {a('auth.signIn.with', { provider: label(p) })}
                </a>
              </li>
            ))}
          </ul>
          {providers.some((p) => p.demo) && <p className="hint">{a('auth.signIn.demoNote')}</p>}
        </section>
      )}
    </Page>
  );
}

/** A path of this site (the server checks `retour` again at /auth/login; this one is for the client's own redirect). */
function onThisSite(path: string): string {
  const controls = [...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  return /^\/(?![/\\])/.test(path) && !controls ? path : '/';
}
