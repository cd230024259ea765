import { type Selectable, sql } from 'kysely';
import type { ControlDb } from '../../platform/db/types.ts';
import type { ItemCalibrationReport, SkillsItemsTable } from '../skills.tables.ts';
import '../skills.tables.ts';

/** All SQL of the item bank (control plane). */

export type ItemRow = Selectable<SkillsItemsTable>;

const COLUMNS = [
  'id',
  'key',
  'organisation_id',
  'competence',
  'level',
  'kind',
  'status',
  'correct',
  'content',
  'a',
  'b',
  'c',
  'exposure_price',
  'calibrated_at',
  'calibration',
  'source',
  'source_hash',
  'created_by',
  'created_at',
  'updated_at',
  'version',
] as const;

export type NewItemRow = Omit<ItemRow, 'created_at' | 'updated_at' | 'version' | 'correct' | 'content' | 'calibration' | 'exposure_price'> & {
  correct: number[];
  content: ItemRow['content'];
  calibration: ItemCalibrationReport | null;
};

const toValues = (row: NewItemRow) => ({
  ...row,
  correct: JSON.stringify(row.correct),
  content: JSON.stringify(row.content),
  calibration: row.calibration === null ? null : JSON.stringify(row.calibration),
});

export async function insertItem(db: ControlDb, row: NewItemRow): Promise<ItemRow> {
  return db.insertInto('skills_items').values(toValues(row)).returning(COLUMNS).executeTakeFirstOrThrow();
}

/** Inserts a starter item unless its key exists (concurrent starts both succeed). */
export async function insertItemIfAbsent(db: ControlDb, row: NewItemRow): Promise<boolean> {
  const inserted = await db.insertInto('skills_items').values(toValues(row)).onConflict((oc) => oc.column('key').doNothing()).returning('id').executeTakeFirst();
  return inserted !== undefined;
}

export async function findItem(db: ControlDb, id: string, lock = false): Promise<ItemRow | undefined> {
  let query = db.selectFrom('skills_items').select(COLUMNS).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findItemByKey(db: ControlDb, key: string): Promise<ItemRow | undefined> {
  return db.selectFrom('skills_items').select(COLUMNS).where('key', '=', key).executeTakeFirst();
}

export async function findItemsByIds(db: ControlDb, ids: readonly string[]): Promise<ItemRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('skills_items').select(COLUMNS).where('id', 'in', ids).execute();
}

/** Live items of the shared bank and of the given organisations: what a test may ask. */
export async function listLiveItems(db: ControlDb, organisationIds: readonly string[]): Promise<ItemRow[]> {
  return db
    .selectFrom('skills_items')
    .select(COLUMNS)
    .where('status', '=', 'live')
    .where((eb) => (organisationIds.length === 0 ? eb('organisation_id', 'is', null) : eb.or([eb('organisation_id', 'is', null), eb('organisation_id', 'in', organisationIds)])))
    .orderBy('key')
    .execute();
}

/** Items an author may see: the shared bank (organisation null) or one organisation's. */
export async function listItems(
  db: ControlDb,
  where: { organisationId: string | null; competence?: string; status?: string },
  limit: number,
): Promise<ItemRow[]> {
  let query = db.selectFrom('skills_items').select(COLUMNS);
  query = where.organisationId === null ? query.where('organisation_id', 'is', null) : query.where('organisation_id', '=', where.organisationId);
  if (where.competence) query = query.where('competence', '=', where.competence);
  if (where.status) query = query.where('status', '=', where.status as ItemRow['status']);
  return query.orderBy('key').limit(limit).execute();
}

export async function countItems(db: ControlDb, organisationId: string | null): Promise<number> {
  let query = db.selectFrom('skills_items').select((eb) => eb.fn.countAll<number>().as('n'));
  query = organisationId === null ? query.where('organisation_id', 'is', null) : query.where('organisation_id', '=', organisationId);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

export async function updateItem(
  db: ControlDb,
  id: string,
  expectedVersion: number,
  patch: Partial<Pick<NewItemRow, 'competence' | 'level' | 'kind' | 'status' | 'correct' | 'content' | 'a' | 'b' | 'c' | 'source' | 'source_hash'>>,
): Promise<ItemRow | undefined> {
  const set: Record<string, unknown> = { ...patch, updated_at: new Date() };
  if (patch.correct) set.correct = JSON.stringify(patch.correct);
  if (patch.content) set.content = JSON.stringify(patch.content);
  return db
    .updateTable('skills_items')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning(COLUMNS)
    .executeTakeFirst();
}

export async function setItemParameters(
  db: ControlDb,
  id: string,
  parameters: { a: number; b: number; c: number },
  report: ItemCalibrationReport,
  at: Date,
): Promise<void> {
  await db
    .updateTable('skills_items')
    .set({ a: parameters.a, b: parameters.b, c: parameters.c, calibrated_at: at, calibration: JSON.stringify(report) })
    .where('id', '=', id)
    .execute();
}

/** A calibration's flags on an item whose parameters stay (too few answers, or not retained). */
export async function setItemCalibrationReport(db: ControlDb, id: string, report: ItemCalibrationReport): Promise<void> {
  await db.updateTable('skills_items').set({ calibration: JSON.stringify(report) }).where('id', '=', id).execute();
}

/** All items' ids and parameters, for calibration. */
export async function listItemParameters(db: ControlDb): Promise<Pick<ItemRow, 'id' | 'key' | 'a' | 'b' | 'c' | 'status' | 'level'>[]> {
  return db.selectFrom('skills_items').select(['id', 'key', 'a', 'b', 'c', 'status', 'level']).execute();
}

// ── item authoring (trainers' and operators' screens, import and export) ──

/** Keys that start with `prefix` (keys hold only [a-z0-9.-]: no LIKE wildcard can slip in). */
export async function listKeysWithPrefix(db: ControlDb, prefix: string): Promise<string[]> {
  const rows = await db.selectFrom('skills_items').select('key').where('key', 'like', `${prefix}%`).execute();
  return rows.map((r) => r.key);
}

/** How many items of an organisation ask about a competence (a competence in use is not removed). */
export async function countItemsWithCompetence(db: ControlDb, organisationId: string, competence: string): Promise<number> {
  const row = await db
    .selectFrom('skills_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('competence', '=', competence)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listItemsByKeys(db: ControlDb, keys: readonly string[]): Promise<ItemRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('skills_items').select(COLUMNS).where('key', 'in', keys).execute();
}

/** Exposure prices warmed by calibration's simulation (cat/exposure.ts#warmPrices). */
export async function setExposurePrices(db: ControlDb, prices: ReadonlyMap<string, number>): Promise<void> {
  for (const [id, price] of prices) await db.updateTable('skills_items').set({ exposure_price: price }).where('id', '=', id).execute();
}

/**
 * One test's move of the exposure prices (cat/exposure.ts#nextPrice), in one statement: every item
 * of the bank the test drew from, up for those it gave, down for the others. Atomic per row, so
 * tests ending at once on several nodes each count; the rows are locked in id order first, so two
 * such statements over overlapping banks wait for each other instead of deadlocking.
 */
export async function applyTestToExposurePrices(db: ControlDb, bankIds: readonly string[], givenIds: readonly string[], control: { targetRate: number; step: number; maxPrice: number }): Promise<void> {
  if (bankIds.length === 0) return;
  const given = givenIds.length === 0 ? sql<number>`0` : sql<number>`(case when skills_items.id in (${sql.join(givenIds)}) then 1 else 0 end)`;
  await db
    .with('locked', (qb) => qb.selectFrom('skills_items').select('id').where('id', 'in', bankIds).orderBy('id').forUpdate())
    .updateTable('skills_items')
    .from('locked')
    .set({ exposure_price: sql<number>`least(${control.maxPrice}::real, greatest(0::real, skills_items.exposure_price + ${control.step}::real * (${given} - ${control.targetRate}::real)))` })
    .whereRef('skills_items.id', '=', 'locked.id')
    .execute();
}
