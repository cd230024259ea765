import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Problem } from '../../../app/api.ts';
import { ConfirmDialog } from '../../../ui/ConfirmDialog.tsx';
import { type FileItem, type FolderListing, filesApi, filesPath } from './files-api.ts';
import { type FileActions, FileList, type Sort } from './FileList.tsx';
import { FolderBreadcrumbs } from './FolderBreadcrumbs.tsx';
import { MoveDialog } from './MoveDialog.tsx';
import { NameDialog } from './FilesDialog.tsx';
import { QuotaMeter } from './QuotaMeter.tsx';
import { quotaRefusal } from './quota.ts';
import { useFilesText } from './text.ts';
import { type QueueItem, uploadQueue, uploadsInProgress, useUploadQueue } from './upload-queue.ts';
import { UploadDropZone } from './UploadDropZone.tsx';
import { nameTakenMessage, UploadQueue } from './UploadQueue.tsx';
import { discardUpload, type InterruptedUpload, interruptedUploads } from './uploads.ts';
import { VersionsDialog } from './VersionsDialog.tsx';
import './files.css';

type Loaded = { state: 'loading' } | { state: 'notFound' } | { state: 'failed'; error: unknown } | { state: 'ready'; listing: FolderListing };

interface FilesPanelProps {
  spaceId: string;
  folderId: string | null;
  trash: boolean;
  /** Owners delete anything for good from the trash; others only what they uploaded. */
  isOwner: boolean;
  myId: string | null;
  /** Changes when another agent changed the space's files: the listing is read again. */
  refreshKey?: number;
  /** The page's live regions: what was done (status), what went wrong (alert). */
  say: { status: (text: string) => void; alert: (text: string) => void };
}

type Dialog =
  | { kind: 'none' }
  | { kind: 'newFolder' }
  | { kind: 'rename'; item: FileItem }
  | { kind: 'move'; item: FileItem }
  | { kind: 'versions'; item: FileItem }
  | { kind: 'destroy'; item: FileItem };

/**
 * A space's files: the folder's items (or the trash), its place in the tree, the quotas, and the
 * uploads (button, drag and drop, queue). Editing controls follow the listing's `canEdit`, the
 * server's answer for the agent's live role.
 */
export function FilesPanel({ spaceId, folderId, trash, isOwner, myId, refreshKey = 0, say }: FilesPanelProps) {
  const { f, w, failure, fieldError } = useFilesText();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [sort, setSort] = useState<Sort>({ key: 'name', descending: false });
  const [dialog, setDialog] = useState<Dialog>({ kind: 'none' });
  const [interrupted, setInterrupted] = useState<InterruptedUpload[]>([]);
  const queue = useUploadQueue();
  const input = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const listing = loaded.state === 'ready' ? loaded.listing : null;
  // The latest listing, for handlers that outlive a render (upload events, retries).
  const latest = useRef(listing);
  latest.current = listing;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const result = await filesApi.list(spaceId, { folderId, trash }, signal);
        if (!signal?.aborted) setLoaded({ state: 'ready', listing: result });
      } catch (error) {
        if (signal?.aborted) return;
        // 400: a folder id that is not one (typed or cut in the address bar) is no folder either.
        setLoaded(error instanceof Problem && (error.status === 404 || error.status === 400) ? { state: 'notFound' } : { state: 'failed', error });
      }
    },
    [spaceId, folderId, trash],
  );
  // refreshKey: another agent's change (useSpace's live events).
  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load, refreshKey]);

  const queueUrls = useMemo(() => new Set(queue.flatMap((item) => (item.url ? [item.url] : []))), [queue]);
  const refreshInterrupted = useCallback(() => {
    void interruptedUploads(spaceId, new Set(uploadQueue.snapshot().flatMap((item) => (item.url ? [item.url] : [])))).then(setInterrupted);
  }, [spaceId]);
  useEffect(refreshInterrupted, [refreshInterrupted]);

  // Outcomes of this space's uploads: said in the live regions, and the listing read again.
  useEffect(
    () =>
      uploadQueue.onEvent((event) => {
        const { item } = event;
        if (item.target.spaceId !== spaceId) return;
        const name = item.file.name;
        if (event.type === 'failed') {
          // A taken name: said with the two ways on, as the row offers them.
          say.alert(nameTakenMessage(f, item) ?? f('files.queue.announceFailed', { name, reason: failure(item.failure, name) }));
          refreshInterrupted();
          return;
        }
        if (event.outcome.status === 'quarantined') say.alert(f('files.queue.announceQuarantined', { name, signature: event.outcome.signature ?? '—' }));
        else if (item.versionOf) say.status(f('files.queue.finishedVersion', { name: item.versionOf }));
        else say.status(f('files.queue.finished', { name }));
        void load();
      }),
    [spaceId, say, f, failure, load, refreshInterrupted],
  );

  // Leaving the page would stop the uploads under way: the browser asks first.
  useEffect(() => {
    const guard = (event: BeforeUnloadEvent) => {
      if (uploadsInProgress()) event.preventDefault();
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, []);

  const refusalFor = (size: number) => {
    const current = latest.current;
    if (!current) return null;
    return quotaRefusal(size, current.quota, { space: uploadQueue.pendingBytes(spaceId), organisation: uploadQueue.pendingBytes() });
  };

  const addFiles = (files: readonly File[]) => {
    say.status('');
    say.alert('');
    for (const file of files) uploadQueue.add(file, { spaceId, folderId, fileId: null }, { refusal: refusalFor(file.size) });
  };
  const addVersion = (item: FileItem, file: File) => {
    uploadQueue.add(file, { spaceId, folderId: null, fileId: item.id }, { versionOf: item.name, refusal: refusalFor(file.size) });
  };
  const retry = (item: QueueItem) => uploadQueue.retry(item.key, refusalFor(item.file.size));

  /** Runs a change, reads the listing again and says the outcome; answers the failure's words, or null. */
  const run = async (change: () => Promise<unknown>, done: string, options: { refocus?: boolean } = {}): Promise<string | null> => {
    say.status('');
    say.alert('');
    try {
      await change();
    } catch (error) {
      const field = error instanceof Problem ? error.fields.get('name') : undefined;
      return field ? fieldError(field) : failure(error);
    }
    await load();
    say.status(done);
    // The row the agent acted on left the list: the keyboard goes back to the list's heading.
    if (options.refocus) heading.current?.focus();
    return null;
  };
  const runAndAlert = async (change: () => Promise<unknown>, done: string, options: { refocus?: boolean } = {}) => {
    const problem = await run(change, done, options);
    if (problem) say.alert(problem);
  };

  const actions: FileActions = {
    onVersions: (item) => setDialog({ kind: 'versions', item }),
    onRename: (item) => setDialog({ kind: 'rename', item }),
    onMove: (item) => setDialog({ kind: 'move', item }),
    onTrash: (item) => void runAndAlert(() => filesApi.trash(item.id), f('files.trash.done', { name: item.name }), { refocus: true }),
    onRestore: (item) => void runAndAlert(() => filesApi.restore(item.id), f('files.trash.restored', { name: item.name }), { refocus: true }),
    onDestroy: (item) => setDialog({ kind: 'destroy', item }),
  };
  const closeDialog = () => setDialog({ kind: 'none' });

  const rootName = f('files.breadcrumb.root');
  const folderName = listing?.folder?.name ?? rootName;
  const canEdit = listing?.canEdit ?? false;
  const spaceQueue = queue.filter((item) => item.target.spaceId === spaceId);
  const nameRequired = (name: string) => (name.trim() ? null : f('files.name.required'));

  return (
    <section className="ws-files" aria-labelledby={headingId}>
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        {trash ? f('files.trashHeading') : f('files.heading')}
      </h2>
      {/* At the root the heading says where the agent is; inside a folder, the way back up. */}
      {!trash && listing && listing.path.length > 0 && <FolderBreadcrumbs spaceId={spaceId} path={listing.path} />}
      {listing && !canEdit && <p className="ws-readonly-note">{f('files.readOnly')}</p>}
      {listing && <QuotaMeter quota={listing.quota} />}

      <div className="ws-files-toolbar">
        {canEdit && !trash && (
          <>
            <input
              ref={input}
              type="file"
              multiple
              className="ws-sr-only"
              tabIndex={-1}
              aria-label={f('files.upload.input', { folder: folderName })}
              onChange={(event) => {
                const files = Array.from(event.currentTarget.files ?? []);
                event.currentTarget.value = '';
                if (files.length > 0) addFiles(files);
              }}
            />
            <button type="button" className="button" onClick={() => input.current?.click()}>
              {f('files.upload.button')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setDialog({ kind: 'newFolder' })}>
              {f('files.folder.new')}
            </button>
          </>
        )}
        {trash ? (
          <Link className="button button-secondary" to={filesPath(spaceId)}>
            {f('files.toolbar.back')}
          </Link>
        ) : (
          <Link className="button button-secondary" to={filesPath(spaceId, null, true)}>
            {f('files.toolbar.trash')}
          </Link>
        )}
      </div>
      {canEdit && !trash && <p className="ws-hint">{f('files.upload.drop')}</p>}

      <div className="ws-files-listing">
        {loaded.state === 'loading' && <p role="status">{w('workspace.loading')}</p>}
        {loaded.state === 'notFound' && (
          <p role="alert">
            {f('files.folderNotFound')} <Link to={filesPath(spaceId)}>{f('files.backToRoot')}</Link>
          </p>
        )}
        {loaded.state === 'failed' && <p role="alert">{failure(loaded.error)}</p>}
        {listing && (
          <UploadDropZone enabled={canEdit && !trash} folderName={folderName} onFiles={addFiles} onRefused={say.alert}>
            {listing.items.length === 0 ? (
              <p className="ws-files-empty">{f(trash ? 'files.list.emptyTrash' : canEdit ? 'files.list.emptyEditor' : 'files.list.empty')}</p>
            ) : (
              <FileList
                spaceId={spaceId}
                items={listing.items}
                trash={trash}
                canEdit={canEdit}
                canDestroy={(item) => canEdit && (isOwner || (myId !== null && item.updatedBy?.id === myId))}
                caption={trash ? f('files.list.captionTrash') : f('files.list.caption', { folder: folderName })}
                sort={sort}
                onSort={setSort}
                actions={actions}
              />
            )}
          </UploadDropZone>
        )}
      </div>

      {interrupted.filter((entry) => !queueUrls.has(entry.url)).length > 0 && (
        <InterruptedUploads
          entries={interrupted.filter((entry) => !queueUrls.has(entry.url))}
          onResume={(entry, file) => {
            if (file.name !== entry.name || file.size !== entry.size) {
              say.alert(f('files.interrupted.otherFile', { name: entry.name }));
              return;
            }
            setInterrupted((current) => current.filter((candidate) => candidate.key !== entry.key));
            uploadQueue.add(file, entry.target, { previous: entry.stored, versionOf: entry.target.fileId ? entry.name : null });
          }}
          onDiscard={(entry) =>
            void discardUpload(entry).then(
              () => {
                setInterrupted((current) => current.filter((candidate) => candidate.key !== entry.key));
                say.status(f('files.interrupted.discarded', { name: entry.name }));
              },
              (error: unknown) => say.alert(failure(error)),
            )
          }
        />
      )}
      <UploadQueue items={spaceQueue} onRetry={retry} />

      <NameDialog
        open={dialog.kind === 'newFolder'}
        title={f('files.folder.newTitle', { folder: folderName })}
        label={f('files.folder.name')}
        submitLabel={f('files.folder.create')}
        cancelLabel={f('files.cancel')}
        initialValue=""
        onClose={closeDialog}
        onSubmit={async (name) => {
          const problem = nameRequired(name) ?? (await run(() => filesApi.createFolder(spaceId, name.trim(), folderId), f('files.folder.created', { name: name.trim() })));
          if (!problem) closeDialog();
          return problem;
        }}
      />
      <NameDialog
        open={dialog.kind === 'rename'}
        title={dialog.kind === 'rename' ? f('files.rename.title', { name: dialog.item.name }) : ''}
        label={f('files.rename.label')}
        submitLabel={f('files.rename.save')}
        cancelLabel={f('files.cancel')}
        initialValue={dialog.kind === 'rename' ? dialog.item.name : ''}
        onClose={closeDialog}
        onSubmit={async (name) => {
          if (dialog.kind !== 'rename') return null;
          const { item } = dialog;
          const problem =
            nameRequired(name) ??
            (name.trim() === item.name ? null : await run(() => filesApi.update(item.id, { name: name.trim() }), f('files.rename.done', { old: item.name, name: name.trim() })));
          if (!problem) closeDialog();
          return problem;
        }}
      />
      <MoveDialog
        spaceId={spaceId}
        item={dialog.kind === 'move' ? dialog.item : null}
        onClose={closeDialog}
        onMove={async (item, target) => {
          const problem = await run(() => filesApi.update(item.id, { parentId: target.id }), f('files.move.done', { name: item.name, folder: target.name }), {
            refocus: true,
          });
          if (!problem) closeDialog();
          return problem;
        }}
      />
      <VersionsDialog
        item={dialog.kind === 'versions' ? dialog.item : null}
        canEdit={canEdit}
        onClose={closeDialog}
        onChanged={() => void load()}
        onUpload={addVersion}
        onRetry={retry}
      />
      <ConfirmDialog
        open={dialog.kind === 'destroy'}
        title={dialog.kind === 'destroy' ? f('files.trash.destroyTitle', { name: dialog.item.name }) : ''}
        text={f('files.trash.destroyText')}
        cancelLabel={f('files.cancel')}
        confirmLabel={f('files.trash.destroyConfirm')}
        onCancel={closeDialog}
        onConfirm={() => {
          if (dialog.kind !== 'destroy') return;
          const { item } = dialog;
          closeDialog();
          void runAndAlert(() => filesApi.destroy(item.id), f('files.trash.destroyed', { name: item.name }), { refocus: true });
        }}
      />
    </section>
  );
}

function InterruptedUploads({
  entries,
  onResume,
  onDiscard,
}: {
  entries: InterruptedUpload[];
  onResume: (entry: InterruptedUpload, file: File) => void;
  onDiscard: (entry: InterruptedUpload) => void;
}) {
  const { f, size } = useFilesText();
  const headingId = useId();
  return (
    <section className="ws-files-interrupted" aria-labelledby={headingId}>
      <h3 id={headingId}>{f('files.interrupted.heading')}</h3>
      <p className="ws-hint">{f('files.interrupted.hint')}</p>
      <ul className="ws-member-list">
        {entries.map((entry) => (
          <li key={entry.key}>
            <span>{f('files.interrupted.item', { name: entry.name, size: size(entry.size) })}</span>
            <span className="ws-muted">{f('files.queue.percent', { value: entry.size > 0 ? Math.floor((entry.offset / entry.size) * 100) / 100 : 0 })}</span>
            <ResumeButton entry={entry} onResume={onResume} />
            <button type="button" className="button button-small button-secondary" onClick={() => onDiscard(entry)}>
              {f('files.interrupted.discard', { name: entry.name })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The browser cannot read a file again by itself after a reload: the agent picks it once more. */
function ResumeButton({ entry, onResume }: { entry: InterruptedUpload; onResume: (entry: InterruptedUpload, file: File) => void }) {
  const { f } = useFilesText();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        className="ws-sr-only"
        tabIndex={-1}
        aria-label={f('files.interrupted.resumeInput', { name: entry.name })}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          event.currentTarget.value = '';
          if (file) onResume(entry, file);
        }}
      />
      <button type="button" className="button button-small" onClick={() => input.current?.click()}>
        {f('files.interrupted.resume', { name: entry.name })}
      </button>
    </>
  );
}
