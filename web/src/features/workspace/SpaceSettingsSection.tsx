import type { FieldIssue } from '@entente/common/field-issues.ts';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Problem } from '../../app/api.ts';
import { type Space, spacesApi } from './api.ts';
import { focusFirstRefused, SpaceFields, type SpaceSettings } from './SpaceFields.tsx';
import { useWorkspaceText } from './text.ts';

const settingsOf = (space: Space): SpaceSettings => ({
  name: space.name,
  description: space.description,
  minAssurance: space.minAssurance,
  classification: space.classification,
});

/**
 * « Paramètres de l'espace », for its owners: its name, description, minimum level of assurance and
 * diffusion (`PATCH /api/spaces/:id`; the server checks the owner again). Only the fields changed
 * are sent, so two owners editing different fields do not undo each other. The jurisdiction is
 * not here: it is chosen once, at creation (moving a space is an operator's command).
 */
export function SpaceSettingsSection({ space, onSaved }: { space: Space; onSaved: (message: string) => Promise<void> }) {
  const { w, problem } = useWorkspaceText();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<SpaceSettings>(() => settingsOf(space));
  // What the form started from: the changes are the agent's edits against it, not against the
  // space as it is now — another owner's change arriving meanwhile (live) must not be undone.
  const [initial, setInitial] = useState<SpaceSettings>(() => settingsOf(space));
  const [errors, setErrors] = useState<ReadonlyMap<string, FieldIssue>>(new Map());
  const [alert, setAlert] = useState('');
  const [busy, setBusy] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);

  const close = () => {
    setOpen(false);
    setErrors(new Map());
    setAlert('');
    toggle.current?.focus();
  };
  const start = () => {
    // The form starts from the space as it is now (another owner may have changed it).
    setValues(settingsOf(space));
    setInitial(settingsOf(space));
    setOpen(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = { ...values, name: values.name.trim(), description: values.description.trim() };
    const change = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => initial[key as keyof SpaceSettings] !== value));
    if (Object.keys(change).length === 0) {
      close();
      await onSaved(w('workspace.settings.unchanged'));
      return;
    }
    setBusy(true);
    setAlert('');
    setErrors(new Map());
    try {
      await spacesApi.update(space.id, change);
      close();
      await onSaved(w('workspace.settings.saved'));
    } catch (error) {
      const fields = error instanceof Problem ? error.fields : new Map<string, FieldIssue>();
      setErrors(fields);
      setAlert(problem(error));
      focusFirstRefused(id, fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`} className="ws-settings">
      <h2 id={`${id}-heading`}>{w('workspace.settings.heading')}</h2>
      <button ref={toggle} type="button" className="button button-secondary" aria-expanded={open} onClick={open ? close : start}>
        {w('workspace.settings.edit')}
      </button>
      {open && (
        <form
          className="ws-form"
          aria-labelledby={`${id}-heading`}
          noValidate
          onSubmit={(event) => void submit(event)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && !busy) close();
          }}
        >
          <p role="alert" className="ws-alert">
            {alert}
          </p>
          <SpaceFields
            idBase={id}
            values={values}
            onChange={(change) => setValues((v) => ({ ...v, ...change }))}
            errors={errors}
            hints={{ minAssurance: w('workspace.settings.minAssuranceHint'), classification: w('workspace.settings.classificationHint') }}
          />
          <div className="ws-actions">
            <button type="submit" className="button" disabled={busy}>
              {w('workspace.settings.save')}
            </button>{' '}
            <button type="button" className="button button-secondary" disabled={busy} onClick={close}>
              {w('workspace.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
