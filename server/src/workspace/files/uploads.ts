import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isUuid, uuidv7 } from '../../platform/ids.ts';
import { ScannerUnavailableError, type ScanVerdict } from '../../platform/scanning/malware-scanner.ts';
import { type AuditTrx, type RequestMeta, requireActor } from '../spaces/deps.ts';
import { cleanUploadName, nameKey, numberedName, THUMBNAIL_TYPES, TypeProbe } from './content-types.ts';
import { type FilesDeps, fileEvent, nowOf, partKey, spaceKeyOwner, thumbnailKey, uploadPrefix, versionKey } from './deps.ts';
import { spaceChanged } from '../live/space-events.ts';
import { type FileItem, inTrash, nameTaken, requireRole, type SpaceContext, spaceContext, viewOf } from './files.ts';
import { cancelObjectDeletions, findItem, findLiveNamesake, insertItem, insertVersion, nextVersionNumber, scheduleObjectDeletions, updateItem } from './files.repo.ts';
import type { FileStatus } from './files.tables.ts';
import { organisationOf, withQuota } from './quotas.ts';
import { MAX_SOURCE_BYTES, makeThumbnail } from './thumbnails.ts';
import { commitPart, completeUpload, deleteParts, deleteUpload, expiredUploads, findOwnUpload, insertUpload, listParts, type PartRow, type UploadRow } from './uploads.repo.ts';

/**
 * Resumable uploads, tus 1.0.0 (core, creation, termination, expiration), server side.
 *
 * - Creation reserves the whole length in the quotas before any byte (quotas.ts) and refuses what
 *   cannot be: not an editor (403), unknown space, folder or file (404), too large (413
 *   `file_too_large`), over a quota (413 `quota_exceeded`), a name already taken (409).
 * - Each PATCH body is stored as it streams as one encrypted part object in the space's cell
 *   (`spaces/<spaceId>/uploads/<uploadId>/<offset>-<partId>`): the server keeps no plaintext, on
 *   disk or in memory, and a restart loses nothing accepted. A PATCH cut mid-way (the client went
 *   away) keeps the bytes that arrived when they are at least KEEP_PARTIAL_BYTES — they are a
 *   prefix of what the client sent, stored whole before the offset moves — and discards a smaller
 *   piece; either way the client asks HEAD for the offset and sends the rest. Two PATCHes racing at
 *   one offset each write their own object; only one moves the offset, the other's is deleted.
 * - The PATCH that brings the last byte finishes the upload before it is answered: the parts are
 *   decrypted in order into the file's encrypted object while the SHA-256 is computed, the type is
 *   read from the bytes and the malware scanner reads the same stream; images get a thumbnail.
 *   The file (or new version) row, the upload's outcome and the audit events commit together. If
 *   the scanner cannot give a verdict (503 `scanner_unavailable`), nothing is kept of that last
 *   PATCH: the offset does not move and the client sends it again later.
 * - An infected file is kept, quarantined (never served), and the upload's status says so with
 *   the signature; a quarantined new version does not replace the file's current version.
 * - Uploads expire 24 hours after their last PATCH (`Upload-Expires`); a job removes their parts.
 */
export const TUS_VERSION = '1.0.0';
export const TUS_EXTENSIONS = 'creation,termination,expiration';
export const UPLOAD_TTL_MS = 24 * 3_600_000;
/** What a cut PATCH must have brought to be kept (smaller pieces are sent again rather than kept as tiny objects). */
export const KEEP_PARTIAL_BYTES = 256 * 1024;
/** An object being written is deleted by the purge job this long after, unless its row committed. */
const WRITE_GRACE_MS = 3_600_000;

export interface UploadPosition {
  id: string;
  offset: number;
  length: number;
  expiresAt: Date;
}

export interface UploadStatusView {
  status: 'uploading' | 'complete' | 'quarantined';
  offset: number;
  length: number;
  file: FileItem | null;
  signature?: string;
}

export const invalidUpload = (reason: string) => new AppError('upload_invalid', { status: 400, params: { reason }, extensions: { reason } });
const offsetMismatch = (expected: number) => new AppError('upload_offset_mismatch', { status: 409, params: { expected }, extensions: { expected }, headers: { 'upload-offset': String(expected) } });
const beyondLength = () => new AppError('upload_length_exceeded', { status: 413 });
const wrongContentType = () => new AppError('upload_content_type', { status: 415 });
const scannerUnavailable = () => new AppError('scanner_unavailable', { status: 503, headers: { 'retry-after': '30' } });

export function fileTooLarge(limit: number): AppError {
  return new AppError('file_too_large', {
    status: 413,
    params: { limit, limitMiB: Math.round((limit / (1024 * 1024)) * 10) / 10 },
    extensions: { limit },
  });
}

const LENGTH = /^\d{1,16}$/;

function parseLength(raw: string | undefined, reason: string): number {
  if (raw === undefined || !LENGTH.test(raw)) throw invalidUpload(reason);
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw invalidUpload(reason);
  return value;
}

/**
 * `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent), keys
 * unique and without spaces or commas, values UTF-8. Anything else is a 400, not a guess.
 */
export function parseMetadata(header: string | undefined): Map<string, string> {
  const entries = new Map<string, string>();
  if (header === undefined || header.trim() === '') return entries;
  if (header.length > 16 * 1024) throw invalidUpload('metadata');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const pair of header.split(',')) {
    const [key, value, ...rest] = pair.trim().split(' ');
    if (!key || rest.length > 0 || !/^[\x21-\x2b\x2d-\x7e]+$/.test(key) || entries.has(key)) throw invalidUpload('metadata');
    if (value !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw invalidUpload('metadata');
    try {
      entries.set(key, value === undefined ? '' : decoder.decode(Buffer.from(value, 'base64')));
    } catch {
      throw invalidUpload('metadata');
    }
  }
  return entries;
}

function optionalUuid(value: string | undefined, reason: string): string | null {
  if (value === undefined || value === '') return null;
  const id = value.toLowerCase();
  if (!isUuid(id)) throw invalidUpload(reason);
  return id;
}

/** The upload, if this agent created it and it has not expired; 404 for anyone else. */
async function ownUpload(deps: FilesDeps, actor: Actor, rawId: string): Promise<{ upload: UploadRow; jurisdiction: Jurisdiction }> {
  const id = rawId.toLowerCase();
  if (!isUuid(id)) throw notFound();
  for (const cell of deps.cells.all()) {
    const upload = await findOwnUpload(cell.db, id, actor.principalId);
    if (!upload) continue;
    if (upload.expires_at.getTime() <= nowOf(deps).getTime()) throw notFound();
    return { upload, jurisdiction: cell.jurisdiction };
  }
  throw notFound();
}

function position(upload: UploadRow): UploadPosition {
  return { id: upload.id, offset: Number(upload.offset), length: Number(upload.length), expiresAt: upload.expires_at };
}

// ── creation ────────────────────────────────────────────────────────────────────────────────

export async function createUpload(
  deps: FilesDeps,
  actorOrNull: Actor | null,
  headers: { uploadLength: string | undefined; uploadDeferLength: string | undefined; uploadMetadata: string | undefined },
  meta: RequestMeta,
): Promise<UploadPosition> {
  const actor = requireActor(actorOrNull);
  if (headers.uploadDeferLength !== undefined) throw invalidUpload('upload_defer_length_unsupported');
  const length = parseLength(headers.uploadLength, 'upload_length');
  const metadata = parseMetadata(headers.uploadMetadata);
  const spaceId = optionalUuid(metadata.get('spaceId'), 'space_id');
  if (!spaceId) throw invalidUpload('space_id');
  const folderId = optionalUuid(metadata.get('folderId'), 'folder_id');
  const fileId = optionalUuid(metadata.get('fileId'), 'file_id');
  const declaredType = metadata.get('filetype')?.slice(0, 255) || null;

  const ctx = await spaceContext(deps.stores, actor, spaceId);
  requireRole(actor, ctx, 'editor');
  if (length > deps.limits.maxFileBytes) throw fileTooLarge(deps.limits.maxFileBytes);
  const filename = cleanUploadName(metadata.get('filename') ?? '');
  if (!filename && !fileId) throw invalidUpload('filename');

  const organisationId = await organisationOf(deps.stores, actor);
  const id = uuidv7();
  const expiresAt = new Date(nowOf(deps).getTime() + UPLOAD_TTL_MS);
  await withQuota(deps, { spaceId: ctx.spaceId, jurisdiction: ctx.jurisdiction, organisationId, needed: length }, async (trx) => {
    if (fileId) {
      const file = await findItem(trx, ctx.spaceId, fileId);
      if (file?.kind !== 'file') throw notFound();
      if (file.trashed_at) throw inTrash();
    } else {
      if (folderId) {
        const folder = await findItem(trx, ctx.spaceId, folderId);
        if (folder?.kind !== 'folder') throw notFound();
        if (folder.trashed_at) throw inTrash();
      }
      const existing = await findLiveNamesake(trx, ctx.spaceId, folderId, nameKey(filename as string));
      if (existing) throw nameTaken(existing);
    }
    await insertUpload(trx, {
      id,
      space_id: ctx.spaceId,
      created_by: actor.principalId,
      organisation_id: organisationId,
      folder_id: fileId ? null : folderId,
      file_id: fileId,
      filename: filename ?? 'fichier',
      declared_type: declaredType,
      length,
      expires_at: expiresAt,
    });
  });
  if (length === 0) {
    // Nothing will come (tus clients send no PATCH for an empty file): finished now.
    const upload = await findOwnUpload(deps.stores.cells[ctx.jurisdiction].db, id, actor.principalId);
    if (!upload) throw notFound();
    await finishUpload(deps, actor, ctx, upload, null, meta);
    return { id, offset: 0, length: 0, expiresAt };
  }
  return { id, offset: 0, length, expiresAt };
}

export async function uploadPosition(deps: FilesDeps, actorOrNull: Actor | null, id: string): Promise<UploadPosition> {
  const actor = requireActor(actorOrNull);
  return position((await ownUpload(deps, actor, id)).upload);
}

export async function uploadStatus(deps: FilesDeps, actorOrNull: Actor | null, id: string): Promise<UploadStatusView> {
  const actor = requireActor(actorOrNull);
  const { upload, jurisdiction } = await ownUpload(deps, actor, id);
  // The file is the space's: its creator sees it while still a member (404 once they have left).
  await spaceContext(deps.stores, actor, upload.space_id);
  let file: FileItem | null = null;
  if (upload.result_file_id) {
    try {
      file = await viewOf(deps.stores, deps.stores.cells[jurisdiction].db, upload.space_id, upload.result_file_id);
    } catch (error) {
      if (!(error instanceof AppError && error.status === 404)) throw error; // deleted since
    }
  }
  return {
    status: upload.status,
    offset: Number(upload.offset),
    length: Number(upload.length),
    file,
    ...(upload.status === 'quarantined' && upload.signature ? { signature: upload.signature } : {}),
  };
}

/** tus termination: the parts go and the reservation is released (a finished upload's file stays). */
export async function terminateUpload(deps: FilesDeps, actorOrNull: Actor | null, id: string): Promise<void> {
  const actor = requireActor(actorOrNull);
  const { upload, jurisdiction } = await ownUpload(deps, actor, id);
  await removeUpload(deps, jurisdiction, upload);
}

async function removeUpload(deps: FilesDeps, jurisdiction: Jurisdiction, upload: { id: string; space_id: string }): Promise<void> {
  const cell = deps.cells.get(jurisdiction);
  // Objects first, by their prefix (a part written by a PATCH that never committed is found too).
  for await (const object of cell.objects.list(uploadPrefix(upload.space_id, upload.id))) await cell.objects.delete(object.key);
  await deleteUpload(cell.db, upload.id);
}

// ── PATCH ───────────────────────────────────────────────────────────────────────────────────

export interface PatchRequest {
  contentType: string | undefined;
  uploadOffset: string | undefined;
  contentLength: string | undefined;
  body: AsyncIterable<Uint8Array> | null;
}

export async function appendToUpload(deps: FilesDeps, actorOrNull: Actor | null, id: string, request: PatchRequest, meta: RequestMeta): Promise<UploadPosition> {
  const actor = requireActor(actorOrNull);
  const essence = request.contentType?.split(';')[0]?.trim().toLowerCase();
  if (essence !== 'application/offset+octet-stream') throw wrongContentType();
  const offset = parseLength(request.uploadOffset, 'upload_offset');
  const declared = request.contentLength === undefined ? null : parseLength(request.contentLength, 'content_length');
  const { upload, jurisdiction } = await ownUpload(deps, actor, id);
  const length = Number(upload.length);
  if (upload.status !== 'uploading') {
    // A finished upload: a client repeating its last request with nothing more to send is told so.
    if (offset === length && !declared) return position(upload);
    throw offsetMismatch(Number(upload.offset));
  }
  if (offset !== Number(upload.offset)) throw offsetMismatch(Number(upload.offset));
  const remaining = length - offset;
  if (declared !== null && declared > remaining) throw beyondLength();
  // Still an editor of the space (a member removed or demoted meanwhile sends nothing more).
  const ctx = await spaceContext(deps.stores, actor, upload.space_id);
  requireRole(actor, ctx, 'editor');

  const cell = deps.cells.get(jurisdiction);
  const body = new PartBody(request.body, remaining);
  const first = await body.first();
  if (!first) return position(upload); // an empty PATCH changes nothing
  const part: PartRow = { upload_id: upload.id, offset, length: 0, object_key: partKey(upload.space_id, upload.id, offset, uuidv7()) };
  try {
    await cell.encryptedObjects.putEncrypted(cell.db, spaceKeyOwner(upload.space_id), part.object_key, Readable.from(body.all(first)));
  } catch (error) {
    await cell.objects.delete(part.object_key).catch(() => {});
    throw body.failure ?? error;
  }
  part.length = body.size;
  if (body.interrupted && body.size < KEEP_PARTIAL_BYTES) {
    await cell.objects.delete(part.object_key).catch(() => {});
    return position(upload);
  }
  if (offset + part.length === length) {
    await finishUpload(deps, actor, ctx, upload, part, meta);
    return { ...position(upload), offset: length };
  }
  const expiresAt = new Date(nowOf(deps).getTime() + UPLOAD_TTL_MS);
  const committed = await cell.db.transaction().execute((trx) => commitPart(trx, part, expiresAt));
  if (!committed) {
    await cell.objects.delete(part.object_key).catch(() => {});
    const now = await findOwnUpload(cell.db, upload.id, actor.principalId);
    throw offsetMismatch(Number(now?.offset ?? offset));
  }
  return { ...position(upload), offset: offset + part.length, expiresAt };
}

/**
 * A PATCH body, counted as it streams: never more than what remains of the upload (413 and
 * nothing kept), and a client that goes away ends the body where it stopped (`interrupted`).
 * The request's iterator is never returned early (that would destroy the socket before the
 * problem is answered).
 */
class PartBody {
  readonly #iterator: AsyncIterator<Uint8Array> | null;
  readonly #remaining: number;
  size = 0;
  interrupted = false;
  failure: AppError | null = null;

  constructor(source: AsyncIterable<Uint8Array> | null, remaining: number) {
    this.#iterator = source ? source[Symbol.asyncIterator]() : null;
    this.#remaining = remaining;
  }

  async first(): Promise<Buffer | null> {
    for (;;) {
      const chunk = await this.#next();
      if (chunk === null || chunk.length > 0) return chunk;
    }
  }

  async *all(first: Buffer): AsyncGenerator<Buffer> {
    yield first;
    for (;;) {
      const chunk = await this.#next();
      if (chunk === null) return;
      yield chunk;
    }
  }

  async #next(): Promise<Buffer | null> {
    if (!this.#iterator || this.interrupted) return null;
    let next: IteratorResult<Uint8Array>;
    try {
      next = await this.#iterator.next();
    } catch {
      this.interrupted = true;
      return null;
    }
    if (next.done) return null;
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.size += chunk.length;
    if (this.size > this.#remaining) {
      this.failure = beyondLength();
      throw this.failure;
    }
    return chunk;
  }
}

// ── finishing ───────────────────────────────────────────────────────────────────────────────

/**
 * Turns the parts (and `last`, the final PATCH's part, not yet committed) into the file's
 * encrypted object, scans it, and commits the file or version with the upload's outcome.
 */
async function finishUpload(deps: FilesDeps, actor: Actor, ctx: SpaceContext, upload: UploadRow, last: PartRow | null, meta: RequestMeta): Promise<void> {
  const cell = deps.cells.get(ctx.jurisdiction);
  const owner = spaceKeyOwner(upload.space_id);
  const length = Number(upload.length);
  const parts = [...(await listParts(cell.db, upload.id)), ...(last ? [last] : [])];
  const expectedOffset = last ? last.offset : 0;
  let at = 0;
  for (const part of parts) {
    if (Number(part.offset) !== at) throw offsetMismatch(Number(upload.offset));
    at += Number(part.length);
  }
  if (at !== length) throw offsetMismatch(Number(upload.offset));

  const fileId = upload.file_id ?? uuidv7();
  const versionId = uuidv7();
  const objectKey = versionKey(upload.space_id, fileId, versionId);
  const thumbKey = thumbnailKey(upload.space_id, versionId);
  // If the process stops before the row commits, the purge job removes what was written.
  await scheduleObjectDeletions(cell.db, upload.space_id, [objectKey, thumbKey], new Date(nowOf(deps).getTime() + WRITE_GRACE_MS));

  let committed = false;
  try {
    const hash = createHash('sha256');
    const probe = new TypeProbe();
    async function* plaintext(): AsyncGenerator<Buffer> {
      for (const part of parts) {
        const opened = await cell.encryptedObjects.getDecrypted(cell.db, owner, part.object_key);
        for await (const chunk of opened.body) {
          const bytes = chunk as Buffer;
          hash.update(bytes);
          probe.push(bytes);
          yield bytes;
        }
      }
    }
    const [toStore, toScan] = tee(plaintext());
    // The first to fail says why; the other one fails only because its stream was cut.
    let firstFailure: 'store' | 'scan' | null = null;
    const storing = cell.encryptedObjects.putEncrypted(cell.db, owner, objectKey, toStore).catch((err: unknown) => {
      firstFailure ??= 'store';
      toScan.destroy();
      throw err;
    });
    const scanning = deps.scanner.scan(toScan).catch((err: unknown) => {
      firstFailure ??= 'scan';
      toStore.destroy(err as Error);
      throw err;
    });
    const [stored, scanned] = await Promise.allSettled([storing, scanning]);
    if (stored.status === 'rejected' && firstFailure !== 'scan') throw stored.reason;
    if (scanned.status === 'rejected') {
      if (scanned.reason instanceof ScannerUnavailableError) {
        deps.logger.warn({ reason: scanned.reason.reason, uploadId: upload.id }, 'the malware scanner gave no verdict: upload refused');
        throw scannerUnavailable();
      }
      deps.logger.error({ err: scanned.reason, uploadId: upload.id }, 'the malware scan failed: upload refused');
      throw scannerUnavailable();
    }
    if (stored.status === 'rejected') throw stored.reason;
    if (stored.value.size !== length) throw offsetMismatch(Number(upload.offset));
    const verdict: ScanVerdict = scanned.value;
    const status: FileStatus = verdict.status === 'infected' ? 'quarantined' : verdict.status;
    const signature = verdict.status === 'infected' ? verdict.signature.slice(0, 500) : null;
    const contentType = await probe.result();
    const sha256 = hash.digest('hex');

    let thumbnail: string | null = null;
    if (status !== 'quarantined' && THUMBNAIL_TYPES.has(contentType) && length <= MAX_SOURCE_BYTES) {
      const image = await cell.encryptedObjects.getDecrypted(cell.db, owner, objectKey);
      const webp = await makeThumbnail(image.body);
      if (webp) {
        await cell.encryptedObjects.putEncrypted(cell.db, owner, thumbKey, webp);
        thumbnail = thumbKey;
      }
    }

    await withQuota(
      deps,
      { spaceId: upload.space_id, jurisdiction: ctx.jurisdiction, organisationId: upload.organisation_id, needed: length, exceptUpload: upload.id },
      async (trx) => {
        const now = nowOf(deps);
        const done = await completeUpload(trx, upload.id, expectedOffset, {
          status: status === 'quarantined' ? 'quarantined' : 'complete',
          fileId,
          versionId,
          signature,
          length,
        });
        if (!done) throw offsetMismatch(length); // another request finished it first
        let created = false;
        if (upload.file_id) {
          const file = await findItem(trx, upload.space_id, upload.file_id);
          if (file?.kind !== 'file') throw notFound();
          if (file.trashed_at) throw inTrash();
        } else {
          created = true;
          const folderId = await liveFolderOrRoot(trx, upload.space_id, upload.folder_id);
          // Another upload may have taken the name since this one was created: `name (2)`.
          let name = upload.filename;
          for (let n = 2; await findLiveNamesake(trx, upload.space_id, folderId, nameKey(name)); n++) name = numberedName(upload.filename, n);
          await insertItem(
            trx,
            { id: fileId, space_id: upload.space_id, parent_id: folderId, kind: 'file', name, name_key: nameKey(name), created_by: actor.principalId, updated_by: actor.principalId },
            now,
          );
        }
        const number = await nextVersionNumber(trx, fileId);
        await insertVersion(trx, {
          id: versionId,
          file_id: fileId,
          space_id: upload.space_id,
          number,
          object_key: objectKey,
          size: length,
          content_type: contentType,
          sha256,
          status,
          signature,
          thumbnail_key: thumbnail,
          created_by: actor.principalId,
          organisation_id: upload.organisation_id,
          billed_bytes: length,
          restored_from: null,
          created_at: now,
        });
        // A quarantined new version is listed but does not replace the file's current one.
        if (created || status !== 'quarantined') {
          await updateItem(trx, fileId, { current_version_id: versionId, updated_by: actor.principalId, updated_at: now });
        }
        await cancelObjectDeletions(trx, [objectKey, thumbKey]);
        const details = { spaceId: upload.space_id, versionId, number, size: length, contentType, status, newFile: created };
        await deps.audit.record(
          { ...fileEvent(actor, ctx.jurisdiction, 'workspace.file.uploaded', { type: 'file', id: fileId }, meta, details), organisationId: upload.organisation_id },
          trx as unknown as AuditTrx,
        );
        if (status === 'quarantined') {
          await deps.audit.record(
            {
              ...fileEvent(actor, ctx.jurisdiction, 'workspace.file.quarantined', { type: 'file', id: fileId }, meta, { spaceId: upload.space_id, versionId, signature, scanner: deps.scanner.name }),
              organisationId: upload.organisation_id,
            },
            trx as unknown as AuditTrx,
          );
        }
      },
    );
    committed = true;
  } catch (error) {
    // Nothing of this attempt is kept: the version's object, its thumbnail, the last PATCH's part.
    await cell.objects.delete(objectKey).catch(() => {});
    await cell.objects.delete(thumbKey).catch(() => {});
    if (last) await cell.objects.delete(last.object_key).catch(() => {});
    await cancelObjectDeletions(cell.db, [objectKey, thumbKey]).catch(() => {});
    // What waiting cannot fix ends the upload (its reservation with it); a 503 or a race leaves it to retry.
    if (error instanceof AppError && [403, 404, 409, 413].includes(error.status) && error.slug !== 'upload_offset_mismatch') {
      await removeUpload(deps, ctx.jurisdiction, upload).catch((err: unknown) => deps.logger.warn({ err, uploadId: upload.id }, 'removing a failed upload failed'));
    }
    throw error;
  }
  if (committed) {
    await spaceChanged(deps, ctx.spaceId, 'files');
    // The parts are no longer needed (the expiry job would remove them anyway).
    try {
      for await (const object of cell.objects.list(uploadPrefix(upload.space_id, upload.id))) await cell.objects.delete(object.key);
      await deleteParts(cell.db, upload.id);
    } catch (err) {
      deps.logger.warn({ err, uploadId: upload.id }, 'removing the parts of a finished upload failed; the expiry job will');
    }
  }
}

/** The upload's folder if it is still a live folder of the space, else the root. */
async function liveFolderOrRoot(trx: CellDb, spaceId: string, folderId: string | null): Promise<string | null> {
  if (!folderId) return null;
  const folder = await findItem(trx, spaceId, folderId);
  return folder && folder.kind === 'folder' && !folder.trashed_at ? folder.id : null;
}

/**
 * One source, two readers at the pace of the slower (the encrypted store and the scanner). A
 * reader that is destroyed (a scanner that needs nothing more) no longer holds the other back.
 */
function tee(source: AsyncIterable<Buffer>): [Readable, Readable] {
  const outputs = [new PassThrough({ highWaterMark: 1024 * 1024 }), new PassThrough({ highWaterMark: 1024 * 1024 })] as const;
  const room = (out: PassThrough) =>
    new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.once('drain', done);
      out.once('close', done);
    });
  void (async () => {
    try {
      for await (const chunk of source) {
        const waits: Promise<void>[] = [];
        for (const out of outputs) {
          if (out.destroyed || out.writableEnded) continue;
          if (!out.write(chunk)) waits.push(room(out));
        }
        if (outputs.every((out) => out.destroyed)) return;
        await Promise.all(waits);
      }
      for (const out of outputs) if (!out.destroyed) out.end();
    } catch (error) {
      for (const out of outputs) out.destroy(error as Error);
    }
  })();
  return [outputs[0], outputs[1]];
}

// ── expiry ──────────────────────────────────────────────────────────────────────────────────

/** Uploads past their expiry: their parts and rows go (finished ones only had their status left). */
export async function expireUploads(deps: FilesDeps, options: { batch?: number } = {}): Promise<number> {
  let removed = 0;
  for (const cell of deps.cells.all()) {
    for (const upload of await expiredUploads(cell.db, nowOf(deps), options.batch ?? 200)) {
      await removeUpload(deps, cell.jurisdiction, upload);
      removed++;
    }
  }
  return removed;
}
