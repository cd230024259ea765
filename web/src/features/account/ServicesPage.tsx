import { formatMessage, hasMessage } from '@entente/common/i18n/format.ts';
import { useRef, useState } from 'react';
import { getJson, send } from '../../app/api.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { AccountPage, ActionOutcome } from './AccountPage.tsx';
import { useAccountText } from './text.ts';
import { useLoad } from './useLoad.ts';

interface Grant {
  clientId: string;
  name: { 'fr-FR': string; en: string };
  scopes: string[];
  claims: string[];
  givenAt: string;
}

async function loadGrants(signal: AbortSignal): Promise<Grant[]> {
  return (await getJson<{ grants: Grant[] }>('/api/me/oidc/grants', signal)).grants;
}

/**
 * « Services connectés »: the services the agent consented to on Entente's consent page (the page
 * says the consent can be withdrawn from the account: here), with exactly what each receives, in
 * the consent page's own words. Withdrawing revokes the service's tokens at once.
 */
export function ServicesPage() {
  const text = useAccountText();
  const { a, locale } = text;
  const { loaded, reload } = useLoad(loadGrants);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [withdrawing, setWithdrawing] = useState<Grant | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const serviceName = (g: Grant) => (locale === 'en' ? g.name.en : g.name['fr-FR']);
  const claimLabel = (claim: string) => {
    const key = `oidc.consent.claim.${claim}`;
    return hasMessage(key) ? formatMessage(locale, key) : claim;
  };

  async function withdraw(grant: Grant) {
    setWithdrawing(null);
    setStatus('');
    setError('');
    try {
      await send('DELETE', `/api/me/oidc/grants/${encodeURIComponent(grant.clientId)}`);
      await reload();
      setStatus(a('account.services.withdrawn', { service: serviceName(grant) }));
      heading.current?.focus(); // the button pressed left with its line
    } catch {
      setError(a('account.services.withdrawFailed'));
    }
  }

  return (
    <AccountPage title={a('account.services.title')} loaded={loaded}>
      {(grants) => (
        <>
          <p className="lead">{a('account.services.intro')}</p>
          <ActionOutcome status={status} error={error} />
          <h2 ref={heading} tabIndex={-1}>
            {a('account.services.count', { count: grants.length })}
          </h2>
          {grants.length === 0 ? (
            <p>{a('account.services.none')}</p>
          ) : (
            <ul className="account-cards">
              {grants.map((grant) => {
                const headingId = `service-${grant.clientId}`;
                return (
                  <li key={grant.clientId} className="account-card" data-client-id={grant.clientId}>
                    <h3 id={headingId}>{serviceName(grant)}</h3>
                    <dl className="account-facts">
                      <div>
                        <dt>{a('account.services.given')}</dt>
                        <dd>
                          <time dateTime={grant.givenAt}>{text.dateTime(grant.givenAt)}</time>
                        </dd>
                      </div>
                      <div>
                        <dt>{a('account.services.receives')}</dt>
                        <dd>
                          <ul>
                            {['sub', ...grant.claims.filter((c) => c !== 'sub')].map((claim) => (
                              <li key={claim}>{claimLabel(claim)}</li>
                            ))}
                          </ul>
                        </dd>
                      </div>
                    </dl>
                    <button type="button" className="button button-secondary" aria-describedby={headingId} onClick={() => setWithdrawing(grant)}>
                      {a('account.services.withdraw')}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <ConfirmDialog
            open={withdrawing !== null}
            title={withdrawing ? a('account.services.confirmTitle', { service: serviceName(withdrawing) }) : ''}
            text={withdrawing ? a('account.services.confirmText', { service: serviceName(withdrawing) }) : ''}
            cancelLabel={a('account.cancel')}
            confirmLabel={a('account.services.withdraw')}
            onConfirm={() => withdrawing && void withdraw(withdrawing)}
            onCancel={() => setWithdrawing(null)}
          />
        </>
      )}
    </AccountPage>
  );
}
