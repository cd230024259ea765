import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { isUuid, uuidv7 } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { documentAccessFor, lowerRole, requireNotMoving, roleAtLeast, spaceAccessFor } from '../access.ts';
import { findMemberships } from '../access.repo.ts';
import { copyAccessRows, findDocumentInSpace, insertDocumentRow, lockSpaceTree, nextPosition } from '../documents/documents.repo.ts';
import { quotaExceeded } from '../files/quotas.ts';
import { findQuotaOverride, spaceUsage } from '../files/quotas.repo.ts';
import { insertImageIntoLiveDocument } from '../images/images.repo.ts';
import { type AuditTrx, type DocumentContent, type RequestMeta, requireActor, requireAssuranceFor } from '../spaces/deps.ts';
import { loadSpace, spacePath } from '../spaces/spaces.ts';
import { type PreparedDocument, type PreparedImport, prepareImport, type ReportEntry } from './convert.ts';
import {
  claimAbandoned,
  deleteDocumentRows,
  deleteImageRows,
  findImport,
  findImportAmong,
  finishImport,
  type ImportRow,
  insertImport,
  listAbandonedImports,
  recordCreatedDocuments,
  recordCreatedImage,
  updateProgress,
} from './imports.repo.ts';
import type { ImportStatus } from './imports.tables.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { spaceChanged } from '../live/space-events.ts';
import { DEFAULT_IMPORT_LIMITS, extensionOf, type ImportLimits, NOT_YET_EXTENSIONS, UPLOAD_EXTENSIONS } from './limits.ts';

/**
 * Importing Markdown, HTML and DOCX files — one, or a zip of many keeping its folders as the
 * documents tree — into a space, by its editors and owners.
 *
 * The upload is received into a private temporary folder (size-limited while it streams), a row
 * `document_imports` records it, and the answer (202) comes at once; the conversion runs on this
 * node (`ImportRunner`, a few at a time) and the row shows its progress and, at the end, the report.
 *
 * Nothing half imported: (1) every file is read, checked and converted first (convert.ts);
 * (2) the documents rows are written in one transaction, their ids recorded on the import's row in
 * that same transaction; (3) images are stored one by one (object, then row under the space's lock
 * with the quota check), each recorded before its object is written; (4) the content is written
 * through the document store. Any failure in (2)–(4) — the quota exceeded on the third image, a
 * storage error — removes everything recorded (documents with their content, image rows and
 * objects) and the import ends `failed` with its reason. A node that dies mid-import stops the
 * row's heartbeat: the next import in that cell (or a read of the row) rolls it back the same way.
 * Documents exist, empty, for the seconds between (2) and (4): a colleague may see them appear
 * before their content; they are never left half-filled.
 */
export interface ImportDeps {
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  logger: Logger;
  content: () => DocumentContent | undefined;
  /** The space quota (files/quotas.ts): images count in it. */
  spaceQuotaBytes?: number;
  limits?: Partial<ImportLimits>;
  /** Where uploads wait while converted (the system's temporary folder by default). */
  tempDir?: string;
  /** Tells open space pages that documents came (live/space-events); absent in tests that need none. */
  events?: EventBus;
}

export interface ImportView {
  id: string;
  spaceId: string;
  parentId: string | null;
  fileName: string;
  status: ImportStatus;
  total: number;
  processed: number;
  imported: number;
  failed: number;
  error: string | null;
  report: ReportEntry[];
  createdAt: string;
  completedAt: string | null;
}

export interface ImportUpload {
  fileName: string;
  parentId: string | null;
  declaredLength: number | null;
  body: AsyncIterable<Uint8Array> | null;
}

/** An import whose heartbeat is this old is taken as dead, and rolled back. */
export const ABANDONED_AFTER_MS = 15 * 60_000;

const tooLarge = (limit: number) => new AppError('import_too_large', { status: 413, params: { limit: Math.floor(limit / (1024 * 1024)) } });
const unsupported = () => new AppError('import_type_unsupported', { status: 415, params: { types: UPLOAD_EXTENSIONS.map((e) => `.${e}`).join(', ') } });
/** ODT: expected by French and Québec administrations, not read yet (the detail says what to do meanwhile). */
const notYet = (extension: string) => new AppError('import_type_not_yet_supported', { status: 415, params: { type: `.${extension}` } });
const inTrash = () => new AppError('document_in_trash', { status: 409 });

/** Why an import stopped once it had started writing (`imports.reason.<reason>`). */
class ImportAborted extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

function limitsOf(deps: ImportDeps): ImportLimits {
  return { ...DEFAULT_IMPORT_LIMITS, ...deps.limits };
}

/** Checks who may import where, receives the upload, records the import and starts it. */
export async function startImport(deps: ImportDeps, runner: ImportRunner, actorOrNull: Actor | null, spaceId: string, upload: ImportUpload, meta: RequestMeta): Promise<ImportView> {
  const actor = requireActor(actorOrNull);
  const limits = limitsOf(deps);
  const { access, space } = await loadSpace(deps.stores, actor, spaceId);
  let role = access.role;
  if (upload.parentId) {
    // Under a document: the actor must reach it and edit it (its restriction and those above it).
    const parent = await documentAccessFor(deps.stores, actor, upload.parentId);
    if (!parent || parent.spaceId !== access.spaceId) throw notFound();
    if (parent.trashed) throw inTrash();
    // The lower of the two: an editor link on the parent does not make a reader of the space an editor of its tree.
    role = lowerRole(role, parent.role);
  }
  if (!roleAtLeast(role, 'editor')) throw forbidden();
  requireAssuranceFor(actor, space.min_assurance, spacePath(access.spaceId));
  requireNotMoving(access);
  if (NOT_YET_EXTENSIONS.has(extensionOf(upload.fileName))) throw notYet(extensionOf(upload.fileName));
  if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(extensionOf(upload.fileName))) throw unsupported();
  if (upload.declaredLength !== null && upload.declaredLength > limits.maxUploadBytes) throw tooLarge(limits.maxUploadBytes);

  const workDir = await mkdtemp(path.join(deps.tempDir ?? tmpdir(), 'entente-import-'));
  const file = path.join(workDir, `upload.${extensionOf(upload.fileName)}`);
  try {
    await receive(upload.body, file, limits.maxUploadBytes);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const id = uuidv7();
  const fileName = [...upload.fileName.replace(/[\\/]/g, '_')].slice(0, 255).join('');
  const parentId = upload.parentId ? upload.parentId.toLowerCase() : null;
  const db = deps.stores.cells[access.jurisdiction].db;
  try {
    await insertImport(db, { id, space_id: access.spaceId, parent_id: parentId, created_by: actor.principalId, file_name: fileName });
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const job: ImportJob = { id, spaceId: access.spaceId, parentId, jurisdiction: access.jurisdiction, actor, meta, file, fileName, workDir };
  runner.run(job.id, () => runImport(deps, job));
  const row = await findImport(db, id);
  if (!row) throw notFound();
  return viewOf(row);
}

/** The body into `file`, cut at `max` bytes (413, nothing kept). */
async function receive(body: AsyncIterable<Uint8Array> | null, file: string, max: number): Promise<void> {
  let size = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    if (!body) return;
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > max) throw tooLarge(max);
      yield chunk;
    }
  }
  try {
    await pipeline(Readable.from(counted()), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The client went away mid-upload: a 4xx for the record, nothing was kept.
    throw new AppError('bad_request', { params: { reason: 'upload_interrupted' } });
  }
}

interface ImportJob {
  id: string;
  spaceId: string;
  parentId: string | null;
  jurisdiction: Jurisdiction;
  actor: Actor;
  meta: RequestMeta;
  file: string;
  fileName: string;
  workDir: string;
}

/** Converts, then creates; records the outcome. Never throws (the row says what happened). */
export async function runImport(deps: ImportDeps, job: ImportJob): Promise<void> {
  const db = deps.stores.cells[job.jurisdiction].db;
  const limits = limitsOf(deps);
  let prepared: PreparedImport = { fatal: null, documents: [], report: [] };
  try {
    await reapAbandonedImports(deps, job.jurisdiction).catch((err: unknown) => deps.logger.warn({ err }, 'rolling back abandoned imports failed'));
    prepared = await prepareImport({
      file: job.file,
      fileName: job.fileName,
      spaceId: job.spaceId,
      workDir: job.workDir,
      limits,
      progress: (processed, total) => updateProgress(db, job.id, { processed, total }),
    });
    const report = prepared.report;
    const failed = report.filter((r) => r.status === 'failed').length;
    if (prepared.fatal) {
      await finishImport(db, job.id, { status: 'failed', imported: 0, failed: 1, error: prepared.fatal, report: [{ path: job.fileName, status: 'failed', reason: prepared.fatal }], keepCreated: false });
      return;
    }
    if (prepared.documents.length === 0) {
      await finishImport(db, job.id, { status: 'failed', imported: 0, failed, error: 'nothing_imported', report, keepCreated: false });
      return;
    }
    await commit(deps, job, prepared.documents);
    const imported = report.filter((r) => r.status === 'imported' && !r.path.endsWith('/')).length;
    await finishImport(db, job.id, { status: 'done', imported, failed, error: null, report, keepCreated: true });
  } catch (error) {
    const reason = error instanceof ImportAborted ? error.reason : error instanceof AppError ? error.slug : 'storage_failed';
    if (!(error instanceof ImportAborted) && !(error instanceof AppError)) deps.logger.error({ err: error, importId: job.id }, 'an import failed');
    try {
      const row = await findImport(db, job.id);
      if (row) await rollBack(deps, job.jurisdiction, row);
      // What was converted is still reported, but nothing of it was kept.
      const report = prepared.report.map((r) => (r.status === 'imported' ? { path: r.path, status: 'failed' as const, reason: 'rolled_back' } : r));
      await finishImport(db, job.id, { status: 'failed', imported: 0, failed: report.filter((r) => r.status === 'failed').length, error: reason, report, keepCreated: false });
    } catch (err) {
      // The heartbeat stops: the next import in this cell rolls it back.
      deps.logger.error({ err, importId: job.id }, 'rolling back an import failed');
    }
  } finally {
    await rm(job.workDir, { recursive: true, force: true }).catch(() => {});
  }
}

async function commit(deps: ImportDeps, job: ImportJob, documents: PreparedDocument[]): Promise<void> {
  const cell = deps.cells.get(job.jurisdiction);
  const db = deps.stores.cells[job.jurisdiction].db;
  const store = deps.content();
  if (!store) throw new ImportAborted('storage_failed');
  // The agent may have lost the right to write here while the files were converted.
  const access = await spaceAccessFor(deps.stores, job.actor.principalId, job.spaceId);
  if (!access || !roleAtLeast(access.role, 'editor') || access.moving) throw new ImportAborted('access_withdrawn');
  if (job.parentId) {
    const parent = await documentAccessFor(deps.stores, job.actor, job.parentId);
    if (!parent || !roleAtLeast(parent.role, 'editor')) throw new ImportAborted('access_withdrawn');
  }

  // (2) The tree, in one transaction, with the ids on the import's row.
  await db.transaction().execute(async (trx) => {
    if (!(await lockSpaceTree(trx, job.spaceId))) throw new ImportAborted('access_withdrawn');
    let restricted = false;
    if (job.parentId) {
      const parent = await findDocumentInSpace(trx, job.spaceId, job.parentId);
      if (!parent || parent.trashed_at) throw new ImportAborted('parent_unavailable');
      restricted = parent.restricted;
    }
    let rootPosition = await nextPosition(trx, job.spaceId, job.parentId);
    const childPositions = new Map<string, number>();
    for (const doc of documents) {
      const parentId = doc.parentId ?? job.parentId;
      let position: number;
      if (doc.parentId === null) position = rootPosition++;
      else {
        position = childPositions.get(doc.parentId) ?? 0;
        childPositions.set(doc.parentId, position + 1);
      }
      await insertDocumentRow(trx, { id: doc.id, space_id: job.spaceId, parent_id: parentId, title: doc.title, position, restricted, created_by: job.actor.principalId });
      // Under a restricted document, as createDocument does: the same restriction and access list.
      if (restricted && job.parentId) await copyAccessRows(trx, job.parentId, doc.id);
      await deps.audit.record(auditEvent(job, 'workspace.document.imported', { type: 'document', id: doc.id }, { parentId, restricted }), trx as unknown as AuditTrx);
    }
    await recordCreatedDocuments(trx, job.id, documents.map((d) => d.id));
  });
  await spaceChanged(deps, job.spaceId, 'documents');

  // (3) Images, each in the space's quota (checked under the space's lock, as uploads are).
  const limit = deps.spaceQuotaBytes === undefined ? null : ((await findQuotaOverride(deps.stores.control.db, 'space', job.spaceId)) ?? deps.spaceQuotaBytes);
  for (const doc of documents) {
    for (const image of doc.images) {
      const key = `spaces/${job.spaceId}/images/${image.id}`;
      await recordCreatedImage(db, job.id, { id: image.id, key });
      await cell.encryptedObjects.putEncrypted(cell.db, { type: 'space', id: job.spaceId }, key, Readable.from([image.bytes]));
      await db.transaction().execute(async (trx) => {
        if (!(await lockSpaceTree(trx, job.spaceId))) throw new ImportAborted('access_withdrawn');
        if (limit !== null) {
          const used = await spaceUsage(trx, job.spaceId, new Date());
          if (used + image.bytes.byteLength > limit) throw quotaExceeded('space', used, limit, image.bytes.byteLength);
        }
        const row = { id: image.id, space_id: job.spaceId, document_id: doc.id, content_type: image.type, size: image.bytes.byteLength, sha256: image.sha256, created_by: job.actor.principalId };
        if (!(await insertImageIntoLiveDocument(trx, row))) throw new ImportAborted('parent_unavailable');
        const details = { documentId: doc.id, contentType: image.type, size: image.bytes.byteLength };
        await deps.audit.record(auditEvent(job, 'workspace.image.uploaded', { type: 'image', id: image.id }, details), trx as unknown as AuditTrx);
      });
    }
  }

  // (4) Content, through the document store (encrypted log, then snapshot and derived copies).
  let written = 0;
  for (const doc of documents) {
    if (doc.state) await store.initialise({ documentId: doc.id, spaceId: job.spaceId, jurisdiction: job.jurisdiction }, doc.state);
    written += 1;
    if (written % 10 === 0) await updateProgress(db, job.id, {});
  }
}

/** An audit event of the import, in the space's cell, with the import and space named. */
function auditEvent(job: ImportJob, action: string, resource: { type: string; id: string }, details: Record<string, string | number | boolean | null>) {
  return {
    action,
    outcome: 'success' as const,
    actorId: job.actor.principalId,
    jurisdiction: job.jurisdiction,
    resource,
    ip: job.meta.ip,
    requestId: job.meta.requestId,
    details: { spaceId: job.spaceId, importId: job.id, ...details },
  };
}

/** Removes what an import wrote: documents (content by cascade), image rows and objects. */
async function rollBack(deps: ImportDeps, jurisdiction: Jurisdiction, row: ImportRow): Promise<void> {
  const cell = deps.cells.get(jurisdiction);
  const db = deps.stores.cells[jurisdiction].db;
  await deleteImageRows(db, row.space_id, row.created_images.map((i) => i.id));
  for (const image of row.created_images) {
    await cell.encryptedObjects.delete(image.key).catch((err: unknown) => deps.logger.warn({ err, key: image.key }, 'removing an imported image failed'));
  }
  await deleteDocumentRows(db, row.space_id, row.created_documents);
}

/** Imports of the cell whose node died: rolled back, marked failed (`interrupted`). */
export async function reapAbandonedImports(deps: ImportDeps, jurisdiction: Jurisdiction, now = new Date()): Promise<number> {
  const db = deps.stores.cells[jurisdiction].db;
  const before = new Date(now.getTime() - ABANDONED_AFTER_MS);
  let count = 0;
  for (const row of await listAbandonedImports(db, before)) {
    if (!(await claimAbandoned(db, row.id, before))) continue;
    await rollBack(deps, jurisdiction, row);
    await finishImport(db, row.id, { status: 'failed', imported: 0, failed: 0, error: 'interrupted', report: row.report ?? [], keepCreated: false });
    count += 1;
  }
  return count;
}

/**
 * The import, for the agent who started it while they still edit the space; 404 for anyone else
 * (found by asking only the cells of the reader's spaces).
 */
export async function getImport(deps: ImportDeps, actorOrNull: Actor | null, importId: string): Promise<ImportView> {
  const actor = requireActor(actorOrNull);
  const id = importId.toLowerCase();
  if (!isUuid(id)) throw notFound();
  const memberships = await findMemberships(deps.stores.control.db, actor.principalId);
  const byJurisdiction = new Map<Jurisdiction, string[]>();
  for (const m of memberships) byJurisdiction.set(m.jurisdiction, [...(byJurisdiction.get(m.jurisdiction) ?? []), m.space_id]);
  for (const [jurisdiction, spaceIds] of byJurisdiction) {
    let row = await findImportAmong(deps.stores.cells[jurisdiction].db, id, spaceIds);
    if (!row) continue;
    if (row.created_by !== actor.principalId) throw notFound();
    const access = await spaceAccessFor(deps.stores, actor.principalId, row.space_id);
    if (!access || access.jurisdiction !== jurisdiction || !roleAtLeast(access.role, 'editor')) throw notFound();
    if ((row.status === 'converting' || row.status === 'creating') && Date.now() - row.heartbeat_at.getTime() > ABANDONED_AFTER_MS) {
      await reapAbandonedImports(deps, jurisdiction);
      row = (await findImport(deps.stores.cells[jurisdiction].db, id)) ?? row;
    }
    return viewOf(row);
  }
  throw notFound();
}

function viewOf(row: ImportRow): ImportView {
  return {
    id: row.id,
    spaceId: row.space_id,
    parentId: row.parent_id,
    fileName: row.file_name,
    status: row.status,
    total: row.total,
    processed: row.processed,
    imported: row.imported,
    failed: row.failed,
    error: row.error,
    report: Array.isArray(row.report) ? (row.report as ReportEntry[]) : [],
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

/**
 * Runs imports on this node, a few at a time (conversion is CPU work on the event loop's thread
 * between awaits); the others wait their turn with their row at `converting`, 0 processed.
 * `idle()` waits for every import to end (tests; the server's shutdown).
 */
export class ImportRunner {
  readonly #max: number;
  readonly #logger: Logger;
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #running = new Set<Promise<void>>();

  constructor(logger: Logger, max = 2) {
    this.#logger = logger;
    this.#max = max;
  }

  run(id: string, work: () => Promise<void>): void {
    const task = (async () => {
      if (this.#active >= this.#max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      this.#active += 1;
      try {
        await work();
      } catch (err) {
        this.#logger.error({ err, importId: id }, 'an import stopped unexpectedly');
      } finally {
        this.#active -= 1;
        this.#waiting.shift()?.();
      }
    })();
    this.#running.add(task);
    void task.finally(() => this.#running.delete(task));
  }

  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
