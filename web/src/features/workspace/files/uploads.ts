/**
 * Uploads with the tus 1.0.0 protocol (tus-js-client) to `/api/uploads`: in chunks, so a broken
 * connection or a reloaded page loses at most one chunk. tus-js-client remembers each upload's
 * address in localStorage under a fingerprint of the file and its destination; choosing the same
 * file again for the same place resumes where the server stopped (HEAD gives the offset).
 *
 * Every request carries the session's CSRF token (`x-csrf-token`), as the app's other changes do.
 * The final PATCH makes the server sniff the type, scan for malware and create the file or its new
 * version before it answers; `GET /api/uploads/:id` then says what became of it.
 */
import { DetailedError, defaultOptions, type PreviousUpload, Upload } from 'tus-js-client';
import { getJson, Problem } from '../../../app/api.ts';
import type { FileItem } from './files-api.ts';

export const UPLOADS_ENDPOINT = '/api/uploads';
/** Large enough to keep the request count low, small enough that a break costs little. */
export const CHUNK_SIZE = 8 * 1024 * 1024;
/** Automatic retries of a request that got no answer (network), before the agent is asked. */
const RETRY_DELAYS = [0, 1000, 3000];

/** Where an upload goes: a new file in a folder of the space, or a new version of `fileId`. */
export interface UploadTarget {
  spaceId: string;
  folderId: string | null;
  fileId: string | null;
  /** The name to give the file on the server, when not the file's own (« Garder les deux »). */
  name?: string;
}

/** Why an upload did not end in a file; said in the agent's language when shown (see text.ts). */
export type UploadFailure =
  /** Refused here, before any byte left: it would not fit in the quota the listing showed. */
  | { kind: 'quota'; scope: 'space' | 'organisation'; organisation: string | null; size: number; free: number; limit: number }
  /** The server's refusal (problem+json): its slug, its words and its extension members. */
  | { kind: 'problem'; status: number; slug: string; title: string | null; detail: string | null; members: Readonly<Record<string, unknown>> }
  /** No answer from the server (network down, connection reset). */
  | { kind: 'network' }
  /** Every byte was accepted but the server did not say the file was made. */
  | { kind: 'incomplete' };

export type UploadOutcome = { status: 'complete'; file: FileItem | null } | { status: 'quarantined'; signature: string | null };

interface UploadStatus {
  status: 'uploading' | 'complete' | 'quarantined';
  offset: number;
  length: number;
  file: FileItem | null;
  signature?: string;
}

export interface UploadEvents {
  /** The server gave (or confirmed) the upload's address; `resumed` when bytes were already there. */
  onAddress?: (url: string, resumed: boolean) => void;
  onProgress?: (sent: number, total: number) => void;
  /** Every byte is sent: the server is scanning and saving. */
  onFinishing?: () => void;
  onDone: (outcome: UploadOutcome) => void;
  onFailed: (failure: UploadFailure) => void;
}

export interface UploadHandle {
  /** Stops the upload and deletes what the server holds of it. */
  cancel(): Promise<void>;
}

/** The key tus-js-client stores an upload under: the file and where it goes (same file elsewhere = another upload). */
export function fingerprintOf(file: File, target: UploadTarget): string {
  return ['entente-files', target.spaceId, target.folderId ?? '-', target.fileId ?? '-', target.name ?? file.name, file.type, file.size, file.lastModified].join('/');
}

async function csrfHeaders(): Promise<Record<string, string>> {
  const { csrfToken } = await getJson<{ csrfToken: string }>('/api/session');
  return { 'x-csrf-token': csrfToken };
}

function endpoint(): string {
  // Absolute: tus-js-client resolves the server's Location against it.
  return new URL(UPLOADS_ENDPOINT, window.location.origin).href;
}

/** Whether an answer is the server's considered refusal (problem+json), not a proxy's hiccup. */
function isProblem(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().includes('application/problem+json');
}

/** Reads a refusal into an UploadFailure; no answer at all is a network failure. */
export function failureOf(error: unknown): UploadFailure {
  const response = error instanceof DetailedError ? error.originalResponse : null;
  if (!response) return { kind: 'network' };
  const status = response.getStatus();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(response.getBody() || '{}');
    if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: the status says enough
  }
  const type = typeof body.type === 'string' ? /^urn:entente:problem:([a-z-]{1,60})$/.exec(body.type) : null;
  const slug = type?.[1] ? type[1].replaceAll('-', '_') : status === 401 ? 'unauthenticated' : status >= 500 ? 'unavailable' : 'bad_request';
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 500) : null);
  return { kind: 'problem', status, slug, title: text(body.title), detail: text(body.detail), members: body };
}

async function statusOf(url: string): Promise<UploadStatus | null> {
  try {
    return await getJson<UploadStatus>(new URL(url).pathname);
  } catch {
    return null;
  }
}

/**
 * Starts (or resumes) sending `file` to `target`. `previous` resumes a stored upload chosen by
 * the agent (an interrupted one, after a reload); otherwise the most recent upload stored for the
 * same file and destination is resumed when there is one.
 */
export function startUpload(file: File, target: UploadTarget, events: UploadEvents, previous?: PreviousUpload): UploadHandle {
  let upload: Upload | null = null;
  let cancelled = false;
  let finished = false;

  const settle = (outcome: UploadOutcome | UploadFailure) => {
    if (finished || cancelled) return;
    finished = true;
    if ('kind' in outcome) events.onFailed(outcome);
    else events.onDone(outcome);
  };

  const begin = async () => {
    let headers: Record<string, string>;
    try {
      headers = await csrfHeaders();
    } catch (error) {
      settle(
        error instanceof Problem
          ? { kind: 'problem', status: error.status, slug: error.slug, title: error.title, detail: error.detail, members: {} }
          : { kind: 'network' },
      );
      return;
    }
    if (cancelled) return;
    const metadata: Record<string, string> = { spaceId: target.spaceId, filename: target.name ?? file.name };
    if (target.folderId) metadata.folderId = target.folderId;
    if (target.fileId) metadata.fileId = target.fileId;
    if (file.type) metadata.filetype = file.type;

    let reportedFinishing = false;
    const current = new Upload(file, {
      endpoint: endpoint(),
      metadata,
      headers: { ...headers, accept: 'application/json' },
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      fingerprint: async () => fingerprintOf(file, target),
      // Retried by itself: no answer, an offset conflict, a gateway error. The server's own
      // refusals (quota, size, scanner down) are the agent's to decide on.
      onShouldRetry: (error) => {
        const response = error.originalResponse;
        if (!response) return navigator.onLine !== false;
        const status = response.getStatus();
        // A 409 is retried when it is tus's offset conflict (the client asks the offset again),
        // never when it is a refusal such as « file-name-taken »: that answer will not change, and
        // the agent watched « Envoi en cours » at 0 % for four retries before being told.
        if (status === 409) return (response.getBody() ?? '').includes('upload-offset-mismatch');
        if (status === 423) return true;
        return status >= 500 && !isProblem(response.getHeader('Content-Type'));
      },
      onUploadUrlAvailable: () => {
        if (current.url) events.onAddress?.(current.url, false);
      },
      onProgress: (sent, total) => {
        events.onProgress?.(sent, total);
        if (sent >= total && !reportedFinishing) {
          reportedFinishing = true;
          events.onFinishing?.();
        }
      },
      onSuccess: () => {
        void (async () => {
          const status = current.url ? await statusOf(current.url) : null;
          if (status?.status === 'complete') settle({ status: 'complete', file: status.file });
          else if (status?.status === 'quarantined') settle({ status: 'quarantined', signature: status.signature ?? null });
          else settle({ kind: 'incomplete' });
        })();
      },
      onError: (error) => {
        void (async () => {
          // A refusal of the final PATCH may be the verdict itself: ask what became of the upload.
          const status = current.url && error instanceof DetailedError && error.originalResponse ? await statusOf(current.url) : null;
          if (status?.status === 'quarantined') settle({ status: 'quarantined', signature: status.signature ?? null });
          else if (status?.status === 'complete') settle({ status: 'complete', file: status.file });
          else settle(failureOf(error));
        })();
      },
    });
    upload = current;

    const stored = previous ? [previous] : await current.findPreviousUploads().catch(() => [] as PreviousUpload[]);
    if (cancelled) return;
    const latest = [...stored].sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
    if (latest?.uploadUrl) {
      current.resumeFromPreviousUpload(latest);
      events.onAddress?.(latest.uploadUrl, true);
    }
    current.start();
  };
  void begin();

  return {
    cancel: async () => {
      if (cancelled || finished) return;
      cancelled = true;
      // abort(true) also deletes the upload on the server and forgets its stored address.
      await upload?.abort(true).catch(() => undefined);
    },
  };
}

/** An upload this browser started in `spaceId` and never finished (page closed or reloaded). */
export interface InterruptedUpload {
  key: string;
  url: string;
  name: string;
  size: number;
  offset: number;
  target: UploadTarget;
  stored: PreviousUpload;
}

/**
 * The interrupted uploads of this browser for a space, each checked with the server: only its
 * creator may read an upload, so another agent's (same browser) or an expired one is left out,
 * and the stored address of one the server no longer knows is forgotten.
 */
export async function interruptedUploads(spaceId: string, exclude: ReadonlySet<string>): Promise<InterruptedUpload[]> {
  let stored: PreviousUpload[] = [];
  try {
    stored = await defaultOptions.urlStorage.findAllUploads();
  } catch {
    return [];
  }
  const mine = stored.filter((entry) => entry.metadata?.spaceId === spaceId && entry.uploadUrl && !exclude.has(entry.uploadUrl));
  const checked = await Promise.all(
    mine.map(async (entry): Promise<InterruptedUpload | null> => {
      const url = entry.uploadUrl as string;
      let status: UploadStatus;
      try {
        status = await getJson<UploadStatus>(new URL(url).pathname);
      } catch (error) {
        if (error instanceof Problem && error.status === 404) {
          await defaultOptions.urlStorage.removeUpload(entry.urlStorageKey).catch(() => undefined);
        }
        return null;
      }
      if (status.status !== 'uploading') {
        await defaultOptions.urlStorage.removeUpload(entry.urlStorageKey).catch(() => undefined);
        return null;
      }
      return {
        key: entry.urlStorageKey,
        url,
        name: entry.metadata.filename ?? '',
        size: entry.size ?? status.length,
        offset: status.offset,
        target: { spaceId, folderId: entry.metadata.folderId ?? null, fileId: entry.metadata.fileId ?? null },
        stored: entry,
      };
    }),
  );
  return checked.filter((entry): entry is InterruptedUpload => entry !== null);
}

/** Deletes an interrupted upload on the server and forgets it here. */
export async function discardUpload(upload: InterruptedUpload): Promise<void> {
  const headers = await csrfHeaders();
  try {
    await Upload.terminate(upload.url, { headers, retryDelays: null });
  } catch (error) {
    // Already gone on the server: forgetting it here is all that is left to do.
    const status = error instanceof DetailedError ? error.originalResponse?.getStatus() : undefined;
    if (status !== 404 && status !== 410) throw error;
  }
  await defaultOptions.urlStorage.removeUpload(upload.key);
}
