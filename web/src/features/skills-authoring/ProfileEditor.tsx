import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { AuthoringProblem, type FieldIssue, type OrgProfile, saveProfile } from './api.ts';
import { firstInvalidControl, useFocusAfterRender } from './focus.ts';
import { LocalisedFields } from './LocalisedFields.tsx';
import type { AuthoringText } from './text.ts';
import { useReportDirty } from './unsaved.tsx';

/** A target profile: role, name in each language, and a required level (or none) per competence. */
export function ProfileEditor(props: {
  text: AuthoringText;
  orgId: string;
  profile: OrgProfile | null;
  competences: { id: string; name: string }[];
  /** Saved (the profile), or « Annuler » (null: the page asks first if there are unsaved edits). */
  onDone: (saved: OrgProfile | null) => Promise<void>;
  /** Whether the form holds edits not saved yet, at each change. */
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const { text } = props;
  const { a, field } = text;
  const [role, setRole] = useState<OrgProfile['role']>(props.profile?.role ?? 'agent');
  const [name, setName] = useState({ fr: props.profile?.name.fr ?? '', frCA: props.profile?.name.frCA ?? '', en: props.profile?.name.en ?? '' });
  const [required, setRequired] = useState<Record<string, number>>(props.profile?.required ?? {});
  // As opened: the form is « dirty » when it would save something else.
  const [initial] = useState(() => ({ role, name, required }));
  const sameName = (['fr', 'frCA', 'en'] as const).every((l) => name[l].trim() === initial.name[l].trim());
  const sameLevels = Object.keys(required).length === Object.keys(initial.required).length && Object.entries(required).every(([id, level]) => initial.required[id] === level);
  useReportDirty(role !== initial.role || !sameName || !sameLevels, props.onDirtyChange);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const base = useId();
  useEffect(() => heading.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const missing = (['fr', 'en'] as const).filter((l) => !name[l].trim()).map((l) => ({ path: `name.${l}`, code: 'required' }));
    setIssues(missing);
    if (missing.length) {
      setError(a('skillsAuthoring.form.invalid'));
      focusAfterRender(() => firstInvalidControl(formRef.current));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const id = props.profile?.id ?? crypto.randomUUID();
      const saved = await saveProfile(props.orgId, id, {
        role,
        name: { fr: name.fr.trim(), ...(name.frCA.trim() ? { frCA: name.frCA.trim() } : {}), en: name.en.trim() },
        required,
      });
      await props.onDone(saved);
    } catch (problem) {
      if (problem instanceof AuthoringProblem) setIssues(problem.fields);
      // Fields named by the server: the same summary as for those the form found itself.
      setError(problem instanceof AuthoringProblem && problem.fields.length > 0 ? a('skillsAuthoring.form.invalid') : text.problem(problem));
      focusAfterRender(() => firstInvalidControl(formRef.current) ?? formRef.current?.querySelector<HTMLElement>('.alert') ?? null);
    } finally {
      setBusy(false);
    }
  };

  const title = props.profile ? a('skillsAuthoring.profiles.edit', { name: text.local(props.profile.name) }) : a('skillsAuthoring.profiles.new');
  return (
    <form ref={formRef} className="authoring-form authoring-profile" onSubmit={submit} noValidate aria-labelledby={`${base}-title`} aria-busy={busy}>
      <h3 id={`${base}-title`} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      {error && (
        <p className="alert alert-error" tabIndex={-1}>
          {error}
        </p>
      )}
      <div className="authoring-field">
        <label htmlFor={`${base}-role`}>{a('skillsAuthoring.profiles.role')}</label>
        <select id={`${base}-role`} value={role} onChange={(e) => setRole(e.target.value as OrgProfile['role'])}>
          {(['agent', 'manager', 'digital-specialist'] as const).map((r) => (
            <option key={r} value={r}>
              {a(`skillsAuthoring.profiles.role.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <LocalisedFields text={text} legend={a('skillsAuthoring.profiles.name')} path="name" value={name} issues={issues} onChange={(v) => setName({ ...name, ...v, frCA: v.frCA ?? '' })} />
      <fieldset className="authoring-levels">
        <legend>{a('skillsAuthoring.profiles.levels')}</legend>
        <ul>
          {props.competences.map((c) => {
            const id = `${base}-level-${c.id}`;
            const issue = issues.find((i) => i.path === `required.${c.id}`);
            return (
              <li key={c.id}>
                <label htmlFor={id}>{c.name}</label>
                <select
                  id={id}
                  value={required[c.id] ?? ''}
                  aria-invalid={issue ? true : undefined}
                  aria-describedby={issue ? `${id}-error` : undefined}
                  onChange={(e) => {
                    const { [c.id]: _old, ...rest } = required;
                    setRequired(e.target.value === '' ? rest : { ...rest, [c.id]: Number(e.target.value) });
                  }}
                >
                  <option value="">{a('skillsAuthoring.profiles.noLevel')}</option>
                  {[1, 2, 3, 4, 5, 6, 7, 8].map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
                {issue && (
                  <p id={`${id}-error`} className="authoring-error">
                    {field(issue)}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
      <div className="authoring-actions">
        <button type="submit" className="button" aria-disabled={busy || undefined}>
          {a('skillsAuthoring.profiles.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => void props.onDone(null)}>
          {a('skillsAuthoring.profiles.cancel')}
        </button>
      </div>
    </form>
  );
}
