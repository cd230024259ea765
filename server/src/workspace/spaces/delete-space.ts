import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import { requireSession } from '../../identity/roles.ts';
import type { Cell, Cells } from '../../platform/cells/cells.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { enqueue, type JobRunner, type OutboxRegistry, recordInOutbox } from '../../platform/jobs/index.ts';
import { type AuditTrx, type DocumentRef, MEMBERSHIP_CHANGED, publishQuietly, type RequestMeta, requireActor, type WorkspaceDeps } from './deps.ts';
import {
  countSpaceDocuments,
  deleteSpaceRow,
  findSpacesWithNoKeyNorTombstone,
  findSpacesWithoutKeys,
  listDocumentsWithContent,
  listMarkedSpaces,
  markSpaceDeleted,
  purgeBatch,
  removeSpaceFromControlPlane,
  spaceDeletionState,
  spacePurgePlan,
} from './delete-space.repo.ts';
import { loadSpaceAsOwner } from './spaces.ts';

/**
 * Deleting a space, for good, with crypto-shredding (docs/security.md, "Crypto-shredding").
 *
 * Owners only, with the space's name typed back. In this order (DESIGN.md: the cell first, then
 * the control plane; the outbox repairs an operation a crash cut in two):
 *  1. in the space's cell, one transaction: the space is marked deleted (from then on no space or
 *     document read finds it), the event is audited, an outbox entry records what is left to do;
 *  2. the space's data keys are destroyed in the cell's keyring (a tombstone stays): whatever of
 *     the space remains anywhere — rows not purged yet, objects, an old backup, a disk snapshot —
 *     can no longer be decrypted;
 *  3. live collaboration connections on its documents are closed (the membership event makes every
 *     node re-check them, and a deleted space's documents are no longer accessible);
 *  4. the outbox entry's handler: the control plane forgets the space (directory, members,
 *     invitation index…), audits it there, and enqueues the purge job;
 *  5. the purge job deletes the space's rows in the cell and every object under `spaces/<id>/`, in
 *     small batches, resumable (a job retried, and a sweep that re-enqueues unfinished purges);
 *     the space's row goes last.
 */
export const SPACE_DELETED_OUTBOX = 'workspace.space_deleted';
export const SPACE_PURGE_JOB = 'workspace.space.purge';
export const SPACE_PURGE_SWEEP_JOB = 'workspace.space.purge_sweep';
/** Published when a space's keys are destroyed: every node drops its cached copies of them. */
export const SPACE_KEYS_DESTROYED = 'workspace.space.keys_destroyed';

const SWEEP_EVERY_MS = 10 * 60_000;
const ROWS_PER_BATCH = 500;
const OBJECTS_PER_BATCH = 100;

export interface SpaceDeletionDeps extends WorkspaceDeps {
  cells: Cells;
}

export const spaceOwner = (spaceId: string) => ({ type: 'space', id: spaceId });

/** The name as typed back: surrounding spaces and Unicode composition do not matter, case does. */
export function sameName(typed: string, name: string): boolean {
  return typed.normalize('NFC').trim() === name.normalize('NFC').trim();
}

export async function deleteSpace(
  deps: SpaceDeletionDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  input: { confirmName: string },
  meta: RequestMeta,
  options: { crashAfterCellWrite?: boolean } = {},
): Promise<void> {
  const actor = requireActor(actorOrNull);
  // Irreversible (the keys are destroyed): made by the owner at a screen, never by a personal
  // access token, so that a leaked `api:write` token cannot wipe out a space.
  requireSession(actor);
  const { access, space } = await loadSpaceAsOwner(deps.stores, actor, spaceId);
  if (!sameName(input.confirmName, space.name)) throw new AppError('space_name_mismatch', { status: 400 });
  if (!(await shredSpace(deps, access.jurisdiction, spaceId, { actorId: actor.principalId, ip: meta.ip, requestId: meta.requestId }, options))) throw notFound();
}

// ── organisation deletion (helper O): the steps after the owner's checks, shared with deleting an organisation ──
/** What shredding a space needs (the command line builds these without an HTTP server). */
export type ShredDeps = Pick<SpaceDeletionDeps, 'stores' | 'cells' | 'audit' | 'events' | 'logger' | 'outbox'>;

/**
 * Steps 1 to 4 for a space whose deletion is decided (by its owner, or by an operator deleting the
 * organisation that holds it). False when the space is not live (already marked, or absent).
 */
export async function shredSpace(
  deps: ShredDeps,
  jurisdiction: Jurisdiction,
  spaceId: string,
  by: { actorId: string | null; ip: string | null; requestId: string; reason?: string },
  options: { crashAfterCellWrite?: boolean } = {},
): Promise<boolean> {
  const cell = deps.cells.get(jurisdiction);
  const entry = await cell.db.transaction().execute(async (trx) => {
    const documents = await countSpaceDocuments(trx, spaceId);
    // Two owners deleting at once: the second finds it gone.
    if (!(await markSpaceDeleted(trx, spaceId, by.actorId))) return null;
    await deps.audit.record(
      {
        action: 'workspace.space.deleted',
        outcome: 'success',
        actorId: by.actorId,
        jurisdiction,
        resource: { type: 'space', id: spaceId },
        ip: by.ip,
        requestId: by.requestId,
        details: by.reason ? { documents, reason: by.reason } : { documents },
      },
      trx as unknown as AuditTrx,
    );
    return recordInOutbox(trx, SPACE_DELETED_OUTBOX, { spaceId, actorId: by.actorId, requestId: by.requestId });
  });
  if (!entry) return false;
  // Tests use this to stand for a process that died between the cell write and the rest.
  if (options.crashAfterCellWrite) throw new Error('simulated crash after the cell write');
  await destroySpaceKeys(deps, cell, spaceId);
  await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId });
  await deps.outbox.apply(cell.db, jurisdiction, entry);
  return true;
}

/**
 * Step 4, the outbox handler's work (idempotent): keys destroyed if not yet, the control plane
 * forgets the space (audited there the first time), the purge job is enqueued.
 */
export async function finishSpaceDeletion(
  deps: Omit<ShredDeps, 'outbox'>,
  jurisdiction: Jurisdiction,
  p: { spaceId: string; actorId?: string | null; requestId?: string | null },
): Promise<void> {
  const cell = deps.cells.get(jurisdiction);
  // Repairs a crash between the mark and the keys (nothing happens the second time).
  await destroySpaceKeys(deps, cell, p.spaceId);
  await deps.stores.control.db.transaction().execute(async (trx) => {
    const removed = await removeSpaceFromControlPlane(trx, p.spaceId);
    if (removed) {
      await deps.audit.record(
        {
          action: 'workspace.space.deleted',
          outcome: 'success',
          actorId: p.actorId ?? null,
          resource: { type: 'space', id: p.spaceId },
          requestId: p.requestId ?? null,
          details: { jurisdiction },
        },
        trx as unknown as AuditTrx,
      );
    }
    await enqueue(trx, { type: SPACE_PURGE_JOB, payload: { spaceId: p.spaceId, jurisdiction }, idempotencyKey: `${SPACE_PURGE_JOB}:${p.spaceId}`, maxAttempts: 10 });
  });
  await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId: p.spaceId });
}

/** Registers step 4 on an outbox registry (the server's, or a command's own). */
export function registerSpaceDeletedOutbox(deps: Omit<ShredDeps, 'outbox'>, outbox: OutboxRegistry): void {
  outbox.register(SPACE_DELETED_OUTBOX, async ({ payload, jurisdiction }) => {
    await finishSpaceDeletion(deps, jurisdiction, payload as { spaceId: string; actorId?: string; requestId?: string });
  });
}
// ── end organisation deletion ──

/** Step 2 (idempotent): the keys go, and every node is told to forget its cached copies. */
async function destroySpaceKeys(deps: Pick<SpaceDeletionDeps, 'events' | 'logger'>, cell: Cell, spaceId: string): Promise<void> {
  await cell.keyring.destroyOwnerKeys(cell.db, spaceOwner(spaceId));
  await publishQuietly(deps, SPACE_KEYS_DESTROYED, { spaceId, jurisdiction: cell.jurisdiction });
}

/**
 * Wires deletion into the process: the outbox handler (control plane, purge job), the purge job,
 * the sweep that finishes interrupted purges, and the event that empties key caches on every node.
 */
export function registerSpaceDeletion(deps: SpaceDeletionDeps & { jobs: JobRunner; outbox: OutboxRegistry }): () => void {
  registerSpaceDeletedOutbox(deps, deps.outbox); // organisation deletion (helper O): the handler's body is finishSpaceDeletion

  deps.jobs.register(SPACE_PURGE_JOB, async ({ payload, signal }) => {
    const p = payload as { spaceId?: unknown; jurisdiction?: unknown };
    if (typeof p.spaceId !== 'string' || !JURISDICTIONS.includes(p.jurisdiction as Jurisdiction)) return;
    await purgeDeletedSpace(deps, deps.cells.get(p.jurisdiction as Jurisdiction), p.spaceId, { signal });
  });

  // A purge whose job failed for good, or was never enqueued, is taken up again.
  deps.jobs.register(SPACE_PURGE_SWEEP_JOB, async () => {
    const bucket = Math.floor(Date.now() / SWEEP_EVERY_MS);
    for (const cell of deps.cells.all()) {
      for (const spaceId of await listMarkedSpaces(cell.db)) {
        await enqueue(deps.stores.control.db, {
          type: SPACE_PURGE_JOB,
          payload: { spaceId, jurisdiction: cell.jurisdiction },
          idempotencyKey: `${SPACE_PURGE_JOB}:${spaceId}:${bucket}`,
          maxAttempts: 3,
        });
      }
    }
  });
  deps.jobs.every(SPACE_PURGE_SWEEP_JOB, SWEEP_EVERY_MS);

  return deps.events.subscribe(SPACE_KEYS_DESTROYED, async (payload) => {
    const p = payload as { spaceId?: unknown; jurisdiction?: unknown };
    if (typeof p?.spaceId !== 'string' || !JURISDICTIONS.includes(p.jurisdiction as Jurisdiction)) return;
    deps.cells.get(p.jurisdiction as Jurisdiction).keyring.forget(spaceOwner(p.spaceId));
  });
}

export interface PurgeReport {
  rows: number;
  objects: number;
  /** False when the space was live: a purge never touches a space that is not marked deleted. */
  purged: boolean;
}

/**
 * Step 5: every row of a space marked deleted, then every object under `spaces/<id>/`, then the
 * space's row — in batches, so it can stop anywhere (`signal`) and be run again to finish. Its
 * keys are destroyed first if they are not yet. Also used by `entente restore` for spaces deleted
 * after the backup was taken.
 */
export async function purgeDeletedSpace(
  deps: { audit: WorkspaceDeps['audit'] },
  cell: Cell,
  spaceId: string,
  options: { signal?: AbortSignal; rowsPerBatch?: number; objectsPerBatch?: number } = {},
): Promise<PurgeReport> {
  const state = await spaceDeletionState(cell.db, spaceId);
  if (state === 'live') return { rows: 0, objects: 0, purged: false };
  await cell.keyring.destroyOwnerKeys(cell.db, spaceOwner(spaceId));
  const report: PurgeReport = { rows: 0, objects: 0, purged: true };
  const stop = () => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('purge interrupted');
  };
  for (const step of await spacePurgePlan(cell.db)) {
    for (;;) {
      stop();
      const deleted = await purgeBatch(cell.db, step, spaceId, options.rowsPerBatch ?? ROWS_PER_BATCH);
      report.rows += deleted;
      if (deleted === 0) break;
    }
  }
  const prefix = `spaces/${spaceId}/`;
  for (;;) {
    stop();
    const batch: string[] = [];
    for await (const object of cell.objects.list(prefix)) {
      batch.push(object.key);
      if (batch.length >= (options.objectsPerBatch ?? OBJECTS_PER_BATCH)) break;
    }
    if (batch.length === 0) break;
    for (const key of batch) await cell.objects.delete(key);
    report.objects += batch.length;
  }
  if (state === 'deleted' && (await deleteSpaceRow(cell.db, spaceId))) {
    report.rows += 1;
    await deps.audit.record({
      action: 'workspace.space.purged',
      outcome: 'success',
      jurisdiction: cell.jurisdiction,
      resource: { type: 'space', id: spaceId },
      details: { rows: report.rows, objects: report.objects },
    });
  }
  return report;
}

export interface ShreddedSpace {
  spaceId: string;
  jurisdiction: Jurisdiction;
  /**
   * `tombstone`: deleted after the backup was taken; `no_key`: its content can no longer be
   * decrypted; `marked`: it was being deleted when the backup was taken.
   */
  reason: 'tombstone' | 'no_key' | 'marked';
  rows: number;
  objects: number;
}

/**
 * After `entente restore`: a space whose data keys are gone was deleted after the backup was taken
 * (or its content is undecryptable): it is marked, removed from the control plane and purged, so
 * that a restore never brings back what crypto-shredding destroyed — not even its names and
 * derived text. Every other space is left as restored.
 */
export async function purgeSpacesWithoutKeys(deps: { stores: WorkspaceDeps['stores']; cells: Cells; audit: WorkspaceDeps['audit'] }): Promise<ShreddedSpace[]> {
  const done: ShreddedSpace[] = [];
  for (const cell of deps.cells.all()) {
    const found = new Map<string, ShreddedSpace['reason']>((await findSpacesWithoutKeys(cell.db)).map((s) => [s.id, s.reason]));
    for (const id of await listMarkedSpaces(cell.db)) found.set(id, 'marked');
    // No key, no tombstone, no encrypted row: still unreadable if it has objects (files).
    for (const id of await findSpacesWithNoKeyNorTombstone(cell.db)) {
      if (found.has(id)) continue;
      for await (const _ of cell.objects.list(`spaces/${id}/`)) {
        found.set(id, 'no_key');
        break;
      }
    }
    for (const [spaceId, reason] of found) {
      await markSpaceDeleted(cell.db, spaceId, null);
      await deps.stores.control.db.transaction().execute((trx) => removeSpaceFromControlPlane(trx, spaceId));
      const report = await purgeDeletedSpace(deps, cell, spaceId);
      done.push({ spaceId, jurisdiction: cell.jurisdiction, reason, rows: report.rows, objects: report.objects });
    }
  }
  return done;
}

/**
 * After `entente restore`: every document's content is replaced by itself under a new epoch
 * (workspace.tables.ts: the epoch changes when content is replaced wholesale). A browser that kept
 * a local copy of a state the restore rolled back then keeps it as a draft instead of merging it
 * back silently into the restored document. Returns how many documents were renewed, and those
 * that could not be (logged by the caller; their content stays as restored).
 */
export async function renewEpochsAfterRestore(
  cells: Cells,
  content: { load(ref: DocumentRef): Promise<{ state: Uint8Array }>; replace(ref: DocumentRef, state: Uint8Array): Promise<number> },
): Promise<{ renewed: number; failed: string[] }> {
  let renewed = 0;
  const failed: string[] = [];
  for (const cell of cells.all()) {
    let after: string | null = null;
    for (;;) {
      const page = await listDocumentsWithContent(cell.db, after, 200);
      for (const doc of page) {
        const ref: DocumentRef = { documentId: doc.id, spaceId: doc.space_id, jurisdiction: cell.jurisdiction };
        try {
          await content.replace(ref, (await content.load(ref)).state);
          renewed += 1;
        } catch {
          failed.push(doc.id);
        }
      }
      if (page.length < 200) break;
      after = page[page.length - 1]?.id ?? null;
    }
  }
  return { renewed, failed };
}
