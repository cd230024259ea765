import type { AssessmentSummary, FrameworkView, SkillsOverview, TeamSummary } from '@entente/common/skills.ts';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  assessmentPath,
  certificateUrl,
  chooseTargetProfile,
  loadAssessments,
  loadFramework,
  loadOverview,
  loadTeams,
  resultPath,
  SKILLS_PATHS,
  startAssessment,
} from './api.ts';
import { GapTable } from './GapTable.tsx';
import { LearningPath } from './LearningPath.tsx';
import { LevelChart } from './LevelChart.tsx';
import { SkillsPage } from './SkillsPage.tsx';
import { profileLabel, type SkillsText, useSkillsText } from './text.ts';
import { useSkillsLoad } from './useSkillsLoad.ts';
import { ScrollTable } from '../../ui/ScrollTable.tsx';

interface OverviewData {
  overview: SkillsOverview;
  framework: FrameworkView;
  assessments: AssessmentSummary[];
  teams: TeamSummary[];
}

async function loadAll(signal: AbortSignal): Promise<OverviewData> {
  const [overview, framework, assessments, teams] = await Promise.all([
    loadOverview(signal),
    loadFramework(signal),
    loadAssessments(signal),
    // Only managers have teams; a refusal here must not hide the agent's own page.
    loadTeams(signal).catch(() => [] as TeamSummary[]),
  ]);
  return { overview, framework, assessments, teams };
}

/** « Mes compétences numériques »: start or resume the test, the latest result, gaps, learning path, certificate. */
export function OverviewPage() {
  const text = useSkillsText();
  const load = useCallback((signal: AbortSignal) => loadAll(signal), []);
  const { loaded, setLoaded } = useSkillsLoad(load);
  return (
    <SkillsPage title={text.s('skills.overview.title')} loaded={loaded}>
      {(data) => (
        <Overview
          text={text}
          data={data}
          onOverview={(overview) => setLoaded({ state: 'ready', data: { ...data, overview } })}
        />
      )}
    </SkillsPage>
  );
}

function Overview({ text, data, onOverview }: { text: SkillsText; data: OverviewData; onOverview: (next: SkillsOverview) => void }) {
  const { s } = text;
  const { overview, framework, assessments, teams } = data;
  return (
    <>
      <p className="lead">{s('skills.overview.intro')}</p>
      {overview.reassessment.suggested && overview.reassessment.reason && (
        <p className="notice skills-reassess">{s(`skills.reassess.${overview.reassessment.reason}`)}</p>
      )}
      <AssessmentStart text={text} overview={overview} />

      <section aria-labelledby="skills-latest" className="skills-section">
        <h2 id="skills-latest">{s('skills.latest.heading')}</h2>
        {overview.result && overview.latest ? (
          <>
            <p className="skills-overall">{s('skills.latest.overall', { level: text.level(overview.result.level) })}</p>
            {overview.latest.completedAt && <p>{s('skills.latest.date', { date: text.date(overview.latest.completedAt) })}</p>}
            <LevelChart
              title={s('skills.chart.title')}
              columnLabel={s('skills.col.area')}
              rows={overview.result.areas.map((area) => ({ id: area.area, name: area.name, level: area.level }))}
              format={text.level}
              short={text.levelShort}
            />
            <p>
              <Link to={resultPath(overview.latest.id)}>{s('skills.latest.details')}</Link>
            </p>
          </>
        ) : (
          <p>{s('skills.latest.none')}</p>
        )}
      </section>

      <TargetProfile text={text} overview={overview} framework={framework} onOverview={onOverview} />

      {overview.result && (
        <>
          <section aria-labelledby="skills-strengths" className="skills-section">
            <h2 id="skills-strengths">{s('skills.strengths.heading')}</h2>
            {overview.strengths.length > 0 ? (
              <GapTable text={text} rows={overview.strengths} caption={s('skills.strengths.caption', { profile: profileLabel(text, overview.targetProfile) })} framework={framework} showGap={false} />
            ) : (
              <p>{s('skills.strengths.none')}</p>
            )}
          </section>
          <section aria-labelledby="skills-gaps" className="skills-section">
            <h2 id="skills-gaps">{s('skills.gaps.heading')}</h2>
            {overview.gaps.length > 0 ? (
              <GapTable text={text} rows={overview.gaps} caption={s('skills.gaps.caption', { profile: profileLabel(text, overview.targetProfile) })} framework={framework} showGap />
            ) : (
              <p>{s('skills.gaps.none')}</p>
            )}
          </section>
        </>
      )}

      <LearningPath text={text} resources={overview.path} framework={framework} />

      {overview.certificate && (
        <section aria-labelledby="skills-certificate" className="skills-section">
          <h2 id="skills-certificate">{s('skills.certificate.heading')}</h2>
          <p>{s('skills.certificate.intro')}</p>
          <p>
            <a
              className="button button-secondary"
              href={certificateUrl(overview.certificate.assessmentId, text.locale, overview.certificate.url)}
              download
            >
              {s('skills.certificate.download')}
            </a>
          </p>
        </section>
      )}

      <History text={text} assessments={assessments} />

      {teams.length > 0 && (
        <section aria-labelledby="skills-manager" className="skills-section">
          <h2 id="skills-manager">{s('skills.manager.heading')}</h2>
          <p>{s('skills.manager.intro')}</p>
          <p>
            <Link to={SKILLS_PATHS.teams}>{s('skills.area.teams')}</Link>
          </p>
        </section>
      )}
    </>
  );
}

/** What the test is like, then « Commencer » (a new one on the server) or « Reprendre » (the one in progress). */
function AssessmentStart({ text, overview }: { text: SkillsText; overview: SkillsOverview }) {
  const { s } = text;
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const start = async () => {
    setBusy(true);
    setError('');
    try {
      const state = await startAssessment();
      void navigate(assessmentPath(state.assessment.id));
    } catch (failure) {
      setError(text.problem(failure));
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="skills-assessment" className="skills-section skills-start">
      <h2 id="skills-assessment">{s('skills.assessment.heading')}</h2>
      <ul>
        <li>{s('skills.assessment.about1')}</li>
        <li>{s('skills.assessment.about2')}</li>
        <li>{s('skills.assessment.about3')}</li>
        <li>{s('skills.assessment.about4')}</li>
      </ul>
      {overview.inProgress ? (
        <>
          <p>{s('skills.assessment.inProgress', { count: overview.inProgress.answered })}</p>
          <p>
            <Link className="button" to={assessmentPath(overview.inProgress.id)}>
              {s('skills.assessment.resume')}
            </Link>
          </p>
        </>
      ) : (
        <p>
          <button type="button" className="button" onClick={() => void start()} disabled={busy}>
            {overview.latest ? s('skills.assessment.restart') : s('skills.assessment.start')}
          </button>
        </p>
      )}
      <p role="status" className="skills-status">
        {busy ? s('skills.assessment.starting') : ''}
      </p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** The profile the agent aims for (a default role profile or their organisation's), saved on the server. */
function TargetProfile(props: { text: SkillsText; overview: SkillsOverview; framework: FrameworkView; onOverview: (next: SkillsOverview) => void }) {
  const { text, overview, framework } = props;
  const { s } = text;
  const selectId = useId();
  const [choice, setChoice] = useState(overview.targetProfile.id);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const profiles = framework.targetProfiles.some((profile) => profile.id === overview.targetProfile.id)
    ? framework.targetProfiles
    : [overview.targetProfile, ...framework.targetProfiles];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus('');
    setError('');
    try {
      const next = await chooseTargetProfile(choice);
      props.onOverview(next);
      setStatus(s('skills.profile.saved', { name: profileLabel(text, next.targetProfile) }));
    } catch (failure) {
      setError(text.problem(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="skills-profile" className="skills-section">
      <h2 id="skills-profile">{s('skills.profile.heading')}</h2>
      <p>{s('skills.profile.intro')}</p>
      <form className="skills-inline-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor={selectId}>{s('skills.profile.label')}</label>
        <select id={selectId} value={choice} onChange={(event) => setChoice(event.target.value)}>
          {profiles.map((profile) => (
            <option key={profile.id} value={profile.id}>
              {profileLabel(text, profile)}
            </option>
          ))}
        </select>
        {/* aria-disabled, not disabled: a disabled button loses the focus, which would drop to the page. */}
        <button type="submit" className="button button-secondary" aria-disabled={busy || undefined}>
          {s('skills.profile.save')}
        </button>
      </form>
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

function History({ text, assessments }: { text: SkillsText; assessments: AssessmentSummary[] }) {
  const { s } = text;
  const sorted = [...assessments].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (
    <section aria-labelledby="skills-history" className="skills-section">
      <h2 id="skills-history">{s('skills.history.heading')}</h2>
      {sorted.length === 0 ? (
        <p>{s('skills.history.none')}</p>
      ) : (
        <ScrollTable tableClassName="skills-table" caption={s('skills.history.caption')}>
          <thead>
            <tr>
              <th scope="col">{s('skills.history.started')}</th>
              <th scope="col">{s('skills.history.status')}</th>
              <th scope="col">{s('skills.history.answered')}</th>
              <th scope="col">{s('skills.history.level')}</th>
              <th scope="col">{s('skills.history.action')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((assessment) => (
              <tr key={assessment.id}>
                <th scope="row">{text.date(assessment.startedAt)}</th>
                <td>{s(`skills.history.status.${assessment.status}`)}</td>
                <td className="skills-number">{assessment.answered}</td>
                <td>{assessment.level === null ? '—' : text.level(assessment.level)}</td>
                <td>
                  {assessment.status === 'completed' && <Link to={resultPath(assessment.id)}>{s('skills.history.open')}</Link>}
                  {assessment.status === 'in_progress' && <Link to={assessmentPath(assessment.id)}>{s('skills.history.resume')}</Link>}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  );
}
