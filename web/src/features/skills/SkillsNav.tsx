import { useEffect, useState } from 'react';
import { NavLink } from 'react-router';
import { getJson } from '../../app/api.ts';
import { PATHS } from '../../app/routes.ts';
import { SKILLS_PATHS } from './api.ts';
import { useSkillsText } from './text.ts';
import './skills-nav.css';

interface NavFlags {
  /** Manages at least one team: « Mes équipes ». */
  teams: boolean;
  /** A trainer or administrator of an organisation, or an operator: the bank and the framework. */
  authoring: boolean;
}

/** The last flags read, so that the next skills page shows its tabs at once (then checks again). */
let lastKnown: NavFlags = { teams: false, authoring: false };

/** One small read of the skills module (not /api/me: the page and the header ask for that once). */
const readFlags = (signal: AbortSignal): Promise<NavFlags> => getJson<NavFlags>('/api/skills/navigation', signal);

/**
 * The skills pages' one sub-navigation, the same on every one of them — the agent's pages, the
 * team dashboards, the test and its result, the item bank and the framework (they used to show
 * different tabs from page to page): « Mes compétences », « Mes équipes » for managers, « Banque
 * de questions » and « Référentiel de l’organisation » for trainers and administrators.
 */
export function SkillsNav() {
  const { s } = useSkillsText();
  const [flags, setFlags] = useState<NavFlags>(lastKnown);
  useEffect(() => {
    const abort = new AbortController();
    readFlags(abort.signal)
      .then((read) => {
        lastKnown = read;
        setFlags(read);
      })
      .catch(() => {}); // no flags: the agent's own tab is enough
    return () => abort.abort();
  }, []);
  return (
    <nav className="skills-nav" aria-label={s('skills.area.title')}>
      <ul>
        <li>
          <NavLink to={SKILLS_PATHS.overview} end>
            {s('skills.nav.overview')}
          </NavLink>
        </li>
        {flags.teams && (
          <li>
            <NavLink to={SKILLS_PATHS.teams}>{s('skills.nav.teams')}</NavLink>
          </li>
        )}
        {flags.authoring && (
          <>
            <li>
              <NavLink to={PATHS.skillsBank}>{s('skills.nav.bank')}</NavLink>
            </li>
            <li>
              <NavLink to={PATHS.skillsFramework}>{s('skills.nav.framework')}</NavLink>
            </li>
          </>
        )}
      </ul>
    </nav>
  );
}
