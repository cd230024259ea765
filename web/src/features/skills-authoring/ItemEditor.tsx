import type { FrameworkCompetence, ItemKind } from '@entente/common/skills.ts';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { type AuthoringItem, AuthoringProblem, createItem, type FieldIssue, loadItem, saveItem, type Scope, setStatus } from './api.ts';
import { bodyOf, type Draft, draftOf, emptyDraft, type Lang, type LangDraft, sameDraft, withOptionAdded, withOptionRemoved } from './draft.ts';
import { ItemPreview } from './ItemPreview.tsx';
import type { AuthoringText } from './text.ts';
import { firstInvalidControl, useFocusAfterRender } from './focus.ts';
import { useReportDirty } from './unsaved.tsx';

const KINDS: ItemKind[] = ['single', 'multiple', 'true_false', 'short_answer'];
const LANGS: Lang[] = ['fr', 'frCA', 'en'];
const MAX_OPTIONS = 5;

/** A field's error, said next to it (its id is the field's aria-describedby). */
function FieldMessage({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} className="authoring-error">
      {message}
    </p>
  );
}

/**
 * Writing or editing one item: settings, then one fieldset per language (fr-FR complete, fr-CA
 * only what differs, English complete), the right answers ticked next to the French options,
 * a preview as an agent sees it, and the status buttons. Every problem the server names is shown
 * next to its field; a draft may be saved with problems, publishing needs none.
 */
export function ItemEditor(props: {
  text: AuthoringText;
  scope: Scope;
  item: AuthoringItem | null;
  competences: FrameworkCompetence[];
  onSaved: (item: AuthoringItem) => void;
  onClose: () => void;
  /** Whether the form holds edits not saved yet, at each change (the page asks before losing them). */
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const { text } = props;
  const { a, field } = text;
  const [item, setItem] = useState<AuthoringItem | null>(props.item);
  /** The question as last loaded or saved: the form is « dirty » when it would save something else. */
  const [baseline, setBaseline] = useState<Draft>(() => (props.item ? draftOf(props.item) : emptyDraft(props.competences[0]?.id ?? '1.1')));
  const [draft, setDraft] = useState<Draft>(baseline);
  const [issues, setIssues] = useState<FieldIssue[]>(props.item?.problems ?? []);
  const dirty = !sameDraft(draft, baseline);
  useReportDirty(dirty, props.onDirtyChange);
  const [busy, setBusy] = useState(false);
  /** `conflict`: another author saved this question meanwhile; the message offers to load their version. */
  const [message, setMessage] = useState<{ kind: 'ok' | 'error' | 'conflict'; text: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);
  /**
   * Where focus goes once an action's outcome is shown: the first field in error, else the message
   * (a status focusable by script). Without it, focus stayed on <body> after « Enregistrer ».
   */
  const focusAfterRender = useFocusAfterRender();
  const setFocusRequest = (request: { on: 'field' | 'message' }) =>
    focusAfterRender(() => (request.on === 'field' ? firstInvalidControl(form.current) : null) ?? messageRef.current ?? heading.current);
  const base = useId();
  const idOf = (path: string) => `${base}-${path.replaceAll('.', '-')}`;
  const errorId = (path: string) => `${idOf(path)}-error`;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const issueAt = (path: string) => {
    const found = issues.find((i) => i.path === path);
    return found ? field(found) : null;
  };
  /** Props that tie an input to its error: aria-invalid and aria-describedby (with an optional hint). */
  const invalidProps = (path: string, hint?: string) => {
    const error = issueAt(path);
    const describedBy = [hint, error ? errorId(path) : null].filter(Boolean).join(' ');
    return { 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined } as const;
  };

  const update = (next: Draft) => {
    setDraft(next);
    setMessage(null);
  };
  /** A field changed: the problems said about it no longer stand (the server says again at the next save). */
  const clear = (...prefixes: string[]) => setIssues((current) => current.filter((i) => !prefixes.some((p) => i.path === p || i.path.startsWith(`${p}.`))));
  const updateLang = (lang: Lang, patch: Partial<LangDraft>) => {
    update({ ...draft, [lang]: { ...draft[lang], ...patch } });
    clear(...Object.keys(patch).map((field) => `${lang}.${field}`));
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const saved = item ? await saveItem(item.id, item.version, bodyOf(draft)) : await createItem(props.scope, bodyOf(draft));
      setItem(saved);
      const savedDraft = draftOf(saved);
      setDraft(savedDraft);
      setBaseline(savedDraft);
      setIssues(saved.problems);
      setMessage({ kind: 'ok', text: a('skillsAuthoring.editor.saved') });
      // Saved as a draft with problems (an empty form is one): to the first of them, as for a refusal.
      setFocusRequest({ on: saved.problems.length > 0 ? 'field' : 'message' });
      props.onSaved(saved);
    } catch (error) {
      if (error instanceof AuthoringProblem && error.fields.length > 0) {
        setIssues(error.fields);
        setMessage({ kind: 'error', text: a('skillsAuthoring.editor.invalid') });
        setFocusRequest({ on: 'field' });
      } else {
        setMessage({ kind: conflicted(error) ? 'conflict' : 'error', text: text.problem(error) });
        setFocusRequest({ on: 'message' });
      }
    } finally {
      setBusy(false);
    }
  };

  /** After a conflict: the question as it is now, the agent's unsaved edits given up (they were told). */
  const reload = async () => {
    if (!item || busy) return;
    setBusy(true);
    try {
      const current = await loadItem(item.id);
      setItem(current);
      const currentDraft = draftOf(current);
      setDraft(currentDraft);
      setBaseline(currentDraft);
      setIssues(current.problems);
      setMessage({ kind: 'ok', text: a('skillsAuthoring.editor.reloaded') });
    } catch (error) {
      setMessage({ kind: 'error', text: text.problem(error) });
    } finally {
      setBusy(false);
      setFocusRequest({ on: 'message' });
    }
  };

  const changeStatus = async (status: AuthoringItem['status']) => {
    if (!item || busy) return;
    if (dirty) {
      setMessage({ kind: 'error', text: a('skillsAuthoring.editor.saveFirst') });
      setFocusRequest({ on: 'message' });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const changed = await setStatus(item.id, status, item.version);
      setItem(changed);
      setIssues(changed.problems);
      setMessage({ kind: 'ok', text: a('skillsAuthoring.editor.statusChanged', { status: a(`skillsAuthoring.status.${changed.status}`) }) });
      setFocusRequest({ on: 'message' });
      props.onSaved(changed);
    } catch (error) {
      if (error instanceof AuthoringProblem && error.fields.length > 0) {
        setIssues(error.fields);
        setMessage({ kind: 'error', text: a('skillsAuthoring.editor.problems', { count: error.fields.length }) });
        setFocusRequest({ on: 'field' });
      } else {
        setMessage({ kind: conflicted(error) ? 'conflict' : 'error', text: text.problem(error) });
        setFocusRequest({ on: 'message' });
      }
    } finally {
      setBusy(false);
    }
  };

  const choice = draft.kind === 'single' || draft.kind === 'multiple';
  const optionCount = draft.fr.options.length;
  const title = item ? a('skillsAuthoring.editor.editTitle', { key: item.key }) : a('skillsAuthoring.editor.newTitle');
  const langLabel = (lang: Lang) => a(`skillsAuthoring.editor.language.${lang}`);

  const correctControl = (i: number) => {
    const checked = draft.correct.includes(i);
    const id = `${idOf('correct')}-${i}`;
    return (
      <span className="authoring-correct">
        <input
          id={id}
          type={draft.kind === 'multiple' ? 'checkbox' : 'radio'}
          name={idOf('correct')}
          checked={checked}
          onChange={(event) => {
            const on = event.target.checked;
            clear('correct');
            update({
              ...draft,
              correct: draft.kind === 'multiple' ? (on ? [...draft.correct.filter((c) => c !== i), i] : draft.correct.filter((c) => c !== i)) : [i],
            });
          }}
          {...invalidProps('correct')}
        />
        <label htmlFor={id}>{a('skillsAuthoring.editor.correctOption', { n: i + 1 })}</label>
      </span>
    );
  };

  const languageFieldset = (lang: Lang) => {
    const c = draft[lang];
    const optional = lang === 'frCA';
    const stemHint = `${idOf(`${lang}.stem`)}-hint`;
    return (
      <fieldset key={lang} className="authoring-language" lang={lang === 'en' ? 'en' : lang === 'frCA' ? 'fr-CA' : 'fr'}>
        <legend>{langLabel(lang)}</legend>
        {optional && <p className="hint">{a('skillsAuthoring.editor.frCAHint')}</p>}
        <div className="authoring-field">
          <label htmlFor={idOf(`${lang}.stem`)}>{a('skillsAuthoring.editor.stem')}</label>
          <p id={stemHint} className="hint">
            {a('skillsAuthoring.editor.stemHint')}
          </p>
          <textarea id={idOf(`${lang}.stem`)} rows={3} value={c.stem} onChange={(e) => updateLang(lang, { stem: e.target.value })} {...invalidProps(`${lang}.stem`, stemHint)} />
          <FieldMessage id={errorId(`${lang}.stem`)} message={issueAt(`${lang}.stem`)} />
        </div>
        {choice && (
          <fieldset className="authoring-options" {...invalidProps(`${lang}.options`)}>
            <legend>{a('skillsAuthoring.editor.options')}</legend>
            <FieldMessage id={errorId(`${lang}.options`)} message={issueAt(`${lang}.options`)} />
            {lang === 'fr' && <FieldMessage id={errorId('correct')} message={issueAt('correct')} />}
            <ol>
              {c.options.map((option, i) => {
                const path = `${lang}.options.${i}`;
                return (
                  <li key={i}>
                    <div className="authoring-option">
                      <label htmlFor={idOf(path)}>{a('skillsAuthoring.editor.option', { n: i + 1 })}</label>
                      <input
                        id={idOf(path)}
                        type="text"
                        value={option}
                        onChange={(e) => updateLang(lang, { options: c.options.map((o, j) => (j === i ? e.target.value : o)) })}
                        {...invalidProps(path)}
                      />
                      {lang === 'fr' && correctControl(i)}
                      {lang === 'fr' && optionCount > 1 && (
                        <button type="button" className="button button-secondary button-small" onClick={() => update(withOptionRemoved(draft, i))}>
                          {a('skillsAuthoring.editor.removeOption', { n: i + 1 })}
                        </button>
                      )}
                    </div>
                    <FieldMessage id={errorId(path)} message={issueAt(path)} />
                  </li>
                );
              })}
            </ol>
            {lang === 'fr' && optionCount < MAX_OPTIONS && (
              <button type="button" className="button button-secondary button-small" onClick={() => update(withOptionAdded(draft))}>
                {a('skillsAuthoring.editor.addOption')}
              </button>
            )}
          </fieldset>
        )}
        {draft.kind === 'true_false' && lang === 'fr' && (
          <fieldset className="authoring-options" {...invalidProps('correct')}>
            <legend>{a('skillsAuthoring.editor.trueFalse')}</legend>
            <FieldMessage id={errorId('correct')} message={issueAt('correct')} />
            {[0, 1].map((value) => (
              <span key={value} className="authoring-correct">
                <input id={`${idOf('tf')}-${value}`} type="radio" name={idOf('tf')} checked={draft.correct[0] === value} onChange={() => {
                    clear('correct');
                    update({ ...draft, correct: [value] });
                  }}
                />
                <label htmlFor={`${idOf('tf')}-${value}`}>{a(value === 0 ? 'skillsAuthoring.editor.true' : 'skillsAuthoring.editor.false')}</label>
              </span>
            ))}
          </fieldset>
        )}
        {draft.kind === 'short_answer' && (
          <div className="authoring-field">
            <label htmlFor={idOf(`${lang}.accepted`)}>{a('skillsAuthoring.editor.accepted')}</label>
            <p id={`${idOf(`${lang}.accepted`)}-hint`} className="hint">
              {a('skillsAuthoring.editor.acceptedHint')}
            </p>
            <textarea
              id={idOf(`${lang}.accepted`)}
              rows={3}
              value={c.accepted}
              onChange={(e) => updateLang(lang, { accepted: e.target.value })}
              {...invalidProps(`${lang}.accepted`, `${idOf(`${lang}.accepted`)}-hint`)}
            />
            <FieldMessage id={errorId(`${lang}.accepted`)} message={issueAt(`${lang}.accepted`) ?? (issues.some((i) => i.path.startsWith(`${lang}.accepted.`)) ? field('required') : null)} />
          </div>
        )}
        <div className="authoring-field">
          <label htmlFor={idOf(`${lang}.explanation`)}>{a('skillsAuthoring.editor.explanation')}</label>
          <textarea id={idOf(`${lang}.explanation`)} rows={3} value={c.explanation} onChange={(e) => updateLang(lang, { explanation: e.target.value })} {...invalidProps(`${lang}.explanation`)} />
          <FieldMessage id={errorId(`${lang}.explanation`)} message={issueAt(`${lang}.explanation`)} />
        </div>
      </fieldset>
    );
  };

  return (
    <section className="authoring-editor" aria-labelledby={`${base}-title`}>
      <h2 id={`${base}-title`} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {item && (
        <p className="authoring-status-line">
          <span className={`authoring-status authoring-status-${item.status}`}>{a('skillsAuthoring.editor.statusNow', { status: a(`skillsAuthoring.status.${item.status}`) })}</span>{' '}
          {a('skillsAuthoring.editor.parameters', {
            // Numbers, not text: « 1,00 » and « −1,13 » on a French page.
            a: item.parameters.a,
            b: item.parameters.b,
            calibrated: item.parameters.calibrated,
            answers: item.parameters.answers,
          })}
        </p>
      )}
      <div aria-live="polite" className="authoring-messages">
        {message && (
          <p ref={messageRef} tabIndex={-1} className={message.kind === 'ok' ? 'notice' : 'alert alert-error'}>
            {message.text}
          </p>
        )}
        {message?.kind === 'conflict' && (
          <button type="button" className="button button-secondary" aria-disabled={busy || undefined} onClick={() => void reload()}>
            {a('skillsAuthoring.editor.reload')}
          </button>
        )}
        {message?.kind !== 'error' && message?.kind !== 'conflict' && issues.length > 0 && <p className="alert">{a('skillsAuthoring.editor.problems', { count: issues.length })}</p>}
      </div>
      <form ref={form} onSubmit={save} noValidate aria-busy={busy}>
        <fieldset className="authoring-general">
          <legend>{a('skillsAuthoring.editor.general')}</legend>
          <div className="authoring-field">
            <label htmlFor={idOf('competence')}>{a('skillsAuthoring.filters.competence')}</label>
            <select id={idOf('competence')} value={draft.competence} onChange={(e) => update({ ...draft, competence: e.target.value })} {...invalidProps('competence')}>
              {props.competences.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.organisationId ? c.name : `${c.id} ${c.name}`}
                </option>
              ))}
            </select>
            <FieldMessage id={errorId('competence')} message={issueAt('competence')} />
          </div>
          <div className="authoring-field">
            <label htmlFor={idOf('level')}>{a('skillsAuthoring.editor.level')}</label>
            <select id={idOf('level')} value={draft.level} onChange={(e) => update({ ...draft, level: Number(e.target.value) })} {...invalidProps('level')}>
              {[1, 2, 3, 4, 5, 6, 7, 8].map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
            <FieldMessage id={errorId('level')} message={issueAt('level')} />
          </div>
          <div className="authoring-field">
            <label htmlFor={idOf('kind')}>{a('skillsAuthoring.editor.kind')}</label>
            <select
              id={idOf('kind')}
              value={draft.kind}
              onChange={(e) => {
                const kind = e.target.value as ItemKind;
                update({ ...draft, kind, correct: kind === draft.kind ? draft.correct : [] });
              }}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {a(`skillsAuthoring.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        {LANGS.map(languageFieldset)}
        <div className="authoring-actions">
          {/* aria-disabled, not disabled, while busy: a disabled button drops the focus to <body>. */}
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {busy ? a('skillsAuthoring.editor.saving') : a('skillsAuthoring.editor.save')}
          </button>
          {item && item.status !== 'live' && (
            <button type="button" className="button button-secondary" aria-disabled={busy || undefined} onClick={() => void changeStatus('live')}>
              {a('skillsAuthoring.editor.publish')}
            </button>
          )}
          {item && item.status === 'live' && (
            <button type="button" className="button button-secondary" aria-disabled={busy || undefined} onClick={() => void changeStatus('retired')}>
              {a('skillsAuthoring.editor.retire')}
            </button>
          )}
          {item && item.status !== 'draft' && (
            <button type="button" className="button button-secondary" aria-disabled={busy || undefined} onClick={() => void changeStatus('draft')}>
              {a('skillsAuthoring.editor.toDraft')}
            </button>
          )}
          <button type="button" className="button button-secondary" onClick={props.onClose}>
            {a('skillsAuthoring.editor.close')}
          </button>
        </div>
      </form>
      <ItemPreview text={text} draft={draft} />
    </section>
  );
}

/** Another author saved the question since it was loaded (its version moved on). */
const conflicted = (error: unknown) => error instanceof AuthoringProblem && error.problem.slug === 'item_conflict';
