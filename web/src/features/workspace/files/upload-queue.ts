/**
 * The upload queue: one per browser tab, outside React, so uploads go on (and their outcome stays
 * listed) while the agent opens other folders or other pages of the app. Two files go up at once;
 * the others wait their turn. A failed upload stays in the queue with what went wrong, ready to
 * be retried: a retry resumes from what the server already holds.
 */
import { useSyncExternalStore } from 'react';
import type { PreviousUpload } from 'tus-js-client';
import type { FileItem } from './files-api.ts';
import { startUpload, type UploadFailure, type UploadHandle, type UploadOutcome, type UploadTarget } from './uploads.ts';

export type QueueState = 'waiting' | 'uploading' | 'finishing' | 'done' | 'quarantined' | 'failed' | 'cancelled';

export interface QueueItem {
  readonly key: string;
  readonly file: File;
  readonly target: UploadTarget;
  /** For a new version: the name of the file it is a version of. */
  readonly versionOf: string | null;
  readonly state: QueueState;
  readonly sent: number;
  readonly total: number;
  /** Bytes were already on the server when this attempt started. */
  readonly resumed: boolean;
  readonly failure: UploadFailure | null;
  readonly signature: string | null;
  readonly result: FileItem | null;
  readonly url: string | null;
  /** « Garder les deux »: the number tried in the name (« rapport (2).pdf »); 0 otherwise. */
  readonly copyNumber: number;
}

/** What happened to an item, for the page to announce and to read its listing again. */
export type QueueEvent = { type: 'done'; item: QueueItem; outcome: UploadOutcome } | { type: 'failed'; item: QueueItem };

const PARALLEL = 2;
const ACTIVE: readonly QueueState[] = ['uploading', 'finishing'];
const PENDING: readonly QueueState[] = ['waiting', 'uploading', 'finishing'];

let items: readonly QueueItem[] = [];
const handles = new Map<string, UploadHandle>();
const resumeFrom = new Map<string, PreviousUpload>();
const listeners = new Set<() => void>();
const eventListeners = new Set<(event: QueueEvent) => void>();
let counter = 0;

function emit() {
  for (const listener of listeners) listener();
}

function update(key: string, change: Partial<QueueItem>): QueueItem | undefined {
  let changed: QueueItem | undefined;
  items = items.map((item) => {
    if (item.key !== key) return item;
    changed = { ...item, ...change };
    return changed;
  });
  emit();
  return changed;
}

function pump() {
  let running = items.filter((item) => ACTIVE.includes(item.state)).length;
  for (const item of items) {
    if (running >= PARALLEL) break;
    if (item.state !== 'waiting') continue;
    running++;
    launch(item);
  }
}

function settled(event: QueueEvent) {
  handles.delete(event.item.key);
  for (const listener of eventListeners) listener(event);
  pump();
}

function launch(item: QueueItem) {
  update(item.key, { state: 'uploading', failure: null, resumed: false });
  const previous = resumeFrom.get(item.key);
  resumeFrom.delete(item.key);
  const handle = startUpload(
    item.file,
    item.target,
    {
      onAddress: (url, resumed) => update(item.key, { url, resumed }),
      onProgress: (sent, total) => update(item.key, { sent, total }),
      onFinishing: () => update(item.key, { state: 'finishing' }),
      onDone: (outcome) => {
        const done =
          outcome.status === 'complete'
            ? update(item.key, { state: 'done', sent: item.total, result: outcome.file })
            : update(item.key, { state: 'quarantined', signature: outcome.signature });
        if (done) settled({ type: 'done', item: done, outcome });
      },
      onFailed: (failure) => {
        // « Garder les deux » and that name is taken too: the next number, up to 99.
        if (nameTaken(failure) && item.copyNumber > 0 && item.copyNumber < 99) {
          const copyNumber = item.copyNumber + 1;
          const next = update(item.key, { state: 'waiting', copyNumber, target: { ...item.target, name: numberedName(item.file.name, copyNumber) } });
          handles.delete(item.key);
          if (next) launch(next);
          return;
        }
        const failed = update(item.key, { state: 'failed', failure });
        if (failed) settled({ type: 'failed', item: failed });
      },
    },
    previous,
  );
  handles.set(item.key, handle);
}

export const uploadQueue = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot: (): readonly QueueItem[] => items,
  /** Listens to outcomes (done, quarantined, failed). */
  onEvent(listener: (event: QueueEvent) => void): () => void {
    eventListeners.add(listener);
    return () => eventListeners.delete(listener);
  },

  /**
   * Adds a file. `refusal` is the quota check's answer, made by the page against the listing: a
   * refused file is listed with the reason and never starts (a retry checks again).
   */
  add(file: File, target: UploadTarget, options: { versionOf?: string | null; refusal?: UploadFailure | null; previous?: PreviousUpload } = {}): QueueItem {
    counter += 1;
    const item: QueueItem = {
      key: `upload-${counter}`,
      file,
      target,
      versionOf: options.versionOf ?? null,
      state: options.refusal ? 'failed' : 'waiting',
      sent: 0,
      total: file.size,
      resumed: false,
      failure: options.refusal ?? null,
      signature: null,
      result: null,
      url: null,
      copyNumber: 0,
    };
    if (options.previous) resumeFrom.set(item.key, options.previous);
    items = [...items, item];
    emit();
    if (options.refusal) settled({ type: 'failed', item });
    else pump();
    return item;
  },

  /** Tries a failed or cancelled upload again (resuming what the server holds), unless `refusal` says it still cannot. */
  retry(key: string, refusal: UploadFailure | null = null) {
    const item = items.find((candidate) => candidate.key === key);
    if (!item || !['failed', 'cancelled'].includes(item.state)) return;
    if (refusal) {
      const failed = update(key, { state: 'failed', failure: refusal });
      if (failed) settled({ type: 'failed', item: failed });
      return;
    }
    update(key, { state: 'waiting', failure: null, sent: 0 });
    pump();
  },

  /**
   * The name was taken (409 `file_name_taken`): send the file as a new version of the file that has
   * it (`version`, given its id and name), or beside it under a numbered name (`keepBoth`).
   */
  resolveNameTaken(key: string, choice: { version: { fileId: string; name: string } } | 'keepBoth') {
    const item = items.find((candidate) => candidate.key === key);
    if (item?.state !== 'failed') return;
    const change: Partial<QueueItem> =
      choice === 'keepBoth'
        ? { copyNumber: 2, target: { ...item.target, fileId: null, name: numberedName(item.file.name, 2) } }
        : { copyNumber: 0, versionOf: choice.version.name, target: { spaceId: item.target.spaceId, folderId: null, fileId: choice.version.fileId } };
    update(key, { ...change, state: 'waiting', failure: null, sent: 0 });
    pump();
  },

  cancel(key: string) {
    const item = items.find((candidate) => candidate.key === key);
    if (!item || !PENDING.includes(item.state)) return;
    const handle = handles.get(key);
    handles.delete(key);
    update(key, { state: 'cancelled' });
    void handle?.cancel();
    pump();
  },

  dismiss(key: string) {
    const item = items.find((candidate) => candidate.key === key);
    if (!item || PENDING.includes(item.state)) return;
    items = items.filter((candidate) => candidate.key !== key);
    emit();
  },

  /** Forgets the finished uploads (done, quarantined, cancelled); failed ones stay until retried or dismissed. */
  clearFinished() {
    items = items.filter((item) => !['done', 'quarantined', 'cancelled'].includes(item.state));
    emit();
  },

  /** Bytes queued or on their way (to `spaceId`, or anywhere), not yet counted in the listing's quota. */
  pendingBytes(spaceId?: string): number {
    return items
      .filter((item) => (spaceId === undefined || item.target.spaceId === spaceId) && PENDING.includes(item.state))
      .reduce((sum, item) => sum + item.total, 0);
  },

  isPending: (item: QueueItem) => PENDING.includes(item.state),
};

/** The server refused the name: another item of the folder has it. */
export function nameTaken(failure: UploadFailure | null): failure is Extract<UploadFailure, { kind: 'problem' }> {
  return failure?.kind === 'problem' && failure.slug === 'file_name_taken';
}

/** The longest name the server keeps (in characters), as server/src/workspace/files/content-types.ts. */
const NAME_MAX = 255;

/**
 * « rapport.pdf » → « rapport (2).pdf »; a name without an extension takes the number at its end.
 * A long name is shortened before the number, as the server numbers names: otherwise the server
 * would cut the number off again and the name would stay taken.
 */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const suffix = ` (${n})`;
  const room = NAME_MAX - [...suffix].length - [...extension].length;
  return `${[...stem].slice(0, Math.max(1, room)).join('')}${suffix}${extension}`;
}

/** What a name refusal says of the item that has the name: its id, kind and exact name (case included). */
export function takenBy(failure: UploadFailure | null): { id: string; kind: 'file' | 'folder'; name: string | null } | null {
  if (!nameTaken(failure)) return null;
  const { existingId, existingKind, existingName } = failure.members;
  if (typeof existingId !== 'string' || (existingKind !== 'file' && existingKind !== 'folder')) return null;
  return { id: existingId, kind: existingKind, name: typeof existingName === 'string' ? existingName : null };
}

export function useUploadQueue(): readonly QueueItem[] {
  return useSyncExternalStore(uploadQueue.subscribe, uploadQueue.snapshot);
}

/** Whether the page would lose an upload on closing. */
export function uploadsInProgress(): boolean {
  return items.some((item) => PENDING.includes(item.state));
}
