import { type QuestionView, SHORT_ANSWER_MAX_LENGTH } from '@entente/common/skills.ts';
import { type FormEvent, type RefObject, useId, useRef, useState } from 'react';
import type { Answer } from './api.ts';
import type { SkillsText } from './text.ts';

/**
 * One question: a fieldset whose legend is the stem, then radios (one answer, true/false),
 * checkboxes (several) or a labelled text field (short answer). The form keeps what the agent
 * entered when the server refuses it; the parent remounts it (key = item) for each new question.
 */
export function QuestionForm(props: {
  text: SkillsText;
  question: QuestionView;
  legend: RefObject<HTMLLegendElement | null>;
  busy: boolean;
  /** A refusal from the server, shown next to the field. */
  serverError: string;
  onSubmit: (answer: Answer) => void;
}) {
  const { text, question } = props;
  const { s } = text;
  const [choices, setChoices] = useState<number[]>([]);
  const [answerText, setAnswerText] = useState('');
  const [missing, setMissing] = useState('');
  const firstInput = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const hintId = useId();
  const textId = useId();
  const name = useId();
  const error = missing || props.serverError;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (props.busy) return;
    if (question.kind === 'short_answer') {
      if (answerText.trim() === '') {
        setMissing(s('skills.test.required.text'));
        firstInput.current?.focus();
        return;
      }
      setMissing('');
      props.onSubmit({ itemId: question.itemId, text: answerText.trim() });
      return;
    }
    if (choices.length === 0) {
      setMissing(s(question.kind === 'multiple' ? 'skills.test.required.multiple' : 'skills.test.required.single'));
      firstInput.current?.focus();
      return;
    }
    setMissing('');
    props.onSubmit({ itemId: question.itemId, choices: [...choices].sort((a, b) => a - b) });
  };

  const toggle = (index: number, checked: boolean) => {
    setMissing('');
    if (question.kind === 'multiple') {
      setChoices((current) => (checked ? [...current.filter((choice) => choice !== index), index] : current.filter((choice) => choice !== index)));
    } else {
      setChoices([index]);
    }
  };

  const describedBy = [question.kind === 'multiple' ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <form className="skills-question" onSubmit={submit} noValidate aria-busy={props.busy}>
      <fieldset aria-describedby={describedBy}>
        <legend ref={props.legend} tabIndex={-1} className="skills-stem">
          {question.stem}
        </legend>
        {question.kind === 'multiple' && (
          // Read with the group (its description); hidden from browsing so it is not read twice.
          <p id={hintId} className="skills-hint" aria-hidden="true">
            {s('skills.test.multipleHint')}
          </p>
        )}
        {question.kind === 'short_answer' ? (
          <div className="skills-text-answer">
            <label htmlFor={textId}>{s('skills.test.answerLabel')}</label>
            <input
              ref={firstInput}
              id={textId}
              type="text"
              maxLength={SHORT_ANSWER_MAX_LENGTH}
              autoComplete="off"
              spellCheck={false}
              value={answerText}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => {
                setMissing('');
                setAnswerText(event.target.value);
              }}
            />
          </div>
        ) : (
          <ul className="skills-options">
            {question.options.map((option, index) => {
              const id = `${name}-${index}`;
              return (
                <li key={id} className="skills-option">
                  <input
                    ref={index === 0 ? firstInput : undefined}
                    id={id}
                    type={question.kind === 'multiple' ? 'checkbox' : 'radio'}
                    name={name}
                    value={index}
                    checked={choices.includes(index)}
                    onChange={(event) => toggle(index, event.target.checked)}
                  />
                  <label htmlFor={id}>{option}</label>
                </li>
              );
            })}
          </ul>
        )}
        {error && (
          <p id={errorId} className="field-error skills-field-error">
            {error}
          </p>
        )}
      </fieldset>
      <p className="skills-actions">
        <button type="submit" className="button" aria-disabled={props.busy || undefined}>
          {s('skills.test.submit')}
        </button>
      </p>
    </form>
  );
}
