import { useEffect, useId, useRef, useState } from 'react';
import { getJson, send } from '../../app/api.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { AccountPage, ActionOutcome } from './AccountPage.tsx';
import { CreateTokenForm } from './CreateTokenForm.tsx';
import type { AccessToken } from './api.ts';
import { useAccountText } from './text.ts';
import { useLoad } from './useLoad.ts';

async function loadTokens(signal: AbortSignal): Promise<AccessToken[]> {
  return (await getJson<{ tokens: AccessToken[] }>('/api/me/tokens', signal)).tokens;
}

/**
 * The token just created, shown once: the server never answers it again. Focus moves here, so
 * that the warning is read before anything else; « J'ai copié le jeton » forgets it.
 */
function CreatedToken({ created, onDone }: { created: AccessToken & { token: string }; onDone: () => void }) {
  const { a } = useAccountText();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => heading.current?.focus(), []);

  async function copyToken() {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopy('copied');
    } catch {
      // No clipboard (permissions, old browser): select it for the agent to copy.
      input.current?.select();
      setCopy('failed');
    }
  }

  return (
    <section className="account-created" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        {a('account.tokens.created.title')}
      </h2>
      <p className="account-warning" id={`${id}-warning`}>
        <strong>{a('account.tokens.created.warning')}</strong>
      </p>
      <label htmlFor={`${id}-value`}>{a('account.tokens.created.value', { label: created.label })}</label>
      <div className="account-token-row">
        <input
          id={`${id}-value`}
          ref={input}
          className="account-token"
          type="text"
          readOnly
          value={created.token}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${id}-warning`}
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={() => void copyToken()}>
          {a('account.tokens.created.copy')}
        </button>
      </div>
      <p role="status" className={copy === 'idle' ? 'account-status-empty' : 'hint'}>
        {copy === 'copied' && a('account.tokens.created.copied')}
        {copy === 'failed' && a('account.tokens.created.copyFailed')}
      </p>
      <button type="button" className="button button-secondary" onClick={onDone}>
        {a('account.tokens.created.done')}
      </button>
    </section>
  );
}

/** « Jetons d'accès »: create (shown once), list, revoke (after a confirmation). */
export function TokensPage() {
  const text = useAccountText();
  const { a } = text;
  const { loaded, reload } = useLoad(loadTokens);
  const [created, setCreated] = useState<(AccessToken & { token: string }) | null>(null);
  const [revoking, setRevoking] = useState<AccessToken | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const listHeading = useRef<HTMLHeadingElement>(null);
  const now = Date.now();

  async function revoke(token: AccessToken) {
    setRevoking(null);
    setError('');
    try {
      await send('DELETE', `/api/me/tokens/${encodeURIComponent(token.id)}`);
      // A revoked token's secret is worth nothing: no longer shown, nor offered to copy.
      setCreated((shown) => (shown?.id === token.id ? null : shown));
      await reload();
      setStatus(a('account.tokens.revokedAnnounce', { label: token.label }));
      listHeading.current?.focus();
    } catch {
      setError(a('account.tokens.failed'));
    }
  }

  return (
    <AccountPage title={a('account.tokens.title')} loaded={loaded}>
      {(tokens) => (
        <>
          <p className="lead">{a('account.tokens.intro')}</p>
          <ActionOutcome status={status} error={error} />
          {created && (
            <CreatedToken
              key={created.id}
              created={created}
              onDone={() => {
                setCreated(null);
                listHeading.current?.focus();
              }}
            />
          )}

          <div>
            <h2 id="tokens-list" ref={listHeading} tabIndex={-1}>
              {a('account.tokens.list')}
            </h2>
            {tokens.length === 0 ? (
              <p>{a('account.tokens.none')}</p>
            ) : (
              // Scrolls sideways on a small screen; focusable so that the keyboard can scroll it.
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
              <section className="account-table-scroll" aria-labelledby="tokens-list" tabIndex={0}>
                <table className="account-table">
                  <thead>
                    <tr>
                      <th scope="col">{a('account.tokens.col.label')}</th>
                      <th scope="col">{a('account.tokens.col.prefix')}</th>
                      <th scope="col">{a('account.tokens.col.scopes')}</th>
                      <th scope="col">{a('account.tokens.col.created')}</th>
                      <th scope="col">{a('account.tokens.col.expires')}</th>
                      <th scope="col">{a('account.tokens.col.lastUsed')}</th>
                      <th scope="col">{a('account.tokens.col.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tokens.map((token) => {
                      const expired = Date.parse(token.expiresAt) <= now;
                      return (
                        <tr key={token.id} data-token-id={token.id}>
                          <th scope="row">{token.label}</th>
                          <td>
                            <code>{token.prefix}…</code>
                          </td>
                          <td>
                            <ul className="account-scopes">
                              {token.scopes.map((scope) => (
                                <li key={scope}>{a(`account.tokens.scope.${scope}`)}</li>
                              ))}
                            </ul>
                          </td>
                          <td>{text.date(token.createdAt)}</td>
                          <td>{text.date(token.expiresAt)}</td>
                          <td>{token.lastUsedAt ? text.dateTime(token.lastUsedAt) : a('account.tokens.neverUsed')}</td>
                          <td>
                            {token.revokedAt ? (
                              a('account.tokens.revoked', { date: text.date(token.revokedAt) })
                            ) : expired ? (
                              a('account.tokens.expired')
                            ) : (
                              <button
                                type="button"
                                className="button button-secondary button-small"
                                aria-label={a('account.tokens.revokeNamed', { label: token.label })}
                                onClick={() => setRevoking(token)}
                              >
                                {a('account.tokens.revoke')}
                              </button>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </section>
            )}
          </div>

          <CreateTokenForm
            onCreated={(token) => {
              setStatus(a('account.tokens.created.announce', { label: token.label }));
              setCreated(token);
              void reload();
            }}
          />

          <ConfirmDialog
            open={revoking !== null}
            title={a('account.tokens.confirmRevoke.title')}
            text={a('account.tokens.confirmRevoke.text', { label: revoking?.label ?? '' })}
            cancelLabel={a('account.cancel')}
            confirmLabel={a('account.tokens.revoke')}
            onConfirm={() => revoking && void revoke(revoking)}
            onCancel={() => setRevoking(null)}
          />
        </>
      )}
    </AccountPage>
  );
}
