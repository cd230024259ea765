import { useCallback, useEffect, useState } from 'react';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { type DiffBlock, type JSONContent, personName, type Version, versionsApi } from './api.ts';
import { InlineTextForm } from './InlineTextForm.tsx';
import { ReadOnlyDocument } from './ReadOnlyDocument.tsx';
import { useWorkspaceText } from './text.ts';

type Shown = { kind: 'view'; version: Version; content: JSONContent } | { kind: 'diff'; version: Version; blocks: DiffBlock[] } | null;

/**
 * The document's history: automatic, named and before-restore versions (date, author); name the
 * current state; view a version read-only; see what changed since (blocks added and removed,
 * said in words and marked with + and −, not by colour alone); restore one, after confirming.
 * A restore is a new live change everyone receives: the editor above shows it by itself.
 */
export function HistoryPanel({ documentId, canEdit, lang }: { documentId: string; canEdit: boolean; /** The document's language. */ lang?: string }) {
  const { w, dateTime, problem } = useWorkspaceText();
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const [shown, setShown] = useState<Shown>(null);
  const [restoring, setRestoring] = useState<Version | null>(null);

  const load = useCallback(async () => {
    try {
      setVersions((await versionsApi.list(documentId)).versions);
    } catch (error) {
      setVersions([]);
      setAlert(problem(error));
    }
  }, [documentId, problem]);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (change: () => Promise<unknown>, done: string) => {
    setStatus('');
    setAlert('');
    try {
      await change();
      setStatus(done);
      await load();
      return true;
    } catch (error) {
      setAlert(problem(error));
      return false;
    }
  };

  const label = (version: Version) => version.name || w(`workspace.history.kind.${version.kind}`);

  return (
    <section className="ws-history" aria-labelledby="history-heading">
      <h2 id="history-heading">{w('workspace.history.heading')}</h2>
      <p role="status" className="ws-status">
        {status}
      </p>
      <p role="alert" className="ws-alert">
        {alert}
      </p>
      {canEdit && (
        <InlineTextForm
          label={w('workspace.history.nameLabel')}
          submitLabel={w('workspace.history.name')}
          onSubmit={(name) => run(() => versionsApi.name(documentId, name), w('workspace.history.named', { name }))}
        />
      )}
      <button type="button" className="button button-small button-secondary" onClick={() => void load()}>
        {w('workspace.history.refresh')}
      </button>
      {versions === null ? (
        <p>{w('workspace.loading')}</p>
      ) : versions.length === 0 ? (
        <p>{w('workspace.history.none')}</p>
      ) : (
        <ol className="ws-versions">
          {versions.map((version) => (
            <li key={version.id} className="ws-version">
              <p className="ws-version-title">
                <strong>{label(version)}</strong>
                {version.name && <span className="ws-muted"> {w(`workspace.history.kind.${version.kind}`)}</span>}
              </p>
              <p className="ws-muted">
                {w('workspace.history.meta', { date: dateTime(version.createdAt), author: personName(version.createdBy, w('workspace.history.system')) })}
              </p>
              <span className="ws-actions">
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() =>
                    void versionsApi
                      .get(documentId, version.id)
                      .then(({ content }) => setShown({ kind: 'view', version, content }))
                      .catch((error: unknown) => setAlert(problem(error)))
                  }
                >
                  {w('workspace.history.view', { name: label(version) })}
                </button>
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() =>
                    void versionsApi
                      .diff(documentId, version.id)
                      .then(({ blocks }) => setShown({ kind: 'diff', version, blocks }))
                      .catch((error: unknown) => setAlert(problem(error)))
                  }
                >
                  {w('workspace.history.diff', { name: label(version) })}
                </button>
                {canEdit && (
                  <button type="button" className="button button-small button-danger" onClick={() => setRestoring(version)}>
                    {w('workspace.history.restore', { name: label(version) })}
                  </button>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
      {shown && (
        <div className="ws-version-shown">
          <h3>{shown.kind === 'view' ? w('workspace.history.viewHeading', { name: label(shown.version) }) : w('workspace.history.diffHeading', { name: label(shown.version) })}</h3>
          <button type="button" className="button button-small button-secondary" onClick={() => setShown(null)}>
            {w('workspace.history.closeShown')}
          </button>
          {shown.kind === 'view' ? (
            <ReadOnlyDocument content={shown.content} lang={lang} label={w('workspace.history.viewHeading', { name: label(shown.version) })} />
          ) : (
            <DiffView blocks={shown.blocks} />
          )}
        </div>
      )}
      <ConfirmDialog
        open={restoring !== null}
        title={w('workspace.history.restoreTitle', { name: restoring ? label(restoring) : '' })}
        text={w('workspace.history.restoreText')}
        cancelLabel={w('workspace.cancel')}
        confirmLabel={w('workspace.history.restoreConfirm')}
        onCancel={() => setRestoring(null)}
        onConfirm={() => {
          const version = restoring;
          setRestoring(null);
          if (version) void run(() => versionsApi.restore(documentId, version.id), w('workspace.history.restored', { name: label(version) }));
        }}
      />
    </section>
  );
}

function DiffView({ blocks }: { blocks: DiffBlock[] }) {
  const { w } = useWorkspaceText();
  const changed = blocks.filter((b) => b.op !== 'same').length;
  return (
    <>
      <p>{changed === 0 ? w('workspace.diff.none') : w('workspace.diff.summary', { count: changed })}</p>
      <ul className="ws-diff">
        {blocks.map((block, index) => (
          <li key={index} className={`ws-diff-${block.op}`}>
            {block.op === 'added' && (
              <ins>
                <span className="ws-diff-marker">{w('workspace.diff.added')}</span> {block.text}
              </ins>
            )}
            {block.op === 'removed' && (
              <del>
                <span className="ws-diff-marker">{w('workspace.diff.removed')}</span> {block.text}
              </del>
            )}
            {block.op === 'same' && <span>{block.text}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}
