import type { AssessmentState, ReviewItem } from '@entente/common/skills.ts';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { assessmentPath, certificateUrl, loadAssessment, loadReview } from './api.ts';
import { LevelChart } from './LevelChart.tsx';
import { Review } from './Review.tsx';
import { SkillsPage } from './SkillsPage.tsx';
import { type SkillsText, useSkillsText } from './text.ts';
import { useSkillsLoad } from './useSkillsLoad.ts';
import { ScrollTable } from '../../ui/ScrollTable.tsx';

/** A completed assessment: overall, per-area and per-competence levels, the chart, the certificate and the review. */
export function ResultPage() {
  const text = useSkillsText();
  const { assessmentId = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => loadAssessment(assessmentId, signal), [assessmentId]);
  const { loaded } = useSkillsLoad(load);
  return (
    <SkillsPage title={text.s('skills.result.title')} loaded={loaded}>
      {(state) => <Result text={text} state={state} />}
    </SkillsPage>
  );
}

function Result({ text, state }: { text: SkillsText; state: AssessmentState }) {
  const { s } = text;
  const { assessment, result } = state;
  if (!result) {
    return (
      <>
        <p>{s('skills.result.notCompleted')}</p>
        {assessment.status === 'in_progress' && (
          <p>
            <Link className="button" to={assessmentPath(assessment.id)}>
              {s('skills.result.continue')}
            </Link>
          </p>
        )}
      </>
    );
  }
  const measured = result.competences.filter((competence) => competence.answered > 0);
  return (
    <>
      <p className="skills-overall">{s('skills.result.overall', { level: text.level(result.level) })}</p>
      {assessment.completedAt && <p>{s('skills.result.date', { date: text.date(assessment.completedAt), count: assessment.answered })}</p>}
      <p>{s(`skills.result.stop.${result.stopReason}`)}</p>
      <p>
        <a className="button button-secondary" href={certificateUrl(assessment.id, text.locale)} download>
          {s('skills.certificate.download')}
        </a>
      </p>

      <section aria-labelledby="skills-areas" className="skills-section">
        <h2 id="skills-areas">{s('skills.result.areas')}</h2>
        <p className="skills-hint">{s('skills.result.areasNote')}</p>
        <LevelChart
          title={s('skills.chart.title')}
          columnLabel={s('skills.col.area')}
          rows={result.areas.map((area) => ({ id: area.area, name: area.name, level: area.level }))}
          format={text.level}
          short={text.levelShort}
        />
      </section>

      <section aria-labelledby="skills-competences" className="skills-section">
        <h2 id="skills-competences">{s('skills.result.competences')}</h2>
        <ScrollTable tableClassName="skills-table" caption={s('skills.result.competencesCaption')}>
          <thead>
            <tr>
              <th scope="col">{s('skills.col.competence')}</th>
              <th scope="col">{s('skills.col.area')}</th>
              <th scope="col">{s('skills.col.level')}</th>
              <th scope="col">{s('skills.col.answered')}</th>
              <th scope="col">{s('skills.col.correct')}</th>
            </tr>
          </thead>
          <tbody>
            {measured.map((competence) => (
              <tr key={competence.competence}>
                <th scope="row">{competence.name}</th>
                <td>{result.areas.find((area) => area.area === competence.area)?.name ?? competence.area}</td>
                <td>{text.level(competence.level)}</td>
                <td className="skills-number">{competence.answered}</td>
                <td className="skills-number">{competence.correct}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </section>

      <ReviewSection text={text} assessmentId={assessment.id} />
    </>
  );
}

function ReviewSection({ text, assessmentId }: { text: SkillsText; assessmentId: string }) {
  const { s } = text;
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const abort = new AbortController();
    loadReview(assessmentId, abort.signal).then(
      (loaded) => setItems(loaded),
      (failure: unknown) => {
        if (!abort.signal.aborted) setError(text.problem(failure));
      },
    );
    return () => abort.abort();
  }, [assessmentId, text]);
  return (
    <section aria-labelledby="skills-review" className="skills-section">
      <h2 id="skills-review">{s('skills.review.heading')}</h2>
      <p>{s('skills.review.intro')}</p>
      {error ? (
        <p className="alert alert-error" role="alert">
          {s('skills.review.unavailable', { reason: error })}
        </p>
      ) : items === null ? (
        <p>{s('skills.loading')}</p>
      ) : (
        <Review text={text} items={items} />
      )}
    </section>
  );
}
