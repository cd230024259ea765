import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { KeyOwner } from '../../platform/crypto/keyring.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { isUuid, uuidv7 } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { ObjectNotFoundError, type GetResult } from '../../platform/objects/object-store.ts';
import { canEditText, documentAccessFor, requireNotMoving, spaceAccessFor } from '../access.ts';
import { findMemberships } from '../access.repo.ts';
import { redeemedSpaces } from '../sharing/share-links.repo.ts'; // share links (helper S)
import { type AuditTrx, type RequestMeta, requireActor, requireAssuranceFor } from '../spaces/deps.ts';
import { spacePath } from '../spaces/spaces.ts';
import type { FilesLimits } from '../files/deps.ts';
import { lockSpace } from '../files/files.repo.ts';
import { quotaExceeded } from '../files/quotas.ts';
import { findQuotaOverride, spaceUsage } from '../files/quotas.repo.ts';
import { acceptedType, MAX_IMAGE_BYTES, SNIFF_BYTES, sniffImageType } from './image-types.ts';
import { findImageAmong, type ImageForReading, insertImageIntoLiveDocument } from './images.repo.ts';
import type { ImageType } from './images.tables.ts';

/**
 * Images of documents, uploaded into a document: stored in its space's cell, encrypted with the
 * space's data key, served only to those who reach that document (a restricted document's images
 * are no more open than its text; 404 to anyone else, as for the document).
 *
 * The upload is refused before anything is written when the declared type is not a raster image
 * we serve, when the declared length is over the limit, or when the first bytes are not the
 * declared type; a body that turns out larger than the limit while it streams stops the write
 * (the store keeps nothing of it).
 */
export interface ImageDeps {
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  logger: Logger;
  /** The space quota (files/quotas.ts): images count in it, so an upload that does not fit is refused (413). */
  limits?: Pick<FilesLimits, 'spaceQuotaBytes'>;
}

export interface ImageView {
  id: string;
  url: string;
  contentType: ImageType;
  size: number;
}

export interface ImageUpload {
  /** The request's Content-Type. */
  declaredType: string | undefined;
  /** The request's Content-Length, when it gave one. */
  declaredLength: number | null;
  /** The raw body, read only as far as needed (never to its end when refused). */
  body: AsyncIterable<Uint8Array> | null;
}

export const imageUrl = (id: string) => `/api/images/${id}`;
const imageKey = (spaceId: string, id: string) => `spaces/${spaceId}/images/${id}`;
const spaceKeyOwner = (spaceId: string): KeyOwner => ({ type: 'space', id: spaceId });

const tooLarge = () => new AppError('image_too_large', { params: { limit: MAX_IMAGE_BYTES / (1024 * 1024) } });
const unsupported = () => new AppError('image_type_unsupported');
const mismatch = (declared: ImageType) => new AppError('image_content_mismatch', { params: { declared } });
const inTrash = () => new AppError('document_in_trash', { status: 409 });

export async function uploadImage(
  deps: ImageDeps,
  actorOrNull: Actor | null,
  requestedId: string,
  upload: ImageUpload,
  meta: RequestMeta,
): Promise<ImageView> {
  const actor = requireActor(actorOrNull);
  // The document's own rule (restrictions on it and above it), not only the space's role.
  const access = await documentAccessFor(deps.stores, actor, requestedId);
  if (!access) throw notFound();
  if (!canEditText(access.role)) throw forbidden();
  requireAssuranceFor(actor, access.minAssurance, spacePath(access.spaceId));
  if (access.trashed) throw inTrash();
  requireNotMoving(access);
  // As stored (the path may spell the UUID in capitals).
  const { spaceId, documentId } = access;
  const declared = acceptedType(upload.declaredType);
  if (!declared) throw unsupported();
  if (upload.declaredLength !== null && upload.declaredLength > MAX_IMAGE_BYTES) throw tooLarge();
  if (!upload.body) throw mismatch(declared);
  // The space's quota counts images as it counts files: a declared length that does not fit is
  // refused before any byte; the size read is checked again under the space's lock below.
  const spaceLimit = deps.limits ? ((await findQuotaOverride(deps.stores.control.db, 'space', spaceId)) ?? deps.limits.spaceQuotaBytes) : null;
  if (spaceLimit !== null && upload.declaredLength !== null) {
    const used = await spaceUsage(deps.stores.cells[access.jurisdiction].db, spaceId, new Date());
    if (used + upload.declaredLength > spaceLimit) throw quotaExceeded('space', used, spaceLimit, upload.declaredLength);
  }

  const body = new CountedBody(upload.body);
  const head = await body.readHead(SNIFF_BYTES);
  if (sniffImageType(head) !== declared) throw mismatch(declared);

  const id = uuidv7();
  const key = imageKey(spaceId, id);
  const cell = deps.cells.get(access.jurisdiction);
  try {
    await cell.encryptedObjects.putEncrypted(cell.db, spaceKeyOwner(spaceId), key, Readable.from(body.all(head)));
  } catch (error) {
    throw body.failure ?? error;
  }
  const size = body.size;
  const sha256 = body.sha256();
  try {
    await cell.db.transaction().execute(async (trx) => {
      if (spaceLimit !== null) {
        // The space's row lock, as file uploads take it: parallel uploads cannot together go over.
        if (!(await lockSpace(trx, spaceId))) throw notFound();
        const used = await spaceUsage(trx, spaceId, new Date());
        if (used + size > spaceLimit) throw quotaExceeded('space', used, spaceLimit, size);
      }
      const row = { id, space_id: spaceId, document_id: documentId, content_type: declared, size, sha256, created_by: actor.principalId };
      if (!(await insertImageIntoLiveDocument(trx, row))) throw inTrash();
      await deps.audit.record(
        {
          action: 'workspace.image.uploaded',
          outcome: 'success',
          actorId: actor.principalId,
          jurisdiction: access.jurisdiction,
          resource: { type: 'image', id },
          ip: meta.ip,
          requestId: meta.requestId,
          details: { spaceId, documentId, contentType: declared, size },
        },
        trx as unknown as AuditTrx,
      );
    });
  } catch (error) {
    // No row, no object: an object nobody can reach would only take space.
    await cell.encryptedObjects.delete(key).catch((err: unknown) => deps.logger.warn({ err, key }, 'removing an unrecorded image failed'));
    throw error;
  }
  return { id, url: imageUrl(id), contentType: declared, size };
}

export interface ReadableImage {
  image: ImageForReading;
  jurisdiction: Jurisdiction;
}

/**
 * The image if the actor may read it: whoever reaches its document (any role, in the trash too,
 * as the document itself), at the space's level of assurance; nobody once that document is deleted
 * for good. Rows from before documents owned images (no document) keep the space rule. Found by
 * asking the cells of the actor's spaces only; anything else is 404.
 */
export async function findReadableImage(stores: Stores, actorOrNull: Actor | null, imageId: string): Promise<ReadableImage> {
  const actor = requireActor(actorOrNull);
  if (!isUuid(imageId.toLowerCase())) throw notFound();
  const memberships = await findMemberships(stores.control.db, actor.principalId);
  const byJurisdiction = new Map<Jurisdiction, string[]>();
  for (const m of memberships) byJurisdiction.set(m.jurisdiction, [...(byJurisdiction.get(m.jurisdiction) ?? []), m.space_id]);
  // ── share links (helper S): the spaces of documents opened through a link (the rule below decides) ──
  for (const r of await redeemedSpaces(stores.control.db, actor.principalId)) byJurisdiction.set(r.jurisdiction, [...(byJurisdiction.get(r.jurisdiction) ?? []), r.space_id]);
  // ── end share links ──
  for (const [jurisdiction, spaceIds] of byJurisdiction) {
    const image = await findImageAmong(stores.cells[jurisdiction].db, imageId.toLowerCase(), spaceIds);
    if (!image) continue;
    // The one place the rules live decides (a membership or grant removed meanwhile reads nothing).
    if (image.document_id) {
      const access = await documentAccessFor(stores, actor, image.document_id);
      if (!access || access.jurisdiction !== jurisdiction || access.spaceId !== image.space_id) throw notFound();
      requireAssuranceFor(actor, access.minAssurance, spacePath(image.space_id));
      return { image, jurisdiction };
    }
    const access = await spaceAccessFor(stores, actor.principalId, image.space_id);
    if (!access || access.jurisdiction !== jurisdiction) throw notFound();
    requireAssuranceFor(actor, image.min_assurance, spacePath(image.space_id));
    return { image, jurisdiction };
  }
  throw notFound();
}

/** The decrypted bytes of a readable image; 404 if its object is gone (logged: it should not be). */
export async function openImage(deps: ImageDeps, readable: ReadableImage): Promise<GetResult> {
  const { image, jurisdiction } = readable;
  const cell = deps.cells.get(jurisdiction);
  try {
    return await cell.encryptedObjects.getDecrypted(cell.db, spaceKeyOwner(image.space_id), imageKey(image.space_id, image.id));
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error;
    deps.logger.warn({ imageId: image.id, jurisdiction }, 'an image row has no object');
    throw notFound();
  }
}

/**
 * The request body, counted and hashed as it streams, cut at the limit. Reading stops where the
 * caller stops: the iterator is never returned early, because returning a request's iterator
 * destroys its socket and the client would get a reset instead of the problem.
 */
class CountedBody {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #hash = createHash('sha256');
  #size = 0;
  /** Why the body was refused while streaming (the store's error is only a consequence). */
  failure: AppError | null = null;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  get size(): number {
    return this.#size;
  }

  sha256(): string {
    return this.#hash.digest('hex');
  }

  /** At least `bytes` bytes (fewer only if the body is shorter), counted. */
  async readHead(bytes: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let length = 0;
    while (length < bytes) {
      const chunk = await this.#next();
      if (!chunk) break;
      chunks.push(chunk);
      length += chunk.byteLength;
    }
    return Buffer.concat(chunks);
  }

  /** The head already read, then the rest of the body. */
  async *all(head: Buffer): AsyncGenerator<Buffer> {
    this.#hash.update(head);
    yield head;
    for (;;) {
      const chunk = await this.#next();
      if (!chunk) return;
      this.#hash.update(chunk);
      yield chunk;
    }
  }

  async #next(): Promise<Buffer | null> {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await this.#iterator.next();
    } catch {
      // The client went away mid-upload: a 4xx for the record, nothing was kept.
      this.failure = new AppError('bad_request', { params: { reason: 'upload_interrupted' } });
      throw this.failure;
    }
    if (next.done) return null;
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.#size += chunk.byteLength;
    if (this.#size > MAX_IMAGE_BYTES) {
      this.failure = tooLarge();
      throw this.failure;
    }
    return chunk;
  }
}
