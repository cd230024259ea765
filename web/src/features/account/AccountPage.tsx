import type { ReactNode } from 'react';
import '../../ui/account.css';
import { Link, NavLink, useLocation } from 'react-router';
import { Page } from '../../app/Page.tsx';
import { PATHS } from '../../app/routes.ts';
import { useAccountText } from './text.ts';
import { MyAiUsageNavLink } from '../assistant/usage/Links.tsx'; // AI usage dashboards (helper C)
import { CredentialsNavLink } from '../credentials/Links.tsx'; // verifiable attestations (issue 9)
import type { Loaded } from './useLoad.ts';

/** The sub-navigation between the agent's account pages. */
function AccountNav() {
  const { a } = useAccountText();
  return (
    <nav className="account-nav" aria-label={a('account.nav.label')}>
      <ul>
        <li>
          <NavLink to={PATHS.profile} end>
            {a('account.nav.profile')}
          </NavLink>
        </li>
        <li>
          <NavLink to={PATHS.sessions}>{a('account.nav.sessions')}</NavLink>
        </li>
        <li>
          <NavLink to={PATHS.tokens}>{a('account.nav.tokens')}</NavLink>
        </li>
        <li>
          <NavLink to={PATHS.services}>{a('account.nav.services')}</NavLink>
        </li>
        {/* ── AI usage dashboards (helper C) ── */}
        <li>
          <MyAiUsageNavLink />
        </li>
        {/* ── end AI usage dashboards ── */}
        {/* ── verifiable attestations (issue 9) ── */}
        <li>
          <CredentialsNavLink />
        </li>
      </ul>
    </nav>
  );
}

/**
 * One of the account pages: its heading, the account navigation, then the content once loaded.
 * Signed out, the page says so with a sign-in link that brings the agent back here (`retour`).
 */
export function AccountPage<T>(props: { title: string; loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  const { a } = useAccountText();
  const { pathname } = useLocation();
  const { loaded } = props;
  return (
    <Page title={props.title} className="account">
      {loaded.state !== 'signedOut' && <AccountNav />}
      <div data-account-state={loaded.state}>
        {loaded.state === 'loading' && <p>{a('account.loading')}</p>}
        {loaded.state === 'failed' && (
          <p className="alert alert-error" role="alert">
            {a('account.loadFailed')}
          </p>
        )}
        {loaded.state === 'signedOut' && (
          <p className="alert">
            {a('account.signedOut.text')}{' '}
            <Link to={`${PATHS.signIn}?${new URLSearchParams({ retour: pathname })}`}>{a('account.signedOut.link')}</Link>
          </p>
        )}
        {loaded.state === 'ready' && props.children(loaded.data)}
      </div>
    </Page>
  );
}

/**
 * The outcome of an action on an account page: a status line that is always in the page (so that
 * screen readers announce what is written into it), and an alert when something failed.
 */
export function ActionOutcome(props: { status: string; error: string }) {
  return (
    <>
      <p role="status" className={props.status ? 'alert' : 'account-status-empty'}>
        {props.status}
      </p>
      {props.error && (
        <p className="alert alert-error" role="alert">
          {props.error}
        </p>
      )}
    </>
  );
}
