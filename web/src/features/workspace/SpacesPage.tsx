import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import type { FieldIssue } from '@entente/common/field-issues.ts';
import { Link } from 'react-router';
import { Page } from '../../app/Page.tsx';
import { Problem } from '../../app/api.ts';
import { SignInLink } from '../../app/SignInLink.tsx';
import { type Jurisdiction, type Space, spacePath, spacesApi } from './api.ts';
import { focusFirstRefused, SpaceFieldError, SpaceFields, type SpaceSettings, spaceFieldId } from './SpaceFields.tsx';
import { useWorkspaceText } from './text.ts';
import './workspace.css';

type Loaded = { state: 'loading' } | { state: 'signedOut' } | { state: 'failed'; error: unknown } | { state: 'ready'; spaces: Space[] };

/** « Mes espaces »: the spaces the agent is a member of (both cells), and a form to create one. */
export function SpacesPage() {
  const { w, problem } = useWorkspaceText();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [status, setStatus] = useState('');

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const { spaces } = await spacesApi.list(signal);
      if (!signal?.aborted) setLoaded({ state: 'ready', spaces });
    } catch (error) {
      if (signal?.aborted) return;
      setLoaded(error instanceof Problem && error.status === 401 ? { state: 'signedOut' } : { state: 'failed', error });
    }
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load]);

  const title = w('workspace.spaces.title');
  if (loaded.state === 'signedOut') {
    return (
      <Page title={title}>
        <p>
          {w('workspace.signInNeeded')} <SignInLink>{w('workspace.signIn')}</SignInLink>
        </p>
      </Page>
    );
  }
  return (
    <Page title={title} className="workspace">
      <p role="status" className="ws-status">
        {loaded.state === 'loading' ? w('workspace.loading') : status}
      </p>
      {loaded.state === 'failed' && <p role="alert">{w('workspace.loadFailed', { reason: problem(loaded.error) })}</p>}
      {loaded.state === 'ready' && (
        <section aria-labelledby="spaces-heading">
          <h2 id="spaces-heading">{w('workspace.spaces.listHeading')}</h2>
          {loaded.spaces.length === 0 ? (
            <p>{w('workspace.spaces.none')}</p>
          ) : (
            <ul className="ws-cards">
              {loaded.spaces.map((space) => (
                <SpaceCard key={space.id} space={space} />
              ))}
            </ul>
          )}
        </section>
      )}
      {loaded.state === 'ready' && (
        <CreateSpaceForm
          onCreated={async (space) => {
            await load();
            setStatus(w('workspace.spaces.created', { name: space.name }));
          }}
        />
      )}
    </Page>
  );
}

function SpaceCard({ space }: { space: Space }) {
  const { w } = useWorkspaceText();
  return (
    <li className="ws-card">
      <h3>
        <Link to={spacePath(space.id)}>{space.name}</Link>
      </h3>
      {space.description && <p>{space.description}</p>}
      <p className="ws-tags">
        <span className={`ws-badge ws-badge-${space.jurisdiction.toLowerCase()}`}>
          <span aria-hidden="true">{space.jurisdiction}</span>
          <span className="ws-sr-only">{w(`workspace.jurisdiction.${space.jurisdiction}`)}</span>
        </span>
        <span>{w('workspace.spaces.role', { role: w(`workspace.role.${space.role}`) })}</span>
        <span>{w('workspace.spaces.classification', { classification: w(`workspace.classification.${space.classification}`) })}</span>
      </p>
    </li>
  );
}

function CreateSpaceForm({ onCreated }: { onCreated: (space: Space) => Promise<void> }) {
  const { w, problem } = useWorkspaceText();
  const [values, setValues] = useState<SpaceSettings>({ name: '', description: '', minAssurance: 'low', classification: 'internal' });
  const [jurisdiction, setJurisdiction] = useState<Jurisdiction>('FR');
  const [errors, setErrors] = useState<ReadonlyMap<string, FieldIssue>>(new Map());
  const [alert, setAlert] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setAlert('');
    setErrors(new Map());
    try {
      const space = await spacesApi.create({ ...values, name: values.name.trim(), description: values.description.trim(), jurisdiction });
      setValues((v) => ({ ...v, name: '', description: '' }));
      if (space) await onCreated(space);
    } catch (error) {
      const fields = error instanceof Problem ? error.fields : new Map<string, FieldIssue>();
      setErrors(fields);
      setAlert(problem(error));
      focusFirstRefused(id, fields);
    } finally {
      setBusy(false);
    }
  };

  const jurisdictionHint = `${id}-jurisdiction-hint`;
  return (
    <section aria-labelledby={`${id}-heading`} className="ws-form-section">
      <h2 id={`${id}-heading`}>{w('workspace.spaces.createHeading')}</h2>
      <form className="ws-form" onSubmit={(event) => void submit(event)} noValidate>
        <p role="alert" className="ws-alert">
          {alert}
        </p>
        <SpaceFields
          idBase={id}
          values={values}
          onChange={(change) => setValues((v) => ({ ...v, ...change }))}
          errors={errors}
          afterDescription={
            <fieldset className="ws-field" aria-describedby={[jurisdictionHint, errors.has('jurisdiction') ? `${id}-jurisdiction-error` : ''].join(' ').trim()}>
              <legend>{w('workspace.spaces.jurisdiction')}</legend>
              <p id={jurisdictionHint} className="ws-hint">
                {w('workspace.spaces.jurisdictionHint')}
              </p>
              {(['FR', 'QC'] as const).map((value) => (
                <label key={value} className="ws-check">
                  <input
                    type="radio"
                    name={`${id}-jurisdiction`}
                    id={value === 'FR' ? spaceFieldId(id, 'jurisdiction') : undefined}
                    value={value}
                    checked={jurisdiction === value}
                    onChange={() => setJurisdiction(value)}
                  />{' '}
                  {w(`workspace.jurisdiction.${value}`)}
                </label>
              ))}
              <SpaceFieldError idBase={id} field="jurisdiction" errors={errors} />
            </fieldset>
          }
        />
        <button type="submit" className="button" disabled={busy}>
          {w('workspace.spaces.create')}
        </button>
      </form>
    </section>
  );
}
