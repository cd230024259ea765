import type { AuthKey } from '@entente/common/i18n/catalog/auth.ts';
import { formatMessage } from '@entente/common/i18n/format.ts';
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from './i18n.tsx';
import { leaveAbandoned, mayLeaveApp } from './leave-guard.ts';
import { PATHS } from './routes.ts';
import { signOut, useSession } from './session.ts';
import { SignInLink } from './SignInLink.tsx';

/**
 * Who is signed in, with the way in (« Se connecter ») or out (« Se déconnecter »). Signing out
 * ends the Entente session (a CSRF-protected POST) and then goes where the server says: the
 * upstream federation's logout, which comes back to Entente's home page. A page with unsaved work
 * is asked first (app/leave-guard): once the session has ended, nothing could be saved any more.
 */
export function SessionStatus() {
  const { t, locale } = useI18n();
  const a = (key: AuthKey) => formatMessage(locale, key);
  const session = useSession();
  const [failed, setFailed] = useState(false);

  async function signOutHere() {
    setFailed(false);
    // The question is a modal dialog: the button cannot be pressed again while it is asked.
    if (!(await mayLeaveApp())) return;
    try {
      await signOut();
    } catch {
      leaveAbandoned();
      setFailed(true);
    }
  }

  return (
    <p className="session" data-session={session.state}>
      {session.state === 'loading' && t('ui.session.loading')}
      {session.state === 'signedIn' && (
        <>
          <span>{t('ui.session.signedIn', { name: session.name })}</span>
          <Link to={PATHS.profile} className="session-action">
            {formatMessage(locale, 'account.nav.profile')}
          </Link>
          <button type="button" className="session-action" onClick={() => void signOutHere()}>
            {a('auth.header.signOut')}
          </button>
          {failed && <span role="alert"> {a('auth.header.signOutFailed')}</span>}
        </>
      )}
      {session.state === 'signedOut' && (
        <>
          <span className="session-state">{t('ui.session.signedOut')}</span>{' '}
          <SignInLink className="session-action">{a('auth.header.signIn')}</SignInLink>
        </>
      )}
    </p>
  );
}
