import type { FrameworkView, LearningResourceView } from '@entente/common/skills.ts';
import { useId, useState } from 'react';
import { setResourceStatus } from './api.ts';
import type { SkillsText } from './text.ts';

const STATUSES = ['todo', 'in_progress', 'done'] as const;

/**
 * The learning path: open resources ordered by gap (the server's order), each with where the agent
 * stands, saved as soon as it is changed and confirmed in a status line.
 */
export function LearningPath(props: { text: SkillsText; resources: LearningResourceView[]; framework: FrameworkView }) {
  const { text, framework } = props;
  const { s } = text;
  // The agent's changes over the server's list, so a reloaded list (another language) still shows them.
  const [changed, setChanged] = useState<Readonly<Record<string, LearningResourceView['status']>>>({});
  const resources = props.resources.map((resource) => ({ ...resource, status: changed[resource.id] ?? resource.status }));
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const competenceName = (id: string) => framework.competences.find((competence) => competence.id === id)?.name ?? id;

  const change = async (resource: LearningResourceView, next: LearningResourceView['status']) => {
    setStatus('');
    setError('');
    setChanged((current) => ({ ...current, [resource.id]: next }));
    try {
      const saved = await setResourceStatus(resource.id, next);
      setChanged((current) => ({ ...current, [saved.id]: saved.status }));
      setStatus(s('skills.path.saved', { title: resource.title, status: s(`skills.path.status.${saved.status}`) }));
    } catch (failure) {
      setChanged((current) => ({ ...current, [resource.id]: resource.status }));
      setError(text.problem(failure));
    }
  };

  return (
    <section aria-labelledby="skills-path" className="skills-section">
      <h2 id="skills-path">{s('skills.path.heading')}</h2>
      {resources.length === 0 ? (
        <p>{s('skills.path.none')}</p>
      ) : (
        <>
          <p>{s('skills.path.intro')}</p>
          <ol className="skills-path">
            {resources.map((resource) => (
              <Resource
                key={resource.id}
                text={text}
                resource={resource}
                competences={resource.competences.map(competenceName)}
                onChange={(next) => void change(resource, next)}
              />
            ))}
          </ol>
        </>
      )}
      <p role="status" className="skills-status">
        {status}
      </p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Resource(props: {
  text: SkillsText;
  resource: LearningResourceView;
  competences: string[];
  onChange: (next: LearningResourceView['status']) => void;
}) {
  const { text, resource } = props;
  const { s } = text;
  const selectId = useId();
  return (
    <li className="skills-resource" data-status={resource.status}>
      <h3>
        <a href={resource.url} target="_blank" rel="noopener noreferrer" lang={resource.language}>
          {resource.title}
        </a>{' '}
        <span className="skills-hint">{s('skills.path.newTab')}</span>
      </h3>
      <dl className="skills-facts">
        <div>
          <dt>{s('skills.path.provider')}</dt>
          <dd>{resource.provider}</dd>
        </div>
        <div>
          <dt>{s('skills.path.language')}</dt>
          <dd>{s(`skills.path.lang.${resource.language}`)}</dd>
        </div>
        <div>
          <dt>{s('skills.path.duration')}</dt>
          <dd>{text.duration(resource.durationMinutes)}</dd>
        </div>
        <div>
          <dt>{s('skills.path.levels')}</dt>
          <dd>{s('skills.path.levelRange', { from: resource.levels[0], to: resource.levels[1] })}</dd>
        </div>
        <div>
          <dt>{s('skills.path.competences')}</dt>
          <dd>{props.competences.join(', ')}</dd>
        </div>
      </dl>
      <div className="skills-resource-status">
        <label htmlFor={selectId}>{s('skills.path.status', { title: resource.title })}</label>
        <select id={selectId} value={resource.status} onChange={(event) => props.onChange(event.target.value as LearningResourceView['status'])}>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {s(`skills.path.status.${value}`)}
            </option>
          ))}
        </select>
      </div>
    </li>
  );
}
