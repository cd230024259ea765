import { createHash } from 'node:crypto';
import type { RawBuilder } from 'kysely';
import type { AnyDb } from '../../../platform/db/types.ts';
import {
  deleteRowsByKeys,
  listDocumentIds,
  listScopedKeys,
  type RowValues,
  readDocumentContent,
  replaceDocumentContent,
  scopeCondition,
  selectRowsByKeys,
  type TableInfo,
  upsertRows,
} from './move.repo.ts';
import { OTHER_CELL_TABLES, SPACE_COLUMNS, SPACE_TABLES, type SpaceScope, type SpaceTable } from './space-tables.ts';

/**
 * The rows of a space, table by table, between two cells' databases: compare, copy what differs,
 * remove what the source does not have, and a digest of the source's rows (to notice, after the
 * switch, that something was still written to the old cell). Used by move-space.ts.
 */

/** Rows per statement; tables with bytea columns (sealed content, versions) go by smaller batches. */
export interface BatchSizes {
  rows: number;
  bytes: number;
}

export interface CellSide {
  db: AnyDb;
  catalogue: Map<string, TableInfo>;
}

export interface TableSync {
  /** Rows (or documents, for content) of the space in the source. */
  rows: number;
  /** Missing or different in the destination (copied in `copy` mode). */
  changed: number;
  /** In the destination but not in the source (see deleteExtras). */
  extras: number;
  /** Order-independent digest of the source's rows. */
  digest: string;
}

/** Problems that make the list in space-tables.ts unusable for these tables (empty: fine). */
export function spaceTableProblems(catalogue: Map<string, TableInfo>): string[] {
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const entry of SPACE_TABLES) {
    if (listed.has(entry.table)) problems.push(`${entry.table}: listed twice`);
    listed.add(entry.table);
    if (OTHER_CELL_TABLES[entry.table] !== undefined) problems.push(`${entry.table}: both moved and left in place`);
    const table = catalogue.get(entry.table);
    if (!table) {
      problems.push(`${entry.table}: listed in space-tables.ts but not in the cell's database`);
      continue;
    }
    if (entry.how !== 'rows') continue;
    if (table.primaryKey.length === 0) problems.push(`${entry.table}: no primary key, rows cannot be copied one for one`);
    const generated = table.columns.filter((c) => c.generated === 'identity' || c.generated === 'serial');
    // A sequence's values are the cell's own: copied as they are they would collide with the
    // other cell's rows. Such a table needs its own strategy (as document_updates has).
    if (generated.length > 0) problems.push(`${entry.table}: ${generated.map((c) => c.name).join(', ')} numbered by the cell's sequence`);
    const scope = entry.scope;
    if ('column' in scope && !table.columns.some((c) => c.name === scope.column)) problems.push(`${entry.table}: no column ${scope.column}`);
  }
  for (const name of Object.keys(OTHER_CELL_TABLES)) if (!catalogue.has(name)) problems.push(`${name}: classified in space-tables.ts but not in the cell's database`);
  return problems;
}

/**
 * Cell tables that may hold a space's data but are classified in neither list of space-tables.ts:
 * a `space_id` or `document_id` column, or a foreign key to a table the move carries.
 */
export function unclassifiedTables(catalogue: Map<string, TableInfo>): string[] {
  const moved = new Set(SPACE_TABLES.map((t) => t.table));
  const out: string[] = [];
  for (const table of catalogue.values()) {
    if (moved.has(table.name) || OTHER_CELL_TABLES[table.name] !== undefined) continue;
    const column = table.columns.some((c) => (SPACE_COLUMNS as readonly string[]).includes(c.name));
    const reference = table.foreignKeys.some((fk) => moved.has(fk.references));
    if (column || reference) out.push(table.name);
  }
  return out.sort();
}

/** Tables the move carries whose columns differ between the two cells (one of them not migrated). */
export function schemaDifferences(from: Map<string, TableInfo>, to: Map<string, TableInfo>): string[] {
  const out: string[] = [];
  for (const entry of SPACE_TABLES) {
    const a = from.get(entry.table);
    const b = to.get(entry.table);
    const shape = (t: TableInfo | undefined) => (t ? t.columns.map((c) => `${c.name} ${c.type}`).join(', ') : '(missing)');
    if (shape(a) !== shape(b)) out.push(entry.table);
  }
  return out;
}

const scopes = new Map<string, SpaceScope>(SPACE_TABLES.flatMap((t) => ('scope' in t ? [[t.table, t.scope] as const] : [])));

export function conditionFor(entry: SpaceTable, spaceId: string, catalogue: Map<string, TableInfo>): RawBuilder<boolean> {
  if (!('scope' in entry)) throw new Error(`${entry.table} has no row scope`);
  return scopeCondition(entry.scope, spaceId, catalogue, scopes);
}

/** The column of a table that points at its own parent row (a tree: documents, folders). */
function treeColumn(table: TableInfo): string | null {
  const fk = table.foreignKeys.find((f) => f.references === table.name && f.columns.length === 1);
  return fk ? (fk.columns[0] as string) : null;
}

/** Parents before children (roots first, then by depth), ties in key order: a stable order. */
function parentsFirst(keys: { key: string[]; parent: string | null }[]): { key: string[]; parent: string | null }[] {
  const byId = new Map(keys.map((k) => [k.key[0] as string, k]));
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: number): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const parent = byId.get(id)?.parent ?? null;
    // A parent outside the space (should not exist) or a cycle (impossible) counts as a root.
    const d = parent && byId.has(parent) && seen < 10_000 ? depthOf(parent, seen + 1) + 1 : 0;
    depth.set(id, d);
    return d;
  };
  for (const k of keys) depthOf(k.key[0] as string, 0);
  return [...keys].sort((a, b) => (depth.get(a.key[0] as string) ?? 0) - (depth.get(b.key[0] as string) ?? 0));
}

function sameRow(a: RowValues, b: RowValues | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null || y === null) {
      if (x !== y) return false;
    } else if (Buffer.isBuffer(x) || Buffer.isBuffer(y)) {
      if (!(Buffer.isBuffer(x) && Buffer.isBuffer(y) && x.equals(y))) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/** An order-independent digest of a multiset of rows: the count and the sum of their hashes (mod 2^128). */
export class RowDigest {
  #count = 0;
  #sum = 0n;
  add(row: RowValues): void {
    const hash = createHash('sha256');
    for (const value of row) {
      if (value === null) hash.update('N;');
      else if (Buffer.isBuffer(value)) hash.update(`B${value.length};`).update(value);
      else hash.update(`S${Buffer.byteLength(value)};`).update(value);
    }
    this.#sum = (this.#sum + BigInt(`0x${hash.digest('hex').slice(0, 32)}`)) & ((1n << 128n) - 1n);
    this.#count += 1;
  }
  toString(): string {
    return `${this.#count}:${this.#sum.toString(16)}`;
  }
}

export function batchFor(table: TableInfo, sizes: BatchSizes): number {
  return table.columns.some((c) => c.bytea) ? sizes.bytes : sizes.rows;
}

/**
 * Compares a table's rows of the space in both cells and, in `copy` mode, writes those missing or
 * different in the destination (parents first in a tree). Never deletes (see deleteExtras).
 */
export async function syncTable(
  entry: SpaceTable,
  spaceId: string,
  from: CellSide,
  to: CellSide,
  options: { mode: 'copy' | 'check'; sizes: BatchSizes; afterBatch?: () => Promise<void> },
): Promise<TableSync> {
  const table = from.catalogue.get(entry.table) as TableInfo;
  const tree = treeColumn(table);
  let keys = await listScopedKeys(from.db, table, conditionFor(entry, spaceId, from.catalogue), tree);
  if (tree) keys = parentsFirst(keys);
  const digest = new RowDigest();
  const batch = batchFor(table, options.sizes);
  let changed = 0;
  for (let start = 0; start < keys.length; start += batch) {
    const slice = keys.slice(start, start + batch).map((k) => k.key);
    const source = await selectRowsByKeys(from.db, table, slice);
    const target = await selectRowsByKeys(to.db, table, slice);
    const differing: RowValues[] = [];
    for (const key of slice) {
      const joined = key.join('\0');
      const row = source.get(joined);
      if (!row) continue; // deleted since the keys were listed
      digest.add(row);
      if (!sameRow(row, target.get(joined))) differing.push(row);
    }
    changed += differing.length;
    if (options.mode === 'copy' && differing.length > 0) await upsertRows(to.db, table, differing);
    await options.afterBatch?.();
  }
  const extras = await extraKeys(entry, spaceId, from, to, new Set(keys.map((k) => k.key.join('\0'))));
  return { rows: keys.length, changed, extras: extras.length, digest: digest.toString() };
}

async function extraKeys(entry: SpaceTable, spaceId: string, from: CellSide, to: CellSide, sourceKeys?: Set<string>): Promise<string[][]> {
  const table = to.catalogue.get(entry.table) as TableInfo;
  const inTarget = await listScopedKeys(to.db, table, conditionFor(entry, spaceId, to.catalogue), null);
  if (inTarget.length === 0) return [];
  const known =
    sourceKeys ??
    new Set((await listScopedKeys(from.db, from.catalogue.get(entry.table) as TableInfo, conditionFor(entry, spaceId, from.catalogue), null)).map((k) => k.key.join('\0')));
  return inTarget.filter((k) => !known.has(k.key.join('\0'))).map((k) => k.key);
}

/** Deletes from the destination the table's rows of the space that the source does not have. */
export async function deleteExtras(entry: SpaceTable, spaceId: string, from: CellSide, to: CellSide, sizes: BatchSizes): Promise<number> {
  const extras = await extraKeys(entry, spaceId, from, to);
  const table = to.catalogue.get(entry.table) as TableInfo;
  let deleted = 0;
  for (let start = 0; start < extras.length; start += sizes.rows) deleted += await deleteRowsByKeys(to.db, table, extras.slice(start, start + sizes.rows));
  return deleted;
}

/** The digest of a table's rows of the space in one cell (the source, after the switch). */
export async function digestTable(entry: SpaceTable, spaceId: string, side: CellSide, sizes: BatchSizes): Promise<string> {
  const table = side.catalogue.get(entry.table) as TableInfo;
  const keys = await listScopedKeys(side.db, table, conditionFor(entry, spaceId, side.catalogue), null);
  const digest = new RowDigest();
  const batch = batchFor(table, sizes);
  for (let start = 0; start < keys.length; start += batch) {
    const rows = await selectRowsByKeys(
      side.db,
      table,
      keys.slice(start, start + batch).map((k) => k.key),
    );
    for (const row of rows.values()) digest.add(row);
  }
  return digest.toString();
}

// ── document content ─────────────────────────────────────────────────────────────────────────
export const SNAPSHOTS = 'document_snapshots';
export const UPDATES = 'document_updates';

interface ContentShape {
  snapshots: TableInfo;
  updates: TableInfo;
  uptoIndex: number;
  snapshotEpochIndex: number;
  idIndex: number;
  updateEpochIndex: number;
}

function contentShape(catalogue: Map<string, TableInfo>): ContentShape {
  const snapshots = catalogue.get(SNAPSHOTS) as TableInfo;
  const updates = catalogue.get(UPDATES) as TableInfo;
  const index = (t: TableInfo, name: string) => {
    const i = t.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`${t.name} has no column ${name}`);
    return i;
  };
  return {
    snapshots,
    updates,
    uptoIndex: index(snapshots, 'upto_update_id'),
    snapshotEpochIndex: index(snapshots, 'epoch'),
    idIndex: index(updates, 'id'),
    updateEpochIndex: index(updates, 'epoch'),
  };
}

/**
 * A document's content in a comparable form: the snapshot with `upto_update_id` at 0, and the log
 * entries the snapshot has not absorbed, in order, with their id blanked (each cell numbers its own).
 */
function comparable(shape: ContentShape, rows: { snapshot: RowValues | null; updates: RowValues[] }): { snapshot: RowValues | null; updates: RowValues[] } {
  const snapshot = rows.snapshot ? [...rows.snapshot] : null;
  const upto = snapshot ? Number(snapshot[shape.uptoIndex]) : 0;
  const epoch = snapshot ? snapshot[shape.snapshotEpochIndex] : null;
  if (snapshot) snapshot[shape.uptoIndex] = '0';
  const updates = rows.updates
    .filter((u) => !(snapshot && u[shape.updateEpochIndex] === epoch && Number(u[shape.idIndex]) <= upto))
    .map((u) => {
      const copy = [...u];
      copy[shape.idIndex] = null;
      return copy;
    });
  return { snapshot, updates };
}

/** Compares (and in `copy` mode replaces, per document, in one transaction) the content of every document of the space. */
export async function syncContent(
  spaceId: string,
  from: CellSide,
  to: CellSide,
  options: { mode: 'copy' | 'check'; sizes: BatchSizes; afterBatch?: () => Promise<void> },
): Promise<TableSync> {
  const shape = contentShape(from.catalogue);
  const target = contentShape(to.catalogue);
  const documents = await listDocumentIds(from.db, spaceId);
  const digest = new RowDigest();
  let changed = 0;
  for (const documentId of documents) {
    const source = comparable(shape, await readDocumentContent(from.db, shape.snapshots, shape.updates, documentId));
    const current = comparable(target, await readDocumentContent(to.db, target.snapshots, target.updates, documentId));
    if (source.snapshot) digest.add(source.snapshot);
    for (const u of source.updates) digest.add(u);
    const same =
      (source.snapshot === null ? current.snapshot === null : sameRow(source.snapshot, current.snapshot ?? undefined)) &&
      source.updates.length === current.updates.length &&
      source.updates.every((u, i) => sameRow(u, current.updates[i]));
    if (same) continue;
    changed += 1;
    if (options.mode === 'copy') await replaceDocumentContent(to.db, target.snapshots, target.updates, documentId, source, options.sizes.bytes);
    await options.afterBatch?.();
  }
  return { rows: documents.length, changed, extras: 0, digest: digest.toString() };
}

/** The digest of the space's document content in one cell. */
export async function digestContent(spaceId: string, side: CellSide): Promise<string> {
  const shape = contentShape(side.catalogue);
  const digest = new RowDigest();
  for (const documentId of await listDocumentIds(side.db, spaceId)) {
    const content = comparable(shape, await readDocumentContent(side.db, shape.snapshots, shape.updates, documentId));
    if (content.snapshot) digest.add(content.snapshot);
    for (const u of content.updates) digest.add(u);
  }
  return digest.toString();
}
