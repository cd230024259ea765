import { useEffect, useId, useRef, useState } from 'react';
import { send } from '../../app/api.ts';
import { spacesApi } from './api.ts';
import { useWorkspaceText } from './text.ts';

/** The name as the server compares it (server/src/workspace/spaces/delete-space.ts): case matters, surrounding spaces do not. */
const sameName = (typed: string, name: string) => typed.normalize('NFC').trim() === name.normalize('NFC').trim();

/**
 * The danger zone of a space, for its owners: deleting it for good, after typing its name back.
 * The button stays usable (a disabled button explains nothing to a screen reader): a name that
 * does not match is said next to the field, and the server checks it again. On success the
 * space is gone for everyone, so the page leaves it (`onDeleted`).
 */
export function DeleteSpaceSection({ spaceId, onDeleted }: { spaceId: string; onDeleted: () => void }) {
  const { w, problem } = useWorkspaceText();
  const [name, setName] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    const abort = new AbortController();
    spacesApi
      .get(spaceId, abort.signal)
      .then((space) => setName(space.name))
      .catch(() => setName(null));
    return () => abort.abort();
  }, [spaceId]);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  if (name === null) return null;
  const submit = async () => {
    setError('');
    if (!sameName(typed, name)) {
      setError(w('workspace.deleteSpace.mismatch'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    setStatus(w('workspace.deleteSpace.deleting'));
    try {
      await send('DELETE', `/api/spaces/${encodeURIComponent(spaceId)}`, { confirmName: typed });
      setStatus(w('workspace.deleteSpace.deleted', { name }));
      onDeleted();
    } catch (failure) {
      setStatus('');
      setError(problem(failure));
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`} className="ws-danger-zone">
      <h2 id={`${id}-heading`}>{w('workspace.deleteSpace.heading')}</h2>
      <p id={`${id}-text`}>{w('workspace.deleteSpace.text')}</p>
      <p role="status" className="ws-status">
        {status}
      </p>
      {!open ? (
        <button type="button" className="button button-danger" aria-describedby={`${id}-text`} onClick={() => setOpen(true)}>
          {w('workspace.deleteSpace.start')}
        </button>
      ) : (
        <form
          className="ws-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div className="ws-field">
            <label htmlFor={`${id}-name`}>{w('workspace.deleteSpace.confirmLabel', { name })}</label>
            <input
              ref={input}
              id={`${id}-name`}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : `${id}-text`}
              onChange={(e) => setTyped(e.target.value)}
            />
            {error && (
              <p id={`${id}-error`} className="ws-field-error" role="alert">
                {error}
              </p>
            )}
          </div>
          <button type="submit" className="button button-danger" disabled={busy}>
            {w('workspace.deleteSpace.confirm')}
          </button>{' '}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setOpen(false);
              setTyped('');
              setError('');
            }}
          >
            {w('workspace.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
