import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { Page } from '../../app/Page.tsx';
import { PATHS } from '../../app/routes.ts';
import type { Loaded } from './useSkillsLoad.ts';
import { SkillsNav } from './SkillsNav.tsx';
import { useSkillsText } from './text.ts';
import './skills.css';

/**
 * One skills page: heading, sub-navigation, then its content once loaded. Signed out, it says so
 * with a sign-in link that brings the agent back (`retour`), as the account pages do.
 */
export function SkillsPage<T>(props: {
  title: string;
  loaded: Loaded<T>;
  children: (data: T) => ReactNode;
}) {
  const { s } = useSkillsText();
  const { pathname } = useLocation();
  const { loaded } = props;
  return (
    <Page title={props.title} className="skills">
      {loaded.state !== 'signedOut' && <SkillsNav />}
      {/* The path beside the state lets a test tell this page's « ready » from the previous page's,
          which stays on screen while a navigation renders. */}
      <div data-skills-state={loaded.state} data-skills-path={pathname}>
        {loaded.state === 'loading' && <p>{s('skills.loading')}</p>}
        {loaded.state === 'failed' && (
          <p className="alert alert-error" role="alert">
            {s('skills.loadFailed', { reason: loaded.reason })}
          </p>
        )}
        {loaded.state === 'signedOut' && (
          <p className="alert">
            {s('skills.signedOut')}{' '}
            <Link to={`${PATHS.signIn}?${new URLSearchParams({ retour: pathname })}`}>{s('skills.signIn')}</Link>
          </p>
        )}
        {loaded.state === 'ready' && props.children(loaded.data)}
      </div>
    </Page>
  );
}
