import { formatMessage } from '@entente/common/i18n/format.ts';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useI18n } from '../../app/i18n.tsx';
import { Page } from '../../app/Page.tsx';

/** What `GET /api/oidc/interactions/:uid` answers (server/src/identity/provider/consent.ts). */
interface Interaction {
  uid: string;
  client: { id: string; name: { 'fr-FR': string; en: string } };
  claims: string[];
  scopes: string[];
  offlineAccess: boolean;
}

type State = { state: 'loading' } | { state: 'expired' } | { state: 'ready'; interaction: Interaction } | { state: 'sending'; interaction: Interaction };

/**
 * The consent page of Entente as OpenID provider: which service asks, exactly which information
 * it will receive, accept or refuse. The server sends the browser here from
 * `/oidc/interaction/:uid`; the answer goes back through the API, then the browser leaves for the
 * address the server gives (the service, through the provider).
 */
export function ConsentPage() {
  const { locale } = useI18n();
  const m = (key: string, values?: Record<string, string>) => formatMessage(locale, key, values);
  const { uid = '' } = useParams();
  const [state, setState] = useState<State>({ state: 'loading' });
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    fetch(`/api/oidc/interactions/${encodeURIComponent(uid)}`, { signal: abort.signal, headers: { accept: 'application/json' } })
      .then(async (response) => {
        if (response.status === 401) {
          window.location.assign(`/connexion?${new URLSearchParams({ retour: `/autorisation/${uid}` })}`);
          return;
        }
        if (!response.ok) return setState({ state: 'expired' });
        setState({ state: 'ready', interaction: (await response.json()) as Interaction });
      })
      .catch(() => {
        if (!abort.signal.aborted) setState({ state: 'expired' });
      });
    return () => abort.abort();
  }, [uid]);

  async function answer(interaction: Interaction, verb: 'consent' | 'abort') {
    setState({ state: 'sending', interaction });
    setFailed(false);
    try {
      const session = await fetch('/api/session', { headers: { accept: 'application/json' } });
      const { csrfToken } = (await session.json()) as { csrfToken: string };
      const response = await fetch(`/api/oidc/interactions/${encodeURIComponent(interaction.uid)}/${verb}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'x-csrf-token': csrfToken },
      });
      if (!response.ok) throw new Error(String(response.status));
      const { redirectTo } = (await response.json()) as { redirectTo: string };
      window.location.assign(redirectTo);
    } catch {
      setFailed(true);
      setState({ state: 'ready', interaction });
    }
  }

  if (state.state === 'loading') {
    return (
      <Page title={m('oidc.consent.loading')}>
        <p role="status">{m('oidc.consent.loading')}</p>
      </Page>
    );
  }
  if (state.state === 'expired') {
    return (
      <Page title={m('oidc.error.title')}>
        <p role="alert">{m('oidc.consent.expired')}</p>
      </Page>
    );
  }
  const { interaction } = state;
  const client = locale === 'en' ? interaction.client.name.en : interaction.client.name['fr-FR'];
  const sending = state.state === 'sending';
  return (
    <Page title={m('oidc.consent.title', { client })} className="consent">
      <p className="lead">{m('oidc.consent.intro', { client })}</p>
      <ul className="consent-claims">
        {interaction.claims.map((claim) => (
          <li key={claim}>{m(`oidc.consent.claim.${claim}`)}</li>
        ))}
      </ul>
      {interaction.offlineAccess && <p>{m('oidc.consent.offline', { client })}</p>}
      <p className="hint">{m('oidc.consent.remember')}</p>
      {failed && (
        <p className="alert alert-error" role="alert">
          {m('oidc.consent.failed')}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button" disabled={sending} onClick={() => void answer(interaction, 'consent')}>
          {m('oidc.consent.accept')}
        </button>{' '}
        <button type="button" className="button button-secondary" disabled={sending} onClick={() => void answer(interaction, 'abort')}>
          {m('oidc.consent.deny')}
        </button>
      </div>
    </Page>
  );
}
