import type { FrameworkView } from '@entente/common/skills.ts';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { Page } from '../../app/Page.tsx';
import { PATHS } from '../../app/routes.ts';
import { authorableScopes, isOperator, loadFramework, loadMe, Problem, type Scope } from './api.ts';
import { SkillsNav } from '../skills/SkillsNav.tsx';
import { useAuthoringText } from './text.ts';
import './authoring.css';

export interface AuthoringContext {
  scopes: { scope: Scope; name: string }[];
  framework: FrameworkView;
}

type Loaded = { state: 'loading' } | { state: 'signedOut' } | { state: 'failed'; reason: string } | { state: 'ready'; context: AuthoringContext };

/**
 * One authoring page: heading, sub-navigation, then its content once the agent's banks (from
 * their roles) and the framework are known. Signed out, only a sign-in link that brings them back;
 * without a bank to author, only a plain explanation rather than an error.
 */
export function AuthoringShell(props: { title: string; intro: string; withShared: boolean; children: (context: AuthoringContext) => ReactNode }) {
  const { a, problem } = useAuthoringText();
  const { pathname } = useLocation();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const { withShared } = props;
  useEffect(() => {
    const abort = new AbortController();
    Promise.all([loadMe(abort.signal), loadFramework(abort.signal)])
      .then(([me, framework]) => {
        const scopes = authorableScopes(me);
        if (withShared && isOperator(me)) scopes.push({ scope: null, name: a('skillsAuthoring.scope.shared') });
        setLoaded({ state: 'ready', context: { scopes, framework } });
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        if (error instanceof Problem && error.status === 401) setLoaded({ state: 'signedOut' });
        else setLoaded({ state: 'failed', reason: problem(error) });
      });
    return () => abort.abort();
  }, [a, problem, withShared]);
  // An agent without an authoring role is told only that, with the way back to their own skills;
  // a signed-out visitor only that they must sign in, with the link that brings them back (as on
  // the other skills pages): neither the invitation to write questions nor the tabs of screens
  // they cannot use.
  const noRights = loaded.state === 'ready' && loaded.context.scopes.length === 0;
  const noticeOnly = noRights || loaded.state === 'signedOut';
  return (
    <Page title={props.title} className="authoring">
      {!noticeOnly && (
        <>
          <SkillsNav />
          <p className="lead">{props.intro}</p>
        </>
      )}
      {/* The path beside the state lets a test tell this page's « ready » from the previous page's,
          which stays on screen while a navigation renders (as on the skills pages). */}
      <div data-authoring-state={loaded.state} data-authoring-path={pathname}>
        {loaded.state === 'loading' && <p>{a('skillsAuthoring.loading')}</p>}
        {loaded.state === 'failed' && (
          <p className="alert alert-error" role="alert">
            {a('skillsAuthoring.loadFailed', { reason: loaded.reason })}
          </p>
        )}
        {loaded.state === 'signedOut' && (
          <p className="alert">
            {a('skillsAuthoring.signedOut')} <Link to={`${PATHS.signIn}?${new URLSearchParams({ retour: pathname })}`}>{a('skillsAuthoring.signIn')}</Link>
          </p>
        )}
        {noRights && (
          <div className="alert authoring-no-rights">
            <p>{a('skillsAuthoring.noRights')}</p>
            <p>
              <Link to={PATHS.skills}>{a('skillsAuthoring.noRights.back')}</Link>
            </p>
          </div>
        )}
        {loaded.state === 'ready' && !noRights && props.children(loaded.context)}
      </div>
    </Page>
  );
}

/** The choice of bank or organisation, when there is more than one. */
export function ScopePicker(props: { label: string; scopes: { scope: Scope; name: string }[]; value: Scope; onChange: (scope: Scope) => void }) {
  const id = useId();
  if (props.scopes.length < 2) return null;
  return (
    <div className="authoring-field authoring-scope">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value ?? ''} onChange={(event) => props.onChange(event.target.value === '' ? null : event.target.value)}>
        {props.scopes.map((s) => (
          <option key={s.scope ?? 'shared'} value={s.scope ?? ''}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  );
}
