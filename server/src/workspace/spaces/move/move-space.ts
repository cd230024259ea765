import { JURISDICTIONS, type Jurisdiction } from '../../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../../platform/audit/audit-log.ts';
import type { Cell, Cells } from '../../../platform/cells/cells.ts';
import { wrapAad } from '../../../platform/crypto/keyring.ts';
import type { Stores } from '../../../platform/db/stores.ts';
import type { AnyDb } from '../../../platform/db/types.ts';
import { AppError } from '../../../platform/errors.ts';
import type { EventBus } from '../../../platform/events/index.ts';
import { isUuid, uuidv7 } from '../../../platform/ids.ts';
import type { Logger } from '../../../platform/logger.ts';
import { MEMBERSHIP_CHANGED } from '../deps.ts';
import { findSpace } from '../spaces.repo.ts';
import { copyObject, listingDifferences, listObjects } from './move-objects.ts';
import {
  type BatchSizes,
  type CellSide,
  conditionFor,
  deleteExtras,
  digestContent,
  digestTable,
  schemaDifferences,
  spaceTableProblems,
  syncContent,
  syncTable,
  type TableSync,
  unclassifiedTables,
} from './move-rows.ts';
import {
  claimMove,
  countScoped,
  deleteOwnerKeys,
  deleteScopedBatch,
  findActiveMove,
  findDirectoryJurisdiction,
  findMove,
  insertMove,
  listMoves,
  listOwnerKeys,
  readCatalogue,
  renewClaim,
  type SpaceMoveRow,
  saveMove,
  switchDirectory,
  type TableInfo,
  upsertOwnerKey,
} from './move.repo.ts';
import { MOVE_PHASES, type MovePhase } from './move.tables.ts';
import { SPACE_TABLES, type SpaceTable, spaceKeyOwner, spaceObjectPrefix } from './space-tables.ts';

/**
 * Moving a space to the other jurisdiction's cell (`entente spaces move`): an explicit operator
 * action, audited, resumable, that leaves nothing of the space in the old cell.
 *
 * Phases, each idempotent (a run that stops anywhere resumes with `--resume` and finishes):
 *  1. lock    — the space is read-only from the moment its `space_moves` row exists (access.ts):
 *               edits are refused with `space_moving`, live editors are told (membership event)
 *               and continue read-only;
 *  2. keys    — every version of the space's data key is unwrapped with the old cell's KEK and
 *               wrapped with the new cell's: the same key bytes, so sealed rows and objects are
 *               copied as ciphertext, byte for byte (their AADs bind owner, document, epoch and
 *               object key — never the cell); each wrapped key is checked by unwrapping it back;
 *  3. rows    — every table of space-tables.ts, in batches, compared and copied (rows the new
 *               cell has and the old one not are removed first: an earlier attempt's);
 *  4. objects — everything under `spaces/<id>/`, each copy read back and hashed;
 *  5. switch  — verified first (rows compared again, listings compared), then the directory entry
 *               points to the new cell: the one atomic switch. Until then the space is read from
 *               the old cell, from then on from the new one;
 *  6. clean   — anything the old cell still received after the verification is carried over, then
 *               the space's rows, objects and data keys are deleted from the old cell;
 *  7. unlock  — recorded (`workspace.space.moved` in both cells and the control plane), then the
 *               move row is marked done, which lifts the read-only lock.
 *
 * The lock is enforced by the API and the collaboration server; the verification before the
 * switch and the comparison before the clean make the result exact even if a write slipped
 * through anyway (a request already past its check when the lock was taken).
 */

export interface MoveDeps {
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  logger: Logger;
  /** Tells running servers (through Redis when there are several) to re-check live connections. */
  events?: EventBus | null;
  /** Rows per statement (default 500; 50 for tables holding sealed bytes). */
  batchSizes?: Partial<BatchSizes>;
  /** How long a run holds the move without renewing (a crashed run's claim expires; default 2 minutes). */
  claimMs?: number;
  /** Tests: called at each phase boundary and after each batch; throwing there stands for a crash. */
  inject?: (point: MovePoint) => void | Promise<void>;
  /** Called when a phase is done (the CLI prints it). */
  onPhase?: (phase: MovePhase, move: SpaceMoveView) => void;
}

export type MovePoint = `${'before' | 'during' | 'after'}:${MovePhase}`;

export interface MoveCounters {
  keys: number;
  rows: Record<string, number>;
  objects: number;
  bytes: number;
  deleted: { rows: number; objects: number; keys: number };
}

export interface SpaceMoveView {
  id: string;
  spaceId: string;
  from: Jurisdiction;
  to: Jurisdiction;
  phase: MovePhase | 'done';
  counters: MoveCounters;
  startedBy: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  switchedAt: string | null;
  finishedAt: string | null;
}

interface MoveProgress {
  /** Tables whose rows are copied (rows phase), or carried over again (clean phase). */
  rows?: string[];
  cleaned?: string[];
  /** Objects are copied in key order: the last one copied and verified. */
  objectsAfter?: string | null;
  /** Digests of the old cell's rows at the switch, per table, and of its object listing. */
  digests?: Record<string, string>;
  /** Late writes to the old cell carried over (clean phase, before anything is deleted there). */
  carried?: boolean;
  audited?: string[];
}

const MAX_VERIFY_ROUNDS = 3;

const spaceNotFound = (spaceId: string) => new AppError('space_not_found', { status: 404, params: { spaceId: spaceId.slice(0, 64) } });

export function moveView(row: SpaceMoveRow): SpaceMoveView {
  return {
    id: row.id,
    spaceId: row.space_id,
    from: row.from_jurisdiction,
    to: row.to_jurisdiction,
    phase: row.phase,
    counters: countersOf(row.counters),
    startedBy: row.started_by,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    switchedAt: row.switched_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function countersOf(raw: Record<string, unknown>): MoveCounters {
  const c = raw as Partial<MoveCounters>;
  return {
    keys: Number(c.keys ?? 0),
    rows: { ...(c.rows ?? {}) },
    objects: Number(c.objects ?? 0),
    bytes: Number(c.bytes ?? 0),
    deleted: { rows: Number(c.deleted?.rows ?? 0), objects: Number(c.deleted?.objects ?? 0), keys: Number(c.deleted?.keys ?? 0) },
  };
}

/** The move's catalogue checks: the list in space-tables.ts covers both cells, which have the same tables. */
async function checkTables(stores: Stores, from: Jurisdiction, to: Jurisdiction): Promise<{ from: Map<string, TableInfo>; to: Map<string, TableInfo> }> {
  const source = await readCatalogue(stores.cells[from].db, stores.cells[from].schema);
  const target = await readCatalogue(stores.cells[to].db, stores.cells[to].schema);
  const unclassified = [...new Set([...unclassifiedTables(source), ...unclassifiedTables(target)])];
  if (unclassified.length > 0) {
    throw new AppError('space_move_unclassified_tables', { status: 409, params: { tables: unclassified.join(', ') } });
  }
  const problems = spaceTableProblems(source);
  if (problems.length > 0) throw new AppError('space_move_unclassified_tables', { status: 409, params: { tables: problems.join('; ') } });
  const differing = schemaDifferences(source, target);
  if (differing.length > 0) throw new AppError('space_move_schema_mismatch', { status: 409, params: { tables: differing.join(', ') } });
  return { from: source, to: target };
}

/** Takes the lock: validates, then inserts the move row (`lock` phase). Does not run it. */
export async function beginSpaceMove(deps: MoveDeps, input: { spaceId: string; to: string; startedBy: string }): Promise<SpaceMoveView> {
  const { spaceId } = input;
  if (!isUuid(spaceId)) throw spaceNotFound(spaceId);
  if (!(JURISDICTIONS as readonly string[]).includes(input.to)) {
    throw new AppError('space_move_bad_jurisdiction', { status: 400, params: { to: input.to.slice(0, 16) } });
  }
  const to = input.to as Jurisdiction;
  const control = deps.stores.control.db;
  const from = await findDirectoryJurisdiction(control, spaceId);
  if (!from) throw spaceNotFound(spaceId);
  const active = await findActiveMove(control, spaceId);
  if (active) throw new AppError('space_move_in_progress', { status: 409, params: { moveId: active.id }, extensions: { moveId: active.id } });
  if (from === to) throw new AppError('space_move_same_cell', { status: 409, params: { jurisdiction: to } });
  // A space being deleted (or a directory entry without its space) is not moved.
  if (!(await findSpace(deps.stores.cells[from].db, spaceId))) throw spaceNotFound(spaceId);
  await checkTables(deps.stores, from, to);
  const id = uuidv7();
  if (!(await insertMove(control, { id, space_id: spaceId, from_jurisdiction: from, to_jurisdiction: to, started_by: input.startedBy.slice(0, 200) }))) {
    const raced = await findActiveMove(control, spaceId);
    throw new AppError('space_move_in_progress', { status: 409, params: { moveId: raced?.id ?? '' }, extensions: { moveId: raced?.id ?? '' } });
  }
  await deps.audit.record({
    action: 'workspace.space.move_started',
    outcome: 'success',
    actorId: null,
    resource: { type: 'space', id: spaceId },
    details: { moveId: id, from, to, startedBy: input.startedBy.slice(0, 200) },
  });
  deps.logger.info({ moveId: id, spaceId, from, to }, 'space move started');
  return moveView((await findMove(control, id)) as SpaceMoveRow);
}

/** Starts a move and runs it to the end. */
export async function startSpaceMove(deps: MoveDeps, input: { spaceId: string; to: string; startedBy: string }): Promise<SpaceMoveView> {
  const begun = await beginSpaceMove(deps, input);
  return runSpaceMove(deps, begun.id);
}

export async function getSpaceMove(stores: Stores, moveId: string): Promise<SpaceMoveView> {
  const row = isUuid(moveId) ? await findMove(stores.control.db, moveId) : undefined;
  if (!row) throw new AppError('space_move_not_found', { status: 404, params: { moveId: moveId.slice(0, 64) } });
  return moveView(row);
}

export async function listSpaceMoves(stores: Stores, options: { spaceId?: string; limit?: number } = {}): Promise<SpaceMoveView[]> {
  if (options.spaceId !== undefined && !isUuid(options.spaceId)) return [];
  return (await listMoves(stores.control.db, { spaceId: options.spaceId, limit: options.limit ?? 50 })).map(moveView);
}

/**
 * Before a run: the tables are classified and alike in both cells, and the directory agrees with
 * the phase — the old cell until the switch, the new one after. A disagreement (someone edited
 * the directory by hand) stops the run: copying or cleaning the wrong way round would lose data.
 */
async function preflight(deps: MoveDeps, row: SpaceMoveRow): Promise<{ from: Map<string, TableInfo>; to: Map<string, TableInfo> }> {
  const catalogues = await checkTables(deps.stores, row.from_jurisdiction, row.to_jurisdiction);
  const directory = await findDirectoryJurisdiction(deps.stores.control.db, row.space_id);
  const switched = MOVE_PHASES.indexOf(row.phase as MovePhase) > MOVE_PHASES.indexOf('switch');
  const expected = switched ? row.to_jurisdiction : row.from_jurisdiction;
  // The directory and the phase change together (switchDirectory): they always agree.
  if (directory !== expected) {
    throw new AppError('space_move_directory_mismatch', { status: 409, params: { moveId: row.id, directory: directory ?? '(none)', expected } });
  }
  return catalogues;
}

interface Run {
  deps: MoveDeps;
  runner: string;
  move: SpaceMoveRow;
  spaceId: string;
  from: Cell;
  to: Cell;
  source: CellSide;
  target: CellSide;
  counters: MoveCounters;
  progress: MoveProgress;
  sizes: BatchSizes;
  save(patch?: { phase?: MovePhase | 'done'; finishedAt?: Date }): Promise<void>;
  /** Saves now and then during long work, so that the run keeps its claim. */
  heartbeat(): Promise<void>;
  inject(point: MovePoint): Promise<void>;
  /** The phase running (for `during:` injection points). */
  phase: MovePhase;
}

/**
 * Runs (or resumes) a move from the phase it is at, to the end. A move already done is returned
 * as it is. Refused while another run holds it (its claim, renewed as it goes, expires if it died).
 */
export async function runSpaceMove(deps: MoveDeps, moveId: string): Promise<SpaceMoveView> {
  const control = deps.stores.control.db;
  const seen = isUuid(moveId) ? await findMove(control, moveId) : undefined;
  if (!seen) throw new AppError('space_move_not_found', { status: 404, params: { moveId: moveId.slice(0, 64) } });
  if (seen.phase === 'done') return moveView(seen);
  const runner = uuidv7();
  const claimMs = deps.claimMs ?? 120_000;
  if (!(await claimMove(control, seen.id, runner, new Date(Date.now() + claimMs)))) {
    const now = (await findMove(control, seen.id)) as SpaceMoveRow;
    // Finished by another run meanwhile: nothing left to do.
    if (now.phase === 'done') return moveView(now);
    throw new AppError('space_move_busy', { status: 409, params: { moveId: seen.id, until: now.claimed_until?.toISOString() ?? '' } });
  }
  // Read again under the claim: the phase another run may have reached before it let go is the truth.
  const row = (await findMove(control, seen.id)) as SpaceMoveRow;
  const catalogues = await preflight(deps, row).catch(async (error: unknown) => {
    await saveMove(control, row.id, runner, { claimedUntil: null, error: describe(error) });
    throw error;
  });
  let lastSave = Date.now();
  const run: Run = {
    deps,
    runner,
    move: row,
    spaceId: row.space_id,
    from: deps.cells.get(row.from_jurisdiction),
    to: deps.cells.get(row.to_jurisdiction),
    source: { db: deps.stores.cells[row.from_jurisdiction].db as AnyDb, catalogue: catalogues.from },
    target: { db: deps.stores.cells[row.to_jurisdiction].db as AnyDb, catalogue: catalogues.to },
    counters: countersOf(row.counters),
    progress: { ...(row.progress as MoveProgress) },
    sizes: { rows: deps.batchSizes?.rows ?? 500, bytes: deps.batchSizes?.bytes ?? 50 },
    async save(patch = {}) {
      lastSave = Date.now();
      const saved = await saveMove(control, row.id, runner, {
        ...patch,
        counters: run.counters as unknown as Record<string, unknown>,
        progress: run.progress as Record<string, unknown>,
        claimedUntil: patch.phase === 'done' ? null : new Date(Date.now() + claimMs),
      });
      if (!saved) throw new AppError('space_move_busy', { status: 409, params: { moveId: row.id, until: '' } });
    },
    async heartbeat() {
      if (Date.now() - lastSave > claimMs / 4) await run.save();
    },
    async inject(point) {
      await deps.inject?.(point);
    },
    // Not done: the claim is only taken on an unfinished move.
    phase: row.phase as MovePhase,
  };

  let phase: MovePhase | 'done' = row.phase;
  // The claim is renewed in the background too: one step (a multi-gigabyte object) may outlast it.
  const keepAlive = setInterval(() => {
    void renewClaim(control, row.id, runner, new Date(Date.now() + claimMs)).catch(() => undefined);
  }, claimMs / 4);
  keepAlive.unref();
  try {
    while (phase !== 'done') {
      run.phase = phase;
      await run.inject(`before:${phase}`);
      await PHASES[phase](run);
      const next: MovePhase | 'done' = MOVE_PHASES[MOVE_PHASES.indexOf(phase) + 1] ?? 'done';
      // The switch saves its phase with the directory, in one transaction.
      if (phase !== 'switch') await run.save({ phase: next, ...(next === 'done' ? { finishedAt: new Date() } : {}) });
      const done = phase;
      phase = next;
      deps.logger.info({ moveId: row.id, spaceId: row.space_id, phase: done }, 'space move phase done');
      const current = await findMove(control, row.id);
      if (current) deps.onPhase?.(done, moveView(current));
      if (phase === 'done') await tell(run);
      else await run.inject(`after:${done}`);
    }
  } catch (error) {
    const message = describe(error);
    deps.logger.error({ err: error, moveId: row.id, spaceId: row.space_id, phase }, 'space move stopped');
    await saveMove(control, row.id, runner, { claimedUntil: null, error: message }).catch(() => undefined);
    await deps.audit
      .record({
        action: 'workspace.space.moved',
        outcome: 'failure',
        actorId: null,
        resource: { type: 'space', id: row.space_id },
        details: { moveId: row.id, from: row.from_jurisdiction, to: row.to_jurisdiction, phase: String(phase), error: message.slice(0, 200) },
      })
      .catch(() => undefined);
    throw error;
  } finally {
    clearInterval(keepAlive);
  }
  return moveView((await findMove(control, row.id)) as SpaceMoveRow);
}

function describe(error: unknown): string {
  if (error instanceof AppError) return `${error.slug} ${JSON.stringify(error.params)}`.slice(0, 2000);
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
}

async function tell(run: Run): Promise<void> {
  // Live connections of the space are re-checked at once: read-only (lock), on the new cell (switch), editable (unlock).
  try {
    await run.deps.events?.publish(MEMBERSHIP_CHANGED, { spaceId: run.spaceId });
  } catch (error) {
    run.deps.logger.warn({ err: error, spaceId: run.spaceId }, 'running servers could not be told about the space move');
  }
}

const PHASES: Record<MovePhase, (run: Run) => Promise<void>> = {
  async lock(run) {
    await tell(run);
  },

  async keys(run) {
    const owner = spaceKeyOwner(run.spaceId);
    let count = 0;
    for (const stored of await listOwnerKeys(run.from.db, owner)) {
      const key = await run.from.keyring.getDataKey(run.from.db, owner, stored.version);
      const wrapped = await run.to.keys.wrap(key.key, wrapAad(owner, stored.version));
      await upsertOwnerKey(run.to.db, { id: stored.id, owner, version: stored.version, kekId: wrapped.kekId, wrappedKey: wrapped.ciphertext, createdAt: stored.createdAt });
      // Proof before anything depends on it: the new cell unwraps the very same key.
      run.to.keyring.forget(owner);
      const back = await run.to.keyring.getDataKey(run.to.db, owner, stored.version);
      if (!back.key.equals(key.key)) throw new Error(`The data key version ${stored.version} does not unwrap to the same key in ${run.to.jurisdiction}`);
      count += 1;
      await run.inject('during:keys');
    }
    run.counters.keys = count;
  },

  async rows(run) {
    await copyRows(run);
  },

  async objects(run) {
    const prefix = spaceObjectPrefix(run.spaceId);
    const source = await listObjects(run.from.objects, prefix);
    const target = await listObjects(run.to.objects, prefix);
    // An earlier attempt's objects the source no longer has.
    for (const key of target.keys()) if (!source.has(key)) await run.to.objects.delete(key);
    let last = Date.now();
    for (const [key] of [...source].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (run.progress.objectsAfter && key <= run.progress.objectsAfter) continue;
      run.counters.bytes += await copyObject(run.from.objects, run.to.objects, key);
      run.counters.objects += 1;
      run.progress.objectsAfter = key;
      if (Date.now() - last > 1_000) {
        await run.save();
        last = Date.now();
      }
      await run.heartbeat();
      await run.inject('during:objects');
    }
  },

  async switch(run) {
    // Verified before the switch: the new cell holds exactly what the old one holds now.
    const digests = await verified(run);
    run.progress.digests = digests;
    await run.save();
    await run.inject('during:switch');
    await switchDirectory(
      run.deps.stores.control.db,
      { id: run.move.id, spaceId: run.spaceId, from: run.from.jurisdiction, to: run.to.jurisdiction },
      run.runner,
      new Date(Date.now() + (run.deps.claimMs ?? 120_000)),
    );
    await tell(run);
  },

  async clean(run) {
    // Only before the first deletion: once the old cell is half deleted, comparing it would be meaningless.
    if (!run.progress.carried) {
      await carryOverLateWrites(run);
      run.progress.carried = true;
      await run.save();
    }
    await run.inject('during:clean');
    // Rows, children first; a batch per statement, so that nothing holds the cell for long.
    const done = new Set(run.progress.cleaned ?? []);
    for (const entry of [...SPACE_TABLES].reverse()) {
      if (entry.how === 'keys' || done.has(entry.table)) continue;
      const condition = conditionFor(entry, run.spaceId, run.source.catalogue);
      const table = run.source.catalogue.get(entry.table) as TableInfo;
      for (;;) {
        const deleted = await deleteScopedBatch(run.source.db, table, condition, run.sizes.rows);
        run.counters.deleted.rows += deleted;
        if (deleted === 0) break;
        await run.heartbeat();
        await run.inject('during:clean');
      }
      done.add(entry.table);
      run.progress.cleaned = [...done];
      await run.save();
    }
    for (const key of (await listObjects(run.from.objects, spaceObjectPrefix(run.spaceId))).keys()) {
      await run.from.objects.delete(key);
      run.counters.deleted.objects += 1;
    }
    const owner = spaceKeyOwner(run.spaceId);
    run.counters.deleted.keys += await deleteOwnerKeys(run.from.db, owner);
    run.from.keyring.forget(owner);
  },

  async unlock(run) {
    const audited = new Set(run.progress.audited ?? []);
    const details = {
      moveId: run.move.id,
      from: run.from.jurisdiction,
      to: run.to.jurisdiction,
      startedBy: run.move.started_by,
      keys: run.counters.keys,
      rows: Object.values(run.counters.rows).reduce((a, b) => a + b, 0),
      objects: run.counters.objects,
      bytes: run.counters.bytes,
      deletedRows: run.counters.deleted.rows,
      deletedObjects: run.counters.deleted.objects,
    };
    for (const store of [run.from.jurisdiction, run.to.jurisdiction, 'control'] as const) {
      if (audited.has(store)) continue;
      await run.deps.audit.record({
        action: 'workspace.space.moved',
        outcome: 'success',
        actorId: null,
        jurisdiction: store === 'control' ? null : store,
        resource: { type: 'space', id: run.spaceId },
        details,
      });
      audited.add(store);
      run.progress.audited = [...audited];
      await run.save();
      await run.inject('during:unlock');
    }
    // The lock is lifted by the run loop marking the move done; live connections are told then.
  },
};

/** Copies every table's rows (skipping those already done by an earlier run), then removes the new cell's extras. */
async function copyRows(run: Run): Promise<void> {
  const done = new Set(run.progress.rows ?? []);
  // Rows the new cell has and the old one does not (an earlier attempt's), children first.
  for (const entry of [...SPACE_TABLES].reverse()) {
    if (entry.how === 'rows') await deleteExtras(entry, run.spaceId, run.source, run.target, run.sizes);
  }
  for (const entry of SPACE_TABLES) {
    if (entry.how === 'keys' || done.has(entry.table)) continue;
    const result = await syncOne(run, entry, 'copy');
    run.counters.rows[entry.table] = result.rows;
    for (const t of contentSiblings(entry)) done.add(t);
    run.progress.rows = [...done];
    await run.save();
  }
}

function contentSiblings(entry: SpaceTable): string[] {
  return entry.how === 'document-content' ? SPACE_TABLES.filter((t) => t.how === 'document-content').map((t) => t.table) : [entry.table];
}

function syncOne(run: Run, entry: SpaceTable, mode: 'copy' | 'check'): Promise<TableSync> {
  const options = {
    mode,
    sizes: run.sizes,
    afterBatch: async () => {
      await run.heartbeat();
      if (mode === 'copy') await run.inject(`during:${run.phase}`);
    },
  };
  return entry.how === 'document-content' ? syncContent(run.spaceId, run.source, run.target, options) : syncTable(entry, run.spaceId, run.source, run.target, options);
}

/**
 * Compares both cells (rows and object listings) and copies again what differs, until they are
 * equal; returns the old cell's digests at that point. Gives up (the run fails, resumable) if
 * the old cell keeps changing.
 */
async function verified(run: Run): Promise<Record<string, string>> {
  for (let round = 1; round <= MAX_VERIFY_ROUNDS; round += 1) {
    const digests: Record<string, string> = {};
    let differences = 0;
    const seen = new Set<string>();
    for (const entry of SPACE_TABLES) {
      if (entry.how === 'keys' || seen.has(entry.table)) continue;
      for (const t of contentSiblings(entry)) seen.add(t);
      const result = await syncOne(run, entry, 'check');
      digests[entry.table] = result.digest;
      differences += result.changed + result.extras;
    }
    const prefix = spaceObjectPrefix(run.spaceId);
    const source = await listObjects(run.from.objects, prefix);
    const listing = listingDifferences(source, await listObjects(run.to.objects, prefix));
    differences += listing.missing.length + listing.extra.length;
    const keys = await listOwnerKeys(run.from.db, spaceKeyOwner(run.spaceId));
    const copiedKeys = new Set((await listOwnerKeys(run.to.db, spaceKeyOwner(run.spaceId))).map((k) => k.version));
    const missingKeys = keys.filter((k) => !copiedKeys.has(k.version));
    differences += missingKeys.length;
    if (differences === 0) return digests;
    run.deps.logger.warn({ moveId: run.move.id, differences, round }, 'the old cell changed during the move: copying again');
    if (missingKeys.length > 0) await PHASES.keys(run);
    run.progress.rows = [];
    await copyRows(run);
    for (const key of listing.extra) await run.to.objects.delete(key);
    for (const key of listing.missing) {
      run.counters.bytes += await copyObject(run.from.objects, run.to.objects, key);
      run.counters.objects += 1;
    }
    await run.save();
  }
  throw new AppError('space_move_source_changing', { status: 409, params: { rounds: MAX_VERIFY_ROUNDS } });
}

/**
 * After the switch, before deleting: anything the old cell received after the verification (a
 * request that had passed its checks before the switch) is carried to the new cell — rows that
 * differ are written again (nothing is deleted from the new cell, which is now the space's),
 * objects missing there are copied.
 */
async function carryOverLateWrites(run: Run): Promise<void> {
  const digests = run.progress.digests ?? {};
  const seen = new Set<string>();
  for (const entry of SPACE_TABLES) {
    if (entry.how === 'keys' || seen.has(entry.table)) continue;
    for (const t of contentSiblings(entry)) seen.add(t);
    const now = entry.how === 'document-content' ? await digestContent(run.spaceId, run.source) : await digestTable(entry, run.spaceId, run.source, run.sizes);
    if (now === digests[entry.table]) continue;
    const count = entry.how === 'document-content' ? 0 : await countScoped(run.source.db, entry.table, conditionFor(entry, run.spaceId, run.source.catalogue));
    run.deps.logger.warn({ moveId: run.move.id, table: entry.table, rows: count }, 'late writes in the old cell: carried over');
    await syncOne(run, entry, 'copy');
  }
  const prefix = spaceObjectPrefix(run.spaceId);
  const listing = listingDifferences(await listObjects(run.from.objects, prefix), await listObjects(run.to.objects, prefix));
  for (const key of listing.missing) {
    run.counters.bytes += await copyObject(run.from.objects, run.to.objects, key);
    run.counters.objects += 1;
  }
  const keys = await listOwnerKeys(run.from.db, spaceKeyOwner(run.spaceId));
  const copied = new Set((await listOwnerKeys(run.to.db, spaceKeyOwner(run.spaceId))).map((k) => k.version));
  if (keys.some((k) => !copied.has(k.version))) await PHASES.keys(run);
}
