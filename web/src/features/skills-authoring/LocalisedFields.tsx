import { useId } from 'react';
import type { FieldIssue, LocalisedText } from './api.ts';
import type { AuthoringText } from './text.ts';

/** Inputs for a { fr, frCA?, en } text: one labelled field per language. */
export function LocalisedFields(props: {
  text: AuthoringText;
  legend: string;
  path: string;
  value: LocalisedText;
  multiline?: boolean;
  issues: FieldIssue[];
  onChange: (value: LocalisedText) => void;
}) {
  const { a, field } = props.text;
  const base = useId();
  return (
    <fieldset className="authoring-localised">
      <legend>{props.legend}</legend>
      {(['fr', 'frCA', 'en'] as const).map((lang) => {
        const id = `${base}-${lang}`;
        const issue = props.issues.find((i) => i.path === `${props.path}.${lang}`);
        const common = {
          id,
          value: props.value[lang] ?? '',
          lang: lang === 'en' ? 'en' : lang === 'frCA' ? 'fr-CA' : 'fr',
          'aria-invalid': issue ? true : undefined,
          'aria-describedby': issue ? `${id}-error` : undefined,
          onChange: (e: { target: { value: string } }) => props.onChange({ ...props.value, [lang]: e.target.value }),
        };
        return (
          <div key={lang} className="authoring-field">
            <label htmlFor={id}>{a(`skillsAuthoring.lang.${lang}`)}</label>
            {props.multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
            {issue && (
              <p id={`${id}-error`} className="authoring-error">
                {field(issue)}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
