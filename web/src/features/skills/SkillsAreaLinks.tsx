import { Link } from 'react-router';
import { SKILLS_PATHS } from './api.ts';
import { useSkillsText } from './text.ts';

/** On the skills domain's page (« Compétences »): the way into the agent's and the managers' pages. */
export function SkillsAreaLinks() {
  const { s } = useSkillsText();
  return (
    <p className="skills-area-links">
      <Link className="button" to={SKILLS_PATHS.overview}>
        {s('skills.area.open')}
      </Link>{' '}
      <Link to={SKILLS_PATHS.teams}>{s('skills.area.teams')}</Link>
    </p>
  );
}
