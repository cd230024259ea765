import type { AssessmentState } from '@entente/common/skills.ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Problem } from '../../app/api.ts';
import { abandonAssessment, type Answer, isQuestionChanged, loadAssessment, resultPath, SKILLS_PATHS, submitAnswer } from './api.ts';
import { QuestionForm } from './QuestionForm.tsx';
import { SkillsPage } from './SkillsPage.tsx';
import { type SkillsText, useSkillsText } from './text.ts';
import { useSkillsLoad } from './useSkillsLoad.ts';

/**
 * The test: one question at a time, no timer. The state lives on the server, so « Reprendre plus
 * tard » is just a way back; the agent comes back to the pending question. Progress is the count
 * of questions and a share that only grows, never the engine's estimate.
 */
export function AssessmentPage() {
  const text = useSkillsText();
  const { assessmentId = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => loadAssessment(assessmentId, signal), [assessmentId]);
  const { loaded, setLoaded } = useSkillsLoad(load);
  return (
    <SkillsPage title={text.s('skills.test.title')} loaded={loaded}>
      {(state) => <Assessment key={assessmentId} text={text} initial={state} onState={(next) => setLoaded({ state: 'ready', data: next })} />}
    </SkillsPage>
  );
}

function Assessment({ text, initial, onState }: { text: SkillsText; initial: AssessmentState; onState: (next: AssessmentState) => void }) {
  const { s } = text;
  const navigate = useNavigate();
  const state = initial;
  const legend = useRef<HTMLLegendElement>(null);
  const answered = useRef(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [notice, setNotice] = useState('');
  const [confirming, setConfirming] = useState(false);
  const abandonedNotice = useRef<HTMLParagraphElement>(null);
  const justAbandoned = useRef(false);
  const id = state.assessment.id;
  const finished = state.result !== null || state.assessment.status === 'completed';

  useEffect(() => {
    if (finished) void navigate(resultPath(id), { replace: true });
  }, [finished, id, navigate]);

  // After an answer, the next question's stem takes focus, so it is read at once and Tab goes on to its options.
  const itemId = state.question?.itemId;
  useEffect(() => {
    if (answered.current && itemId) legend.current?.focus();
  }, [itemId]);

  const submit = async (answer: Answer) => {
    setBusy(true);
    setServerError('');
    setNotice('');
    try {
      const next = await submitAnswer(id, answer);
      answered.current = true;
      if (next.result || next.assessment.status === 'completed') setAnnouncement(s('skills.test.finished'));
      else setAnnouncement(s('skills.test.newQuestion', { n: next.progress.answered + 1 }));
      onState(next);
    } catch (failure) {
      if (isQuestionChanged(failure)) {
        try {
          const current = await loadAssessment(id);
          answered.current = true;
          setNotice(s('skills.test.changed'));
          onState(current);
        } catch (reloadFailure) {
          setServerError(text.problem(reloadFailure));
        }
      } else if (failure instanceof Problem && failure.status === 400) {
        setServerError(s('skills.test.invalid', { reason: text.problem(failure) }));
      } else {
        setServerError(text.problem(failure));
      }
    } finally {
      setBusy(false);
    }
  };

  // Abandoned from this page: the notice takes focus (the dialog and its button are gone), which
  // also has it read — once, so the live region stays silent.
  const status = state.assessment.status;
  useEffect(() => {
    if (status === 'abandoned' && justAbandoned.current) abandonedNotice.current?.focus();
  }, [status]);

  const abandon = async () => {
    setConfirming(false);
    try {
      justAbandoned.current = true;
      onState(await abandonAssessment(id));
    } catch (failure) {
      justAbandoned.current = false;
      setServerError(text.problem(failure));
    }
  };

  const n = state.progress.answered + 1;
  return (
    <div className="skills-test">
      {/* Always in the page, so that what is written into it is announced. */}
      <p role="status" aria-live="polite" className="skills-status skills-announce">
        {announcement}
      </p>
      {notice && (
        <p className="alert" role="alert">
          {notice}
        </p>
      )}
      {state.assessment.status === 'abandoned' && (
        <>
          <p className="alert" ref={abandonedNotice} tabIndex={-1}>
            {s('skills.test.abandoned')}
          </p>
          <p>
            <Link to={SKILLS_PATHS.overview}>{s('skills.test.back')}</Link>
          </p>
        </>
      )}
      {finished && <p>{s('skills.test.finished')}</p>}
      {state.assessment.status === 'in_progress' && state.question && (
        <>
          <p className="skills-no-timer">{s('skills.test.noTimer')}</p>
          <div className="skills-progress">
            <label htmlFor="skills-progress">{s('skills.test.progress')}</label>
            <progress id="skills-progress" max={1} value={Math.min(1, Math.max(0, state.progress.fraction))} aria-valuetext={s('skills.test.position', { n })} />
            <span className="skills-position">{s('skills.test.position', { n })}</span>
          </div>
          <p className="skills-context">
            {s('skills.test.area', { area: state.question.area.name, competence: state.question.competence.name })}
          </p>
          <QuestionForm
            key={state.question.itemId}
            text={text}
            question={state.question}
            legend={legend}
            busy={busy}
            serverError={serverError}
            onSubmit={(answer) => void submit(answer)}
          />
          <div className="skills-later">
            <p>
              <Link className="button button-secondary" to={SKILLS_PATHS.overview}>
                {s('skills.test.later')}
              </Link>{' '}
              <span className="skills-hint">{s('skills.test.laterHint')}</span>
            </p>
            <p>
              <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(true)}>
                {s('skills.test.abandon')}
              </button>
            </p>
          </div>
          <ConfirmDialog
            open={confirming}
            title={s('skills.test.abandonTitle')}
            text={s('skills.test.abandonText')}
            cancelLabel={s('skills.test.abandonCancel')}
            confirmLabel={s('skills.test.abandon')}
            onConfirm={() => void abandon()}
            onCancel={() => setConfirming(false)}
          />
        </>
      )}
    </div>
  );
}
