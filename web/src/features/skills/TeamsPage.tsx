import type { TeamSummary } from '@entente/common/skills.ts';
import { useCallback } from 'react';
import { Link } from 'react-router';
import { loadTeams, teamPath } from './api.ts';
import { SkillsPage } from './SkillsPage.tsx';
import { useSkillsText } from './text.ts';
import { useSkillsLoad } from './useSkillsLoad.ts';

/** The teams the agent manages, each leading to its dashboard. */
export function TeamsPage() {
  const { s } = useSkillsText();
  const load = useCallback((signal: AbortSignal) => loadTeams(signal), []);
  const { loaded } = useSkillsLoad<TeamSummary[]>(load);
  return (
    <SkillsPage title={s('skills.teams.title')} loaded={loaded}>
      {(teams) => (
        <>
          <p className="lead">{s('skills.teams.intro')}</p>
          {teams.length === 0 ? (
            <p>{s('skills.teams.none')}</p>
          ) : (
            <ul className="skills-teams" aria-label={s('skills.teams.listLabel')}>
              {teams.map((team) => (
                <li key={team.id}>
                  <Link to={teamPath(team.id)}>{team.name}</Link>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </SkillsPage>
  );
}
