import { useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Problem } from '../../../app/api.ts';
import { type DocumentSummary, documentPath, roleAtLeast } from '../api.ts';
import { UploadDropZone } from '../files/UploadDropZone.tsx';
import '../files/files.css';
import { getImport, IMPORT_EXTENSIONS, type ImportView, importable, type ReportEntry, startImport } from './imports-api.ts';
import { useImportsText } from './text.ts';
import './imports.css';

interface ImportPanelProps {
  spaceId: string;
  /** Said while files are dragged over the zone when the import goes to the root. */
  spaceName: string;
  /** The space's live documents: where the import may go. */
  documents: DocumentSummary[];
  /** SpacePage's `act`: reloads the tree and says `done` in the page's status line. */
  act: (change: () => Promise<unknown>, done: string) => Promise<boolean>;
}

interface Row {
  key: string;
  file: string;
  entry: ReportEntry;
}

const POLL_MS = 500;

/**
 * « Importer » on a space's page (editors and owners): Markdown, HTML, DOCX files or zips, chosen
 * with the picker or dropped on the zone, sent one after the other; a progress bar follows each
 * upload and then its conversion on the server; the report lists every file — imported (with a
 * link to the document), not converted (why), skipped — and what was removed from each.
 */
export function ImportPanel({ spaceId, spaceName, documents, act }: ImportPanelProps) {
  const { m, reason, dropped } = useImportsText();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [parentId, setParentId] = useState('');
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<{ value: number; text: string } | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [alerts, setAlerts] = useState<string[]>([]);
  const [summary, setSummary] = useState('');

  const parents = documents.filter((d) => !d.trashedAt && roleAtLeast(d.role, 'editor'));
  const location = parents.find((d) => d.id === parentId)?.title ?? spaceName;

  const run = async () => {
    if (files.length === 0 || running) return;
    setRunning(true);
    setRows([]);
    setAlerts([]);
    setSummary('');
    const collected: Row[] = [];
    const problems: string[] = [];
    let imported = 0;
    let failed = 0;
    const count = files.length;
    for (const [index, file] of files.entries()) {
      const base = index / count;
      const share = 1 / count;
      if (!importable(file.name)) {
        failed += 1;
        // OpenDocument text is the one type agents are told to expect later: say so, and what to do.
        problems.push(m(file.name.toLowerCase().endsWith('.odt') ? 'imports.odtNotYet' : 'imports.unsupported', { name: file.name }));
        continue;
      }
      let view: ImportView;
      try {
        view = await startImport(spaceId, file, parentId || null, (fraction) => {
          setProgress({
            value: Math.round((base + share * fraction * 0.5) * 100),
            text: m('imports.progress.upload', { name: file.name, index: index + 1, count, percent: Math.round(fraction * 100) }),
          });
        });
      } catch (error) {
        failed += 1;
        problems.push(m('imports.failedUpload', { name: file.name, reason: describe(error) }));
        continue;
      }
      while (view.status === 'converting' || view.status === 'creating') {
        const converted = view.total > 0 ? view.processed / view.total : 0;
        setProgress({
          value: Math.round((base + share * (0.5 + converted * 0.5)) * 100),
          text: view.total > 0 ? m('imports.progress.convert', { name: file.name, processed: view.processed, total: view.total }) : m('imports.progress.wait', { name: file.name }),
        });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        try {
          view = await getImport(view.id);
        } catch (error) {
          problems.push(m('imports.failedImport', { name: file.name, reason: describe(error) }));
          break;
        }
      }
      const zip = file.name.toLowerCase().endsWith('.zip');
      for (const [n, entry] of view.report.entries()) {
        collected.push({ key: `${view.id}-${n}`, file: zip && entry.path !== view.fileName ? `${file.name} › ${entry.path}` : entry.path, entry });
      }
      imported += view.imported;
      failed += view.status === 'failed' ? Math.max(1, view.failed) : view.failed;
      // The report's rows already say why each file failed; a line of its own only when there is none.
      if (view.status === 'failed' && view.error && view.report.length === 0) {
        problems.push(m('imports.failedImport', { name: file.name, reason: reason(view.error) }));
      }
      setRows([...collected]);
    }
    setProgress({ value: 100, text: '' });
    const done = m('imports.summary', { imported, failed });
    setSummary(done);
    setAlerts(problems);
    setFiles([]);
    if (input.current) input.current.value = '';
    setRunning(false);
    // The tree shows the new documents; the page's status line says how it went.
    await act(async () => undefined, done);
  };

  function describe(error: unknown): string {
    // The server's title and detail are already in the page's language.
    if (error instanceof Problem && error.title) return error.detail ? `${error.title} — ${error.detail}` : error.title;
    return reason('unknown');
  }

  const addFiles = (list: File[]) => setFiles((current) => [...current, ...list]);

  return (
    <section aria-labelledby={`${id}-heading`} className="ws-imports">
      <h2 id={`${id}-heading`}>{m('imports.heading')}</h2>
      <button type="button" className="button button-secondary" aria-expanded={open} aria-controls={`${id}-panel`} onClick={() => setOpen((v) => !v)}>
        {open ? m('imports.close') : m('imports.open')}
      </button>
      <div id={`${id}-panel`} hidden={!open}>
        <p className="ws-hint">{m('imports.intro')}</p>
        <form
          className="ws-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run();
          }}
        >
          {/* The files area's drop zone: the same pointer shortcut (and refusal of dropped folders); the picker inside is the keyboard way. */}
          <UploadDropZone enabled={!running} folderName={location} onFiles={addFiles} onRefused={(message) => setAlerts([message])}>
            <div className="ws-imports-dropzone" data-testid="imports-dropzone">
              <div className="ws-field">
                <label htmlFor={`${id}-files`}>{m('imports.pick')}</label>
                <input
                  ref={input}
                  id={`${id}-files`}
                  type="file"
                  multiple
                  accept={IMPORT_EXTENSIONS.join(',')}
                  aria-describedby={`${id}-selected`}
                  disabled={running}
                  onChange={(event) => setFiles(Array.from(event.target.files ?? []))}
                />
              </div>
              <p className="ws-muted">{m('imports.drop')}</p>
              <p id={`${id}-selected`}>{m('imports.selected', { count: files.length, names: files.map((f) => f.name).join(', ') })}</p>
            </div>
          </UploadDropZone>
          <div className="ws-field">
            <label htmlFor={`${id}-parent`}>{m('imports.parent')}</label>
            <select id={`${id}-parent`} value={parentId} disabled={running} onChange={(event) => setParentId(event.target.value)}>
              <option value="">{m('imports.parent.root')}</option>
              {parents.map((doc) => (
                <option key={doc.id} value={doc.id}>
                  {doc.title}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit" className="button" disabled={running || files.length === 0}>
              {m('imports.start')}
            </button>
          </div>
        </form>
        {progress && (
          <div className="ws-imports-progress">
            <progress id={`${id}-progress`} max={100} value={progress.value} aria-label={m('imports.progress.label')} aria-valuetext={progress.text || `${progress.value} %`} />
            <p className="ws-muted">{progress.text}</p>
          </div>
        )}
        <p role="status" className="ws-imports-summary">
          {summary}
        </p>
        <div role="alert">
          {alerts.map((text) => (
            <p key={text} className="ws-field-error">
              {text}
            </p>
          ))}
        </div>
        {rows.length > 0 && (
          <table className="ws-imports-report">
            <caption>{m('imports.report.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{m('imports.report.file')}</th>
                <th scope="col">{m('imports.report.result')}</th>
                <th scope="col">{m('imports.report.details')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ key, file, entry }) => {
                const notes = dropped(entry.dropped);
                return (
                  <tr key={key} className={`ws-imports-${entry.status}`}>
                    <th scope="row">{file}</th>
                    <td>
                      {entry.status === 'imported' && entry.documentId ? (
                        <Link to={documentPath(spaceId, entry.documentId)}>
                          {m(entry.path.endsWith('/') ? 'imports.report.folder' : 'imports.report.imported', { title: entry.title ?? '' })}
                        </Link>
                      ) : entry.status === 'skipped' ? (
                        m('imports.report.skipped', { reason: reason(entry.reason) })
                      ) : (
                        m('imports.report.failed', { reason: reason(entry.reason) })
                      )}
                    </td>
                    <td>
                      {notes.length === 0 ? (
                        <span className="ws-muted">{m('imports.report.none')}</span>
                      ) : (
                        <ul className="ws-imports-notes">
                          {notes.map((note) => (
                            <li key={note}>{note}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
