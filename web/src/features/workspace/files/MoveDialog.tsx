import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import { type FileItem, type FolderListing, filesApi } from './files-api.ts';
import { FilesDialog } from './FilesDialog.tsx';
import { useFilesText } from './text.ts';

interface MoveDialogProps {
  spaceId: string;
  item: FileItem | null;
  onClose: () => void;
  /** Moves the item into `folder` (null: the root); answers the error to show, or null when done. */
  onMove: (item: FileItem, folder: { id: string | null; name: string }) => Promise<string | null>;
}

/**
 * Chooses where to move an item by browsing the folders (the item itself left out: a folder cannot
 * go into itself), then « Déplacer ici ». Buttons only: no drag and drop needed.
 */
export function MoveDialog({ spaceId, item, onClose, onMove }: MoveDialogProps) {
  const { f } = useFilesText();
  const here = useRef<HTMLButtonElement>(null);
  // Opened: the browser focuses the first control (« Remonter d’un niveau » or the first folder).
  return (
    <FilesDialog open={item !== null} title={item ? f('files.move.title', { name: item.name }) : ''} onClose={onClose} className="ws-files-move-dialog">
      {item && <MoveBody spaceId={spaceId} item={item} onClose={onClose} onMove={onMove} hereRef={here} />}
    </FilesDialog>
  );
}

function MoveBody({ spaceId, item, onClose, onMove, hereRef }: Omit<MoveDialogProps, 'item'> & { item: FileItem; hereRef: RefObject<HTMLButtonElement | null> }) {
  const { f, failure } = useFilesText();
  const [at, setAt] = useState<string | null>(item.parentId);
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState('');
  const listId = useId();
  const navigated = useRef(false);

  useEffect(() => {
    const abort = new AbortController();
    setListing(null);
    filesApi
      .list(spaceId, { folderId: at }, abort.signal)
      .then((result) => {
        if (abort.signal.aborted) return;
        setListing(result);
        // The folder button just pressed is gone: the keyboard goes on to « Déplacer ici ».
        if (navigated.current) requestAnimationFrame(() => hereRef.current?.focus());
      })
      .catch((problem: unknown) => {
        if (!abort.signal.aborted) setError(failure(problem));
      });
    return () => abort.abort();
  }, [spaceId, at, failure, hereRef]);
  const open = (folderId: string | null) => {
    navigated.current = true;
    setAt(folderId);
  };

  const rootName = f('files.breadcrumb.root');
  const name = listing?.folder?.name ?? rootName;
  const folders = (listing?.items ?? []).filter((candidate) => candidate.kind === 'folder' && candidate.id !== item.id);
  const already = at === item.parentId;

  return (
    <>
      <p className="ws-hint">{f('files.move.hint')}</p>
      <p className="ws-files-move-location" aria-live="polite">
        {f('files.move.location', { folder: [rootName, ...(listing?.path ?? []).map((p) => p.name)].join(' › ') })}
      </p>
      {error && (
        <p role="alert" className="ws-alert">
          {error}
        </p>
      )}
      {at !== null && listing && (
        <button type="button" className="button button-small button-secondary" onClick={() => open(listing.folder?.parentId ?? null)}>
          {f('files.move.up')}
        </button>
      )}
      {listing &&
        (folders.length === 0 ? (
          <p className="ws-muted">{f('files.move.noFolders')}</p>
        ) : (
          <ul className="ws-files-move-list" aria-label={f('files.move.foldersLabel', { folder: name })} id={listId}>
            {folders.map((folder) => (
              <li key={folder.id}>
                <button type="button" className="ws-files-move-folder" onClick={() => open(folder.id)}>
                  <span aria-hidden="true">▸ </span>
                  {folder.name}
                </button>
              </li>
            ))}
          </ul>
        ))}
      {already && <p className="ws-muted">{f('files.move.already')}</p>}
      <div className="confirm-dialog-actions">
        <button type="button" className="button button-secondary" onClick={onClose}>
          {f('files.cancel')}
        </button>
        <button
          type="button"
          ref={hereRef}
          className="button"
          aria-disabled={already || !listing ? true : undefined}
          onClick={() => {
            if (already || !listing) return;
            setError('');
            void onMove(item, { id: at, name }).then((problem) => {
              if (problem) setError(problem);
            });
          }}
        >
          {f('files.move.here')}
        </button>
      </div>
    </>
  );
}
