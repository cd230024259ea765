import { useId, useRef } from 'react';
import { nameTaken, type QueueItem, takenBy, uploadQueue } from './upload-queue.ts';
import { useFilesText } from './text.ts';
import type { UploadFailure } from './uploads.ts';

interface UploadQueueProps {
  items: readonly QueueItem[];
  /** Retries an item (the page checks the quota again first). */
  onRetry: (item: QueueItem) => void;
  /** Shown inside another region (the versions dialog): no heading of its own. */
  embedded?: boolean;
}

/**
 * The uploads of this tab: per file a progress bar with its percentage in words, what is
 * happening, and what can be done (cancel while it runs; retry or remove once it failed).
 */
export function UploadQueue({ items, onRetry, embedded = false }: UploadQueueProps) {
  const { f } = useFilesText();
  const headingId = useId();
  if (items.length === 0) return null;
  const finished = items.some((item) => ['done', 'quarantined', 'cancelled'].includes(item.state));
  const list = (
    <ul className="ws-files-queue">
      {items.map((item) => (
        <QueueRow key={item.key} item={item} onRetry={onRetry} />
      ))}
    </ul>
  );
  if (embedded) return list;
  return (
    <section className="ws-files-queue-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{f('files.queue.heading')}</h3>
      {list}
      {finished && (
        <button type="button" className="button button-small button-secondary" onClick={() => uploadQueue.clearFinished()}>
          {f('files.queue.clear')}
        </button>
      )}
    </section>
  );
}

/**
 * Whether trying again can help: not for a refusal that would be the same (too large, not allowed,
 * gone); yes for a quota (space may have been freed), the network, the scanner, a server error.
 */
function retryable(failure: UploadFailure | null): boolean {
  if (failure?.kind !== 'problem') return true;
  if (failure.slug === 'quota_exceeded') return true;
  // The same name would be refused again: the row offers « new version » and « keep both » instead.
  if (failure.slug === 'file_name_taken') return false;
  return failure.status >= 500 || failure.status === 408 || failure.status === 409 || failure.status === 423 || failure.status === 429;
}

/** A taken name, said with the existing item's own name and what can be done: null for any other failure. */
export function nameTakenMessage(f: ReturnType<typeof useFilesText>['f'], item: QueueItem): string | null {
  const taken = takenBy(item.failure);
  if (!taken) return nameTaken(item.failure) ? f('files.queue.nameTaken', { name: item.target.name ?? item.file.name }) : null;
  return f(taken.kind === 'folder' ? 'files.queue.nameTakenFolder' : 'files.queue.nameTaken', { name: taken.name ?? item.target.name ?? item.file.name });
}

function QueueRow({ item, onRetry }: { item: QueueItem; onRetry: (item: QueueItem) => void }) {
  const { f, size, failure } = useFilesText();
  const row = useRef<HTMLLIElement>(null);
  const name = item.file.name;
  // The name it goes under (« Garder les deux » numbers it).
  const shownName = item.target.name ?? name;
  const ratio = item.total > 0 ? Math.min(1, item.sent / item.total) : item.state === 'done' ? 1 : 0;
  const percent = f('files.queue.percent', { value: Math.floor(ratio * 100) / 100 });
  const label = f('files.queue.progress', { name });
  let state: string;
  switch (item.state) {
    case 'waiting':
      state = f('files.queue.waiting');
      break;
    case 'uploading':
      state = f(item.resumed ? 'files.queue.resuming' : 'files.queue.uploading');
      break;
    case 'finishing':
      state = f('files.queue.finishing');
      break;
    case 'done':
      state = f(item.versionOf ? 'files.queue.doneNewVersion' : 'files.queue.done');
      break;
    case 'quarantined':
      state = item.signature ? f('files.queue.quarantined', { signature: item.signature }) : f('files.queue.quarantinedUnknown');
      break;
    case 'cancelled':
      state = f('files.queue.cancelled');
      break;
    default:
      state = nameTakenMessage(f, item) ?? f('files.queue.failedReason', { reason: failure(item.failure, name) });
  }
  // What a taken name leaves to choose: the existing item's id, kind and name come with the refusal.
  const taken = item.state === 'failed' ? takenBy(item.failure) : null;
  const takenFile = taken?.kind === 'file' ? { fileId: taken.id, name: taken.name ?? shownName } : null;
  // The choice's buttons go with it: the keyboard stays on the row, which says what happens next.
  const choose = (choice: Parameters<typeof uploadQueue.resolveNameTaken>[1]) => {
    uploadQueue.resolveNameTaken(item.key, choice);
    row.current?.focus();
  };
  const bad = item.state === 'failed' || item.state === 'quarantined';
  return (
    <li ref={row} tabIndex={-1} className={`ws-files-queue-item ws-files-queue-${item.state}`} data-upload={name}>
      <div className="ws-files-queue-head">
        <span className="ws-member-name">{shownName}</span>
        <span className="ws-muted">
          {size(item.file.size)}
          {item.versionOf && ` · ${f('files.queue.newVersionOf', { name: item.versionOf })}`}
        </span>
      </div>
      {/* A failed upload keeps its bar: it shows how much the server already holds for a retry. */}
      {(uploadQueue.isPending(item) || item.state === 'done' || (item.state === 'failed' && item.sent > 0)) && (
        <div className="ws-files-progress">
          <progress max={1} value={item.state === 'waiting' ? 0 : ratio} aria-label={label} />
          <span className="ws-files-percent">{percent}</span>
        </div>
      )}
      <p className={bad ? 'ws-files-queue-error' : 'ws-files-queue-state'}>{state}</p>
      <span className="ws-actions">
        {uploadQueue.isPending(item) && (
          <button type="button" className="button button-small button-secondary" onClick={() => uploadQueue.cancel(item.key)}>
            {f('files.queue.cancel', { name })}
          </button>
        )}
        {takenFile && (
          <button type="button" className="button button-small" onClick={() => choose({ version: takenFile })}>
            {f('files.queue.asNewVersion', { name: takenFile.name })}
          </button>
        )}
        {taken && (
          <button type="button" className="button button-small button-secondary" onClick={() => choose('keepBoth')}>
            {f('files.queue.keepBoth', { name })}
          </button>
        )}
        {(item.state === 'cancelled' || (item.state === 'failed' && retryable(item.failure))) && (
          <button type="button" className="button button-small" onClick={() => onRetry(item)}>
            {f('files.queue.retry', { name })}
          </button>
        )}
        {!uploadQueue.isPending(item) && (
          <button type="button" className="button button-small button-secondary" onClick={() => uploadQueue.dismiss(item.key)}>
            {f('files.queue.dismiss', { name })}
          </button>
        )}
      </span>
    </li>
  );
}
