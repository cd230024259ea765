import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { downloadHref, type FileItem, type FileVersion, filesApi } from './files-api.ts';
import { FilesDialog } from './FilesDialog.tsx';
import { useFilesText } from './text.ts';
import { type QueueItem, uploadQueue, useUploadQueue } from './upload-queue.ts';
import { UploadQueue } from './UploadQueue.tsx';

interface VersionsDialogProps {
  item: FileItem | null;
  canEdit: boolean;
  onClose: () => void;
  /** After a restore: the listing shows the file's new current version. */
  onChanged: () => void;
  /** Queues a new version of `item` (the page checks the quota first). */
  onUpload: (item: FileItem, file: File) => void;
  onRetry: (item: QueueItem) => void;
}

/**
 * A file's versions, newest first: each can be downloaded; editors restore an older one (it comes
 * back as a new current version, nothing is lost) and upload a new one, whose progress shows here.
 */
export function VersionsDialog({ item, canEdit, onClose, onChanged, onUpload, onRetry }: VersionsDialogProps) {
  const { f } = useFilesText();
  const close = useRef<HTMLButtonElement>(null);
  return (
    <FilesDialog open={item !== null} title={item ? f('files.versions.title', { name: item.name }) : ''} onClose={onClose} initialFocus={() => close.current} className="ws-files-versions-dialog">
      {item && <VersionsBody item={item} canEdit={canEdit} onChanged={onChanged} onUpload={onUpload} onRetry={onRetry} />}
      <div className="confirm-dialog-actions">
        <button type="button" ref={close} className="button button-secondary" onClick={onClose}>
          {f('files.close')}
        </button>
      </div>
    </FilesDialog>
  );
}

function VersionsBody({ item, canEdit, onChanged, onUpload, onRetry }: Omit<VersionsDialogProps, 'onClose' | 'item'> & { item: FileItem }) {
  const { f, size, dateTime, failure } = useFilesText();
  const [versions, setVersions] = useState<FileVersion[] | null>(null);
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const queue = useUploadQueue().filter((entry) => entry.target.fileId === item.id);

  const load = useCallback(async () => {
    try {
      const { versions: list } = await filesApi.versions(item.id);
      setVersions([...list].sort((a, b) => b.number - a.number));
    } catch (error) {
      setVersions([]);
      setAlert(failure(error));
    }
  }, [item.id, failure]);
  useEffect(() => {
    void load();
  }, [load]);
  // A new version uploaded from here appears in the list when the server has made it.
  useEffect(() => uploadQueue.onEvent((event) => {
    if (event.item.target.fileId === item.id && event.type === 'done') void load();
  }), [item.id, load]);

  const restore = async (version: FileVersion) => {
    setStatus('');
    setAlert('');
    try {
      await filesApi.restoreVersion(item.id, version.id);
      await load();
      onChanged();
      setStatus(f('files.versions.restored', { number: version.number, name: item.name }));
    } catch (error) {
      setAlert(failure(error));
    }
  };

  return (
    <>
      <p role="status" className="ws-status">
        {status}
      </p>
      <p role="alert" className="ws-alert">
        {alert}
      </p>
      {versions === null ? (
        <p>{f('files.versions.loading')}</p>
      ) : (
        <table className="ws-files-table ws-files-versions">
          <caption className="ws-sr-only">{f('files.versions.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{f('files.versions.column.version')}</th>
              <th scope="col">{f('files.versions.column.date')}</th>
              <th scope="col">{f('files.versions.column.size')}</th>
              <th scope="col">{f('files.versions.column.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.id} data-version={version.number}>
                <th scope="row">
                  {f('files.versions.number', { number: version.number })}
                  {version.current && <span className="ws-files-badge ws-files-badge-current">{f('files.versions.current')}</span>}
                  {version.status === 'quarantined' && <span className="ws-files-badge ws-files-badge-danger">{f('files.status.quarantined')}</span>}
                </th>
                <td className="ws-files-date">{f('files.versions.by', { date: dateTime(version.createdAt), name: version.createdBy?.name || f('files.unknownName') })}</td>
                <td className="ws-files-size">{size(version.size)}</td>
                <td>
                  <span className="ws-actions">
                    {version.status !== 'quarantined' && (
                      <a className="button button-small button-secondary" href={downloadHref(item, version.id)} download={item.name} aria-label={f('files.versions.download', { number: version.number })}>
                        {f('files.action.download')}
                      </a>
                    )}
                    {canEdit && !version.current && version.status !== 'quarantined' && (
                      <button type="button" className="button button-small button-secondary" aria-label={f('files.versions.restore', { number: version.number })} onClick={() => void restore(version)}>
                        {f('files.action.restore')}
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <div className="ws-files-new-version">
          <input
            ref={input}
            id={inputId}
            type="file"
            className="ws-sr-only"
            tabIndex={-1}
            aria-label={f('files.versions.uploadInput', { name: item.name })}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              event.currentTarget.value = '';
              if (file) onUpload(item, file);
            }}
          />
          <button type="button" className="button button-small" onClick={() => input.current?.click()}>
            {f('files.versions.upload')}
          </button>
          <UploadQueue items={queue} onRetry={onRetry} embedded />
        </div>
      )}
    </>
  );
}
