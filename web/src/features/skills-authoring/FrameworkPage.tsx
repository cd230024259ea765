import type { FrameworkView } from '@entente/common/skills.ts';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import {
  addCompetence,
  AuthoringProblem,
  type FieldIssue,
  loadCompetences,
  loadProfiles,
  type OrgCompetence,
  type OrgProfile,
  removeCompetence,
  removeProfile,
} from './api.ts';
import { type AuthoringContext, AuthoringShell, ScopePicker } from './AuthoringShell.tsx';
import { firstInvalidControl, useFocusAfterRender } from './focus.ts';
import { LocalisedFields } from './LocalisedFields.tsx';
import { ProfileEditor } from './ProfileEditor.tsx';
import { type AuthoringText, useAuthoringText } from './text.ts';
import { useReportDirty, useUnsavedGuard } from './unsaved.tsx';

/** « Référentiel de l'organisation »: its own competences and target profiles. */
export function FrameworkPage() {
  const text = useAuthoringText();
  const { a } = text;
  return (
    <AuthoringShell title={a('skillsAuthoring.framework.title')} intro={a('skillsAuthoring.framework.intro')} withShared={false}>
      {(context) => <OrganisationFramework text={text} context={context} />}
    </AuthoringShell>
  );
}

/** CRCN and Québec ids with their names, as the framework's DigComp competences map to them. */
function mappings(framework: FrameworkView) {
  const crcn = new Map<string, string>();
  const quebec = new Map<string, string>();
  for (const c of framework.competences) {
    for (const m of c.crcn) crcn.set(m.id, m.name);
    for (const m of c.quebec) quebec.set(m.id, m.name);
  }
  const order = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  return { crcn: [...crcn.entries()].sort(([x], [y]) => order(x, y)), quebec: [...quebec.entries()].sort(([x], [y]) => order(x, y)) };
}

function OrganisationFramework({ text, context }: { text: AuthoringText; context: AuthoringContext }) {
  const { a } = text;
  const [orgId, setOrgId] = useState<string>(context.scopes[0]?.scope ?? '');
  const [competences, setCompetences] = useState<OrgCompetence[] | null>(null);
  const [profiles, setProfiles] = useState<OrgProfile[] | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState<OrgProfile | 'new' | null>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);
  const newProfileButton = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  // Unsaved edits in the profile editor or the competence form: leaving the page asks first, and
  // so does replacing or closing the profile editor (the competence form stays as it is).
  const [profileDirty, setProfileDirty] = useState(false);
  const [competenceDirty, setCompetenceDirty] = useState(false);
  const guard = useUnsavedGuard(text, profileDirty || competenceDirty);
  const editProfile = (profile: OrgProfile) => {
    if (editing !== null && editing !== 'new' && editing.id === profile.id) {
      document.querySelector<HTMLElement>('.authoring-profile h3')?.focus();
      return;
    }
    guard.confirmDiscard(() => setEditing(profile), profileDirty);
  };

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [c, p] = await Promise.all([loadCompetences(orgId, signal), loadProfiles(orgId, signal)]);
        if (signal?.aborted) return;
        setCompetences(c);
        setProfiles(p);
      } catch (error) {
        if (!signal?.aborted) setMessage({ kind: 'error', text: text.problem(error) });
      }
    },
    [orgId, text],
  );
  useEffect(() => {
    const abort = new AbortController();
    void reload(abort.signal);
    return () => abort.abort();
  }, [reload]);

  const remove = async (competence: OrgCompetence) => {
    setMessage(null);
    try {
      await removeCompetence(orgId, competence.id);
      setMessage({ kind: 'ok', text: a('skillsAuthoring.competences.removed') });
      await reload();
    } catch (error) {
      const inUse = error instanceof AuthoringProblem && error.problem.status === 409;
      setMessage({ kind: 'error', text: inUse ? a('skillsAuthoring.competences.inUse') : text.problem(error) });
    }
  };
  const removeOne = async (profile: OrgProfile) => {
    setMessage(null);
    try {
      await removeProfile(orgId, profile.id);
      setMessage({ kind: 'ok', text: a('skillsAuthoring.profiles.removed') });
      await reload();
    } catch (error) {
      setMessage({ kind: 'error', text: text.problem(error) });
    }
  };

  const digcomp = context.framework.competences.filter((c) => c.organisationId === null);
  const map = mappings(context.framework);
  const nameOf = (id: string, list: [string, string][]) => list.find(([k]) => k === id)?.[1] ?? id;
  const profileCompetences = [
    ...digcomp.map((c) => ({ id: c.id, name: `${c.id} ${c.name}` })),
    ...(competences ?? []).map((c) => ({ id: c.id, name: text.local(c.name) })),
  ];

  return (
    <>
      <ScopePicker
        label={a('skillsAuthoring.org.label')}
        scopes={context.scopes}
        value={orgId}
        onChange={(next) =>
          guard.confirmDiscard(() => {
            setOrgId(next ?? '');
            setEditing(null);
            setMessage(null);
          }, profileDirty)
        }
      />
      {guard.dialog}
      <div aria-live="polite">
        {message && (
          <p ref={messageRef} tabIndex={-1} className={message.kind === 'ok' ? 'notice' : 'alert alert-error'}>
            {message.text}
          </p>
        )}
      </div>

      <section aria-labelledby="authoring-competences">
        <h2 id="authoring-competences">{a('skillsAuthoring.competences.heading')}</h2>
        {competences === null ? (
          <p>{a('skillsAuthoring.loading')}</p>
        ) : competences.length === 0 ? (
          <p>{a('skillsAuthoring.competences.none')}</p>
        ) : (
          <ul className="authoring-cards">
            {competences.map((c) => (
              <li key={c.id} className="authoring-card">
                <h3>{text.local(c.name)}</h3>
                <p>
                  <code>{c.id}</code> — {context.framework.areas.find((area) => area.id === c.area)?.name}
                </p>
                <p>{text.local(c.description)}</p>
                <p className="hint">
                  {a('skillsAuthoring.competences.mapping', {
                    crcn: c.crcn.map((id) => `${id} ${nameOf(id, map.crcn)}`).join(', ') || a('skillsAuthoring.competences.noMapping'),
                    quebec: c.quebec.map((id) => nameOf(id, map.quebec)).join(', ') || a('skillsAuthoring.competences.noMapping'),
                  })}
                </p>
                <button type="button" className="button button-danger button-small" onClick={() => void remove(c)}>
                  {a('skillsAuthoring.competences.remove', { name: text.local(c.name) })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <CompetenceForm
          text={text}
          areas={context.framework.areas}
          crcn={map.crcn}
          quebec={map.quebec}
          onDirtyChange={setCompetenceDirty}
          onAdd={async (body) => {
            const added = await addCompetence(orgId, body);
            setMessage({ kind: 'ok', text: a('skillsAuthoring.competences.added', { name: text.local(added.name) }) });
            await reload();
            // The form is emptied below the list: the agent is taken to the confirmation, at the top.
            focusAfterRender(() => messageRef.current);
          }}
        />
      </section>

      <section aria-labelledby="authoring-profiles">
        <h2 id="authoring-profiles">{a('skillsAuthoring.profiles.heading')}</h2>
        {profiles === null ? (
          <p>{a('skillsAuthoring.loading')}</p>
        ) : profiles.length === 0 ? (
          <p>{a('skillsAuthoring.profiles.none')}</p>
        ) : (
          <ul className="authoring-cards">
            {profiles.map((p) => (
              <li key={p.id} className="authoring-card">
                <h3>{text.local(p.name)}</h3>
                <p>
                  {a(`skillsAuthoring.profiles.role.${p.role}`)} — {a('skillsAuthoring.profiles.count', { count: Object.keys(p.required).length })}
                </p>
                <div className="authoring-actions">
                  <button type="button" className="button button-secondary button-small" onClick={() => editProfile(p)}>
                    {a('skillsAuthoring.profiles.edit', { name: text.local(p.name) })}
                  </button>
                  <button type="button" className="button button-danger button-small" onClick={() => void removeOne(p)}>
                    {a('skillsAuthoring.profiles.remove', { name: text.local(p.name) })}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {editing === null ? (
          <p>
            <button ref={newProfileButton} type="button" className="button" onClick={() => setEditing('new')}>
              {a('skillsAuthoring.profiles.new')}
            </button>
          </p>
        ) : (
          <ProfileEditor
            key={editing === 'new' ? 'new' : editing.id}
            text={text}
            orgId={orgId}
            profile={editing === 'new' ? null : editing}
            competences={profileCompetences}
            onDirtyChange={setProfileDirty}
            onDone={async (saved) => {
              if (!saved) {
                // « Annuler »: the edits go only if the agent says so; then back to « Nouveau profil ».
                guard.confirmDiscard(() => {
                  setEditing(null);
                  focusAfterRender(() => newProfileButton.current);
                }, profileDirty);
                return;
              }
              setEditing(null);
              setMessage({ kind: 'ok', text: a('skillsAuthoring.profiles.saved', { name: text.local(saved.name) }) });
              await reload();
              focusAfterRender(() => messageRef.current);
            }}
          />
        )}
      </section>
    </>
  );
}

function CompetenceForm(props: {
  text: AuthoringText;
  areas: FrameworkView['areas'];
  crcn: [string, string][];
  quebec: [string, string][];
  onAdd: (body: Omit<OrgCompetence, 'id' | 'organisationId'>) => Promise<void>;
  /** Whether the form holds something not added yet, at each change. */
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const { text } = props;
  const { a } = text;
  const empty = { area: '1', name: { fr: '', frCA: '', en: '' }, description: { fr: '', frCA: '', en: '' }, crcn: [] as string[], quebec: [] as string[] };
  const [form, setForm] = useState(empty);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const areaId = useId();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const texts = (t: { fr: string; frCA: string; en: string }) => [t.fr, t.frCA, t.en].some((v) => v.trim() !== '');
  useReportDirty(form.area !== empty.area || texts(form.name) || texts(form.description) || form.crcn.length > 0 || form.quebec.length > 0, props.onDirtyChange);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const missing: FieldIssue[] = [];
    for (const f of ['name', 'description'] as const) for (const l of ['fr', 'en'] as const) if (!form[f][l].trim()) missing.push({ path: `${f}.${l}`, code: 'required' });
    setIssues(missing);
    if (missing.length > 0) {
      setError(a('skillsAuthoring.form.invalid'));
      focusAfterRender(() => firstInvalidControl(formRef.current));
      return;
    }
    setBusy(true);
    setError(null);
    const clean = (t: { fr: string; frCA: string; en: string }) => ({ fr: t.fr.trim(), ...(t.frCA.trim() ? { frCA: t.frCA.trim() } : {}), en: t.en.trim() });
    try {
      await props.onAdd({ area: form.area, name: clean(form.name), description: clean(form.description), crcn: form.crcn, quebec: form.quebec });
      setForm(empty);
    } catch (problem) {
      if (problem instanceof AuthoringProblem) setIssues(problem.fields);
      // Fields named by the server: the same summary as for those the form found itself.
      setError(problem instanceof AuthoringProblem && problem.fields.length > 0 ? a('skillsAuthoring.form.invalid') : text.problem(problem));
      focusAfterRender(() => firstInvalidControl(formRef.current) ?? formRef.current?.querySelector<HTMLElement>('.alert') ?? null);
    } finally {
      setBusy(false);
    }
  };
  /** A field changed: its old error no longer applies. */
  const change = (next: typeof form, field: string) => {
    setForm(next);
    const changed = (['fr', 'frCA', 'en'] as const).filter((l) => next[field as 'name'][l] !== form[field as 'name'][l]).map((l) => `${field}.${l}`);
    setIssues((current) => current.filter((i) => !changed.includes(i.path)));
  };
  const toggle = (list: 'crcn' | 'quebec', id: string, on: boolean) => setForm({ ...form, [list]: on ? [...form[list], id] : form[list].filter((x) => x !== id) });

  return (
    <form ref={formRef} className="authoring-form" onSubmit={submit} noValidate aria-labelledby={headingId} aria-busy={busy}>
      <h3 id={headingId}>{a('skillsAuthoring.competences.add')}</h3>
      {error && (
        <p className="alert alert-error" tabIndex={-1}>
          {error}
        </p>
      )}
      <div className="authoring-field">
        <label htmlFor={areaId}>{a('skillsAuthoring.competences.area')}</label>
        <select id={areaId} value={form.area} onChange={(e) => setForm({ ...form, area: e.target.value })}>
          {props.areas.map((area) => (
            <option key={area.id} value={area.id}>
              {area.id}. {area.name}
            </option>
          ))}
        </select>
      </div>
      <LocalisedFields text={text} legend={a('skillsAuthoring.competences.name')} path="name" value={form.name} issues={issues} onChange={(name) => change({ ...form, name: { ...form.name, ...name } }, 'name')} />
      <LocalisedFields
        text={text}
        legend={a('skillsAuthoring.competences.description')}
        path="description"
        value={form.description}
        multiline
        issues={issues}
        onChange={(description) => change({ ...form, description: { ...form.description, ...description } }, 'description')}
      />
      {(['crcn', 'quebec'] as const).map((list) => (
        <fieldset key={list} className="authoring-checks">
          <legend>{a(list === 'crcn' ? 'skillsAuthoring.competences.crcn' : 'skillsAuthoring.competences.quebec')}</legend>
          <ul>
            {props[list].map(([id, name]) => (
              <li key={id}>
                <label>
                  <input type="checkbox" checked={form[list].includes(id)} onChange={(e) => toggle(list, id, e.target.checked)} />
                  <span>{list === 'crcn' ? `${id} ${name}` : name}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ))}
      {/* aria-disabled, not disabled: a disabled button loses the focus, which would drop to the page. */}
      <button type="submit" className="button" aria-disabled={busy || undefined}>
        {a('skillsAuthoring.competences.add')}
      </button>
    </form>
  );
}
