import { useId, useState } from 'react';
import type { Draft, Lang } from './draft.ts';
import type { AuthoringText } from './text.ts';

/**
 * The question as an agent sees it in the test (one fieldset, its stem as legend, the options as
 * radios or checkboxes, or a text field), in the chosen language; fr-CA lays its differences
 * over fr-FR. Nothing here is sent anywhere.
 */
export function ItemPreview({ text, draft }: { text: AuthoringText; draft: Draft }) {
  const { a } = text;
  const [language, setLanguage] = useState<'fr-FR' | 'fr-CA' | 'en'>(text.locale);
  const headingId = useId();
  const selectId = useId();
  const name = useId();
  const inputId = useId();
  const lang: Lang = language === 'en' ? 'en' : 'fr';
  const base = draft[lang];
  const ca = draft.frCA;
  const stem = (language === 'fr-CA' && ca.stem.trim() ? ca.stem : base.stem).trim();
  const options = base.options.map((o, i) => (language === 'fr-CA' && ca.options.some((x) => x.trim()) ? ca.options[i]?.trim() || o : o).trim());
  const choice = draft.kind === 'single' || draft.kind === 'multiple';
  const shown = draft.kind === 'true_false' ? [a('skillsAuthoring.editor.true'), a('skillsAuthoring.editor.false')] : choice ? options : [];
  return (
    <section className="authoring-preview" aria-labelledby={headingId}>
      <h3 id={headingId}>{a('skillsAuthoring.preview.title')}</h3>
      <div className="authoring-field">
        <label htmlFor={selectId}>{a('skillsAuthoring.preview.language')}</label>
        <select id={selectId} value={language} onChange={(event) => setLanguage(event.target.value as typeof language)}>
          <option value="fr-FR">{a('skillsAuthoring.editor.language.fr')}</option>
          <option value="fr-CA">{a('skillsAuthoring.preview.frCA')}</option>
          <option value="en">{a('skillsAuthoring.editor.language.en')}</option>
        </select>
      </div>
      {/* Shown as an agent would see it, but out of the tab order: the editor's keyboard path goes from field to field. */}
      <div className="authoring-preview-question" lang={language === 'en' ? 'en' : language}>
        <fieldset>
          <legend>{stem || a('skillsAuthoring.preview.empty')}</legend>
          {draft.kind === 'multiple' && <p className="hint">{a('skillsAuthoring.preview.multipleHint')}</p>}
          {draft.kind === 'short_answer' ? (
            <p className="authoring-field">
              <label htmlFor={inputId}>{a('skillsAuthoring.preview.answerLabel')}</label>
              <input id={inputId} type="text" autoComplete="off" tabIndex={-1} />
            </p>
          ) : (
            <ul className="authoring-preview-options">
              {shown.map((option, i) => (
                <li key={i}>
                  <label>
                    <input type={draft.kind === 'multiple' ? 'checkbox' : 'radio'} name={name} tabIndex={-1} /> {option || '—'}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
      </div>
    </section>
  );
}
