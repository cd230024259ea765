import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { AuthoringProblem, exportUrl, IMPORT_MAX_ITEMS, type ImportReport, importItems, ITEMS_FILE_FORMAT, type Scope } from './api.ts';
import type { AuthoringText } from './text.ts';

/** A file refused whole: one sentence, and the server's reasons (each place in words) when it gave some. */
interface FileError {
  text: string;
  reasons?: string[];
}

/**
 * What keeps a parsed file from being an item export this installation reads, said before sending
 * it: the server's answer to a wrong shape is only a list of paths (`format, version, items`).
 */
function fileProblem(text: AuthoringText, file: unknown): string | null {
  const { a } = text;
  if (file === null || typeof file !== 'object' || Array.isArray(file)) return a('skillsAuthoring.import.notExport');
  const { format, version, items } = file as { format?: unknown; version?: unknown; items?: unknown };
  if (format !== ITEMS_FILE_FORMAT || !Array.isArray(items)) return a('skillsAuthoring.import.notExport');
  if (version !== 1) return version === undefined ? a('skillsAuthoring.import.notExport') : a('skillsAuthoring.import.version', { version: String(version) });
  if (items.length > IMPORT_MAX_ITEMS) return a('skillsAuthoring.import.tooMany', { count: items.length });
  return null;
}

/** Export as a download link; import from a file, with the server's report for each item. */
export function ImportPanel(props: { text: AuthoringText; scope: Scope; onImported: () => void }) {
  const { text } = props;
  const { a, field, place } = text;
  const fileId = useId();
  const hintId = useId();
  const errorId = useId();
  const input = useRef<HTMLInputElement>(null);
  const summary = useRef<HTMLParagraphElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FileError | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  /** After an import, focus goes to what it says: the file's error (through its field), or the report's summary. */
  const [focusRequest, setFocusRequest] = useState<{ on: 'file' | 'summary' } | null>(null);
  useEffect(() => {
    if (focusRequest) (focusRequest.on === 'file' ? input.current : summary.current)?.focus();
  }, [focusRequest]);

  const refuse = (next: FileError) => {
    setError(next);
    setFocusRequest({ on: 'file' });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const file = input.current?.files?.[0];
    if (!file) {
      refuse({ text: field('required') });
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
        refuse({ text: a('skillsAuthoring.import.notJson') });
        return;
      }
      const problem = fileProblem(text, parsed);
      if (problem) {
        refuse({ text: problem });
        return;
      }
      setReport(await importItems(props.scope, parsed));
      setFocusRequest({ on: 'summary' });
      props.onImported();
    } catch (problem) {
      if (problem instanceof AuthoringProblem && problem.fields.length > 0)
        refuse({
          text: a('skillsAuthoring.import.refused'),
          reasons: problem.fields.map((f) => a('skillsAuthoring.import.reason', { field: f.path ? place(f.path) : a('skillsAuthoring.path.file'), message: field(f) })),
        });
      else refuse({ text: text.problem(problem) });
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
              onChange={() => setError(null)}
            />
            {error && (
              <div id={errorId} className="authoring-error authoring-file-error">
                <p>{error.text}</p>
                {error.reasons && (
                  <ul>
                    {error.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </div>
          {/* aria-disabled, not disabled, while busy: a disabled button drops the focus to <body>. */}
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {busy ? a('skillsAuthoring.import.running') : a('skillsAuthoring.import.submit')}
          </button>
        </fieldset>
      </form>
      <div aria-live="polite">
        {report && (
          <p ref={summary} tabIndex={-1} className="notice">
            {a('skillsAuthoring.import.summary', { created: report.created, updated: report.updated, unchanged: report.unchanged, errors: report.errors })}
          </p>
        )}
      </div>
      {report && report.items.length > 0 && (
        <table className="authoring-table authoring-import-report">
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
                  {(line.problems ?? []).length > 0 && <p className="authoring-import-tofix">{a('skillsAuthoring.import.toFix')}</p>}
                  {[...(line.errors ?? []), ...(line.problems ?? [])].length > 0 && (
                    <ul>
                      {[...(line.errors ?? []), ...(line.problems ?? [])].map((e) => (
                        <li key={`${e.path}-${e.code}`}>{a('skillsAuthoring.import.reason', { field: place(e.path), message: field(e) })}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
