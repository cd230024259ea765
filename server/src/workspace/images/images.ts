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
import { canEditText, spaceAccessFor } from '../access.ts';
import { findMemberships } from '../access.repo.ts';
import { type AuditTrx, type RequestMeta, requireActor, requireAssuranceFor } from '../spaces/deps.ts';
import { loadSpace, spacePath } from '../spaces/spaces.ts';
import { acceptedType, MAX_IMAGE_BYTES, SNIFF_BYTES, sniffImageType } from './image-types.ts';
import { findImageAmong, type ImageForReading, insertImage } from './images.repo.ts';
import type { ImageType } from './images.tables.ts';

/**
 * Images of documents, uploaded to their space: stored in the space's cell, encrypted with the
 * space's data key, served only to the space's members (404 to anyone else, as for a space).
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

export async function uploadImage(
  deps: ImageDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  upload: ImageUpload,
  meta: RequestMeta,
): Promise<ImageView> {
  const actor = requireActor(actorOrNull);
  const { access, space } = await loadSpace(deps.stores, actor, spaceId);
  if (!canEditText(access.role)) throw forbidden();
  requireAssuranceFor(actor, space.min_assurance, spacePath(spaceId));
  const declared = acceptedType(upload.declaredType);
  if (!declared) throw unsupported();
  if (upload.declaredLength !== null && upload.declaredLength > MAX_IMAGE_BYTES) throw tooLarge();
  if (!upload.body) throw mismatch(declared);

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
      await insertImage(trx, { id, space_id: spaceId, content_type: declared, size, sha256, created_by: actor.principalId });
      await deps.audit.record(
        {
          action: 'workspace.image.uploaded',
          outcome: 'success',
          actorId: actor.principalId,
          jurisdiction: access.jurisdiction,
          resource: { type: 'image', id },
          ip: meta.ip,
          requestId: meta.requestId,
          details: { spaceId, contentType: declared, size },
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
 * The image if the actor may read it: a member of its space (any role) at the space's level of
 * assurance. Found by asking the cells of the actor's spaces only; anything else is 404.
 */
export async function findReadableImage(stores: Stores, actorOrNull: Actor | null, imageId: string): Promise<ReadableImage> {
  const actor = requireActor(actorOrNull);
  if (!isUuid(imageId.toLowerCase())) throw notFound();
  const memberships = await findMemberships(stores.control.db, actor.principalId);
  const byJurisdiction = new Map<Jurisdiction, string[]>();
  for (const m of memberships) byJurisdiction.set(m.jurisdiction, [...(byJurisdiction.get(m.jurisdiction) ?? []), m.space_id]);
  for (const [jurisdiction, spaceIds] of byJurisdiction) {
    const image = await findImageAmong(stores.cells[jurisdiction].db, imageId.toLowerCase(), spaceIds);
    if (!image) continue;
    // The one place the rule lives decides (a membership removed meanwhile reads nothing).
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
