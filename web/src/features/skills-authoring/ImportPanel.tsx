import { type FormEvent, useId, useRef, useState } from 'react';
import { AuthoringProblem, exportUrl, type ImportReport, importItems, type Scope } from './api.ts';
import type { AuthoringText } from './text.ts';

/** Export as a download link; import from a file, with the server's report for each item. */
export function ImportPanel(props: { text: AuthoringText; scope: Scope; onImported: () => void }) {
  const { text } = props;
  const { a, field } = text;
  const fileId = useId();
  const hintId = useId();
  const errorId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file || busy) {
      setError(field('required'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        setError(a('skillsAuthoring.import.notJson'));
        return;
      }
      setReport(await importItems(props.scope, parsed));
      props.onImported();
    } catch (problem) {
      setError(problem instanceof AuthoringProblem && problem.fields.length > 0 ? `${text.problem(problem)} (${problem.fields.map((f) => f.path || '—').join(', ')})` : text.problem(problem));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="authoring-import">
      <p>
        <a className="button button-secondary" href={exportUrl(props.scope)} download>
          {a('skillsAuthoring.export')}
        </a>
      </p>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <fieldset>
          <legend>{a('skillsAuthoring.import.legend')}</legend>
          <div className="authoring-field">
            <label htmlFor={fileId}>{a('skillsAuthoring.import.file')}</label>
            <p id={hintId} className="hint">
              {a('skillsAuthoring.import.hint')}
            </p>
            <input
              ref={input}
              id={fileId}
              type="file"
              accept="application/json,.json"
              aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(' ')}
              aria-invalid={error ? true : undefined}
            />
            {error && (
              <p id={errorId} className="authoring-error">
                {error}
              </p>
            )}
          </div>
          <button type="submit" className="button" disabled={busy}>
            {busy ? a('skillsAuthoring.import.running') : a('skillsAuthoring.import.submit')}
          </button>
        </fieldset>
      </form>
      <div aria-live="polite">
        {report && (
          <>
            <p className="notice">{a('skillsAuthoring.import.summary', { created: report.created, updated: report.updated, unchanged: report.unchanged, errors: report.errors })}</p>
            <table className="authoring-table">
              <caption>{a('skillsAuthoring.import.reportCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{a('skillsAuthoring.import.col.position')}</th>
                  <th scope="col">{a('skillsAuthoring.import.col.key')}</th>
                  <th scope="col">{a('skillsAuthoring.import.col.outcome')}</th>
                  <th scope="col">{a('skillsAuthoring.import.col.reasons')}</th>
                </tr>
              </thead>
              <tbody>
                {report.items.map((line) => (
                  <tr key={line.index} className={line.outcome === 'error' ? 'authoring-row-error' : undefined}>
                    <th scope="row">{line.index + 1}</th>
                    <td>{line.key ?? '—'}</td>
                    <td>{a(`skillsAuthoring.import.outcome.${line.outcome}`)}</td>
                    <td>
                      {(line.errors ?? []).length > 0 && (
                        <ul>
                          {(line.errors ?? []).map((e) => (
                            <li key={`${e.path}-${e.code}`}>{a('skillsAuthoring.import.reason', { field: e.path || '—', message: field(e.code) })}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}
