import { useRef, useState } from 'react';
import { getJson, send } from '../../app/api.ts';
import { signOut } from '../../app/session.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { AccountPage, ActionOutcome } from './AccountPage.tsx';
import type { SessionRow } from './api.ts';
import { useAccountText } from './text.ts';
import { useLoad } from './useLoad.ts';

async function loadSessions(signal: AbortSignal): Promise<SessionRow[]> {
  return (await getJson<{ sessions: SessionRow[] }>('/api/me/sessions', signal)).sessions;
}

/**
 * « Mes sessions »: where the agent is signed in, each with a button to end it. Ending another
 * session is immediate; ending the current one is a sign-out (Entente's session, then the
 * federation's), so it asks first.
 */
export function SessionsPage() {
  const text = useAccountText();
  const { a } = text;
  const { loaded, reload } = useLoad(loadSessions);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [confirmingSignOut, setConfirmingSignOut] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  async function end(session: SessionRow) {
    setStatus('');
    setError('');
    try {
      await send('DELETE', `/api/me/sessions/${encodeURIComponent(session.id)}`);
      await reload();
      setStatus(a('account.sessions.ended', { device: text.device(session.userAgent) }));
      // The button pressed is gone with its line: focus goes back to the list.
      heading.current?.focus();
    } catch {
      setError(a('account.sessions.endFailed'));
    }
  }

  async function signOutHere() {
    setConfirmingSignOut(false);
    setError('');
    try {
      await signOut();
    } catch {
      setError(a('account.sessions.endFailed'));
    }
  }

  return (
    <AccountPage title={a('account.sessions.title')} loaded={loaded}>
      {(sessions) => (
        <>
          <p className="lead">{a('account.sessions.intro')}</p>
          <ActionOutcome status={status} error={error} />
          <h2 ref={heading} tabIndex={-1}>
            {a('account.sessions.active', { count: sessions.length })}
          </h2>
          {sessions.length === 0 ? (
            <p>{a('account.sessions.none')}</p>
          ) : (
            <ul className="account-cards">
              {sessions.map((session) => {
                const device = text.device(session.userAgent);
                const headingId = `session-${session.id}`;
                return (
                  <li key={session.id} className="account-card" data-session-id={session.id} data-current={session.current}>
                    <h3 id={headingId}>
                      {device}
                      {session.current && (
                        <>
                          {' '}
                          <span className="badge account-current">{a('account.sessions.current')}</span>
                        </>
                      )}
                    </h3>
                    <dl className="account-facts">
                      <div>
                        <dt>{a('account.sessions.ip')}</dt>
                        <dd>{session.ip ?? a('account.sessions.ipUnknown')}</dd>
                      </div>
                      <div>
                        <dt>{a('account.sessions.started')}</dt>
                        <dd>
                          <time dateTime={session.createdAt}>{text.dateTime(session.createdAt)}</time>
                        </dd>
                      </div>
                      <div>
                        <dt>{a('account.sessions.lastUsed')}</dt>
                        <dd>
                          <time dateTime={session.lastSeenAt}>{text.dateTime(session.lastSeenAt)}</time>
                        </dd>
                      </div>
                      <div>
                        <dt>{a('account.sessions.expires')}</dt>
                        <dd>
                          <time dateTime={session.expiresAt}>{text.dateTime(session.expiresAt)}</time>
                        </dd>
                      </div>
                    </dl>
                    <button
                      type="button"
                      className="button button-secondary"
                      aria-describedby={headingId}
                      onClick={() => (session.current ? setConfirmingSignOut(true) : void end(session))}
                    >
                      {a(session.current ? 'account.sessions.endCurrent' : 'account.sessions.end')}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <ConfirmDialog
            open={confirmingSignOut}
            title={a('account.sessions.confirmCurrent.title')}
            text={a('account.sessions.confirmCurrent.text')}
            cancelLabel={a('account.cancel')}
            confirmLabel={a('account.sessions.confirmCurrent.confirm')}
            onConfirm={() => void signOutHere()}
            onCancel={() => setConfirmingSignOut(false)}
          />
        </>
      )}
    </AccountPage>
  );
}
