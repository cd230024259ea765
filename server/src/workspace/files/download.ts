import type { Actor } from '../../identity/actor.ts';
import { DecryptionError } from '../../platform/crypto/errors.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { type GetResult, ObjectNotFoundError } from '../../platform/objects/object-store.ts';
import { type RequestMeta, requireActor } from '../spaces/deps.ts';
import { type FilesDeps, fileEvent, spaceKeyOwner } from './deps.ts';
import { itemContext, quarantined, requireRole, type SpaceContext } from './files.ts';
import { findVersion, type ItemRow, type VersionRow } from './files.repo.ts';
import { organisationOf } from './quotas.ts';

/**
 * Reading a file's bytes: any member (readers included) at the space's level of assurance, a
 * version of it (the current one by default), never a quarantined one (403 `file_quarantined`).
 * Ranges decrypt only the segments they cover (EncryptedObjects). A download is audited when it
 * reads the first byte (a whole file, or a range starting at 0), and at the first range a session
 * reads of a version (DownloadAudits): a player seeking through a video is not one event per seek.
 */
export interface ReadableVersion {
  ctx: SpaceContext;
  item: ItemRow;
  version: VersionRow;
}

export type RangeRequest = { start: number; end: number } | 'unsatisfiable' | null;

const DIGITS = /^\d{1,16}$/;

/**
 * One `bytes=` range (RFC 9110 §14.1.2): `a-b`, `a-`, `-n` (the last n bytes), resolved against
 * the size. null: no range, or one to ignore (malformed, several ranges, another unit — the whole
 * file is then sent, as the RFC allows); 'unsatisfiable': 416.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if ((first !== '' && !DIGITS.test(first)) || (last !== '' && !DIGITS.test(last))) return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/** The file and version an actor may read (404, 403 `insufficient_assurance`, 403 `file_quarantined`). */
export async function openForReading(deps: FilesDeps, actorOrNull: Actor | null, fileId: string, versionId: string | undefined): Promise<ReadableVersion> {
  const actor = requireActor(actorOrNull);
  const { ctx, item } = await itemContext(deps.stores, actor, fileId);
  if (item.kind !== 'file') throw notFound();
  requireRole(actor, ctx, 'reader');
  const wanted = versionId?.toLowerCase() ?? item.current_version_id;
  if (!wanted || !isUuid(wanted)) throw notFound();
  const version = await findVersion(deps.stores.cells[ctx.jurisdiction].db, item.id, wanted);
  if (!version) throw notFound();
  if (version.status === 'quarantined') throw quarantined();
  return { ctx, item, version };
}

/** The decrypted bytes (or a range); 404 if the object is gone (logged: it should not be). */
export async function openContent(deps: FilesDeps, readable: ReadableVersion, range: { start: number; end: number } | null): Promise<GetResult> {
  const { ctx, version } = readable;
  const cell = deps.cells.get(ctx.jurisdiction);
  try {
    return await cell.encryptedObjects.getDecrypted(cell.db, spaceKeyOwner(ctx.spaceId), version.object_key, range ? { range } : {});
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error;
    deps.logger.warn({ versionId: version.id, jurisdiction: ctx.jurisdiction }, 'a file version has no object');
    throw notFound();
  }
}

/**
 * Which reads are audited: every read of byte 0 (the whole file, or a range from 0), and — so that
 * `Range: bytes=1-` does not take a whole file unseen — the first read of a version by a session
 * that has not been audited for it within the last hour. A player seeking through a video is then
 * one event, not one per seek. Per process (a few entries per agent, the oldest dropped past
 * MAX_ENTRIES); on several nodes a session may be recorded once per node, never zero times.
 */
export class DownloadAudits {
  static readonly WINDOW_MS = 3_600_000;
  static readonly MAX_ENTRIES = 20_000;
  readonly #seen = new Map<string, number>();

  /** Whether this read is audited; remembers that it was. */
  shouldRecord(actor: Actor, versionId: string, range: { start: number; end: number } | null, now = Date.now()): boolean {
    const key = `${actor.sessionId}:${versionId}`;
    const last = this.#seen.get(key);
    const record = range === null || range.start === 0 || last === undefined || now - last >= DownloadAudits.WINDOW_MS;
    if (record) {
      this.#seen.delete(key); // re-inserted last: the map's order is the age order
      this.#seen.set(key, now);
      while (this.#seen.size > DownloadAudits.MAX_ENTRIES) this.#seen.delete(this.#seen.keys().next().value as string);
    }
    return record;
  }
}

export async function auditDownload(deps: FilesDeps, actor: Actor, readable: ReadableVersion, meta: RequestMeta, range: { start: number; end: number } | null): Promise<void> {
  const { ctx, item, version } = readable;
  await deps.audit.record({
      ...fileEvent(actor, ctx.jurisdiction, 'workspace.file.downloaded', { type: 'file', id: item.id }, meta, {
        spaceId: ctx.spaceId,
        versionId: version.id,
        number: version.number,
        size: Number(version.size),
        range: range ? `${range.start}-${range.end}` : null,
      }),
      organisationId: await organisationOf(deps.stores, actor),
  });
}

/** The thumbnail of a version (the current one by default); 404 when it has none. */
export async function openThumbnail(deps: FilesDeps, actorOrNull: Actor | null, fileId: string, versionId: string | undefined): Promise<{ versionId: string; body: GetResult }> {
  const readable = await openForReading(deps, actorOrNull, fileId, versionId);
  const { ctx, version } = readable;
  if (!version.thumbnail_key) throw notFound();
  const cell = deps.cells.get(ctx.jurisdiction);
  try {
    return { versionId: version.id, body: await cell.encryptedObjects.getDecrypted(cell.db, spaceKeyOwner(ctx.spaceId), version.thumbnail_key) };
  } catch (error) {
    if (error instanceof ObjectNotFoundError || error instanceof DecryptionError) throw notFound();
    throw error;
  }
}
