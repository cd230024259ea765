import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import { ASSESSMENT_COLUMNS, type AssessmentRow, RESPONSE_COLUMNS, type ResponseRow } from '../assessments/assessments.repo.ts';
import type { CompetenceDefinition, PathStatus, StoredAssessmentOptions, StoredResult, TargetProfileDefinition } from '../skills.tables.ts';
import type { NewItemRow } from '../items/items.repo.ts';
import '../skills.tables.ts';

/**
 * All SQL of the organisation archive's skills part (organisation-archive.ts): reads of an
 * organisation's framework and its agents' results for `entente export --org`, and the
 * insert-if-absent writes (and their undo) of `entente import`. Lists are read in chunks: an
 * organisation may have many agents, and a statement has at most 65,535 parameters.
 */
const CHUNK = 1_000;

async function chunked<T>(ids: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

// ── control plane: the organisation's own framework ──

export async function listCompetencesForArchive(db: ControlDb, organisationId: string) {
  return db
    .selectFrom('skills_competences')
    .select(['id', 'area', 'definition', 'created_by', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('id')
    .execute();
}

export async function listProfilesForArchive(db: ControlDb, organisationId: string) {
  return db
    .selectFrom('skills_target_profiles')
    .select(['id', 'role', 'definition', 'created_by', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('id')
    .execute();
}

/** Keys of items by id (any bank): answers name their item by key in an archive. */
export async function itemKeysByIds(db: ControlDb, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await chunked(ids, (chunk) => db.selectFrom('skills_items').select(['id', 'key']).where('id', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.id, r.key]));
}

/**
 * Ids of items by key, here, in the shared bank and the organisation's own only: an imported
 * answer points at this bank's item with the same key, never at another organisation's item.
 */
export async function itemIdsByKeys(db: ControlDb, keys: readonly string[], organisationId: string): Promise<Map<string, string>> {
  const rows = await chunked(keys, (chunk) =>
    db
      .selectFrom('skills_items')
      .select(['id', 'key'])
      .where('key', 'in', chunk)
      .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]))
      .execute(),
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** Who owns these ids here (competences, target profiles, items by id or key): an import never writes over another organisation's. */
export async function frameworkOwners(db: ControlDb, ids: { competences: string[]; profiles: string[]; items: string[]; keys: string[] }) {
  const competences = await chunked(ids.competences, (chunk) => db.selectFrom('skills_competences').select(['id', 'organisation_id']).where('id', 'in', chunk).execute());
  const profiles = await chunked(ids.profiles, (chunk) => db.selectFrom('skills_target_profiles').select(['id', 'organisation_id']).where('id', 'in', chunk).execute());
  const byId = await chunked(ids.items, (chunk) => db.selectFrom('skills_items').select(['id', 'key', 'organisation_id']).where('id', 'in', chunk).execute());
  const byKey = await chunked(ids.keys, (chunk) => db.selectFrom('skills_items').select(['id', 'key', 'organisation_id']).where('key', 'in', chunk).execute());
  return { competences, profiles, items: [...byId, ...byKey] };
}

export async function insertCompetenceIfAbsent(
  db: ControlDb,
  row: { id: string; organisation_id: string; area: '1' | '2' | '3' | '4' | '5'; definition: CompetenceDefinition; created_by: string | null; created_at: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto('skills_competences')
    .values({ ...row, definition: JSON.stringify(row.definition) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function insertProfileIfAbsent(
  db: ControlDb,
  row: { id: string; organisation_id: string; role: 'agent' | 'manager' | 'digital-specialist'; definition: TargetProfileDefinition; created_by: string | null; updated_at: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto('skills_target_profiles')
    .values({ ...row, definition: JSON.stringify(row.definition) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** false when the id or the key is taken here. */
export async function insertArchivedItemIfAbsent(db: ControlDb, row: NewItemRow & { created_at: Date; updated_at: Date }): Promise<boolean> {
  const inserted = await db
    .insertInto('skills_items')
    .values({ ...row, correct: JSON.stringify(row.correct), content: JSON.stringify(row.content), calibration: row.calibration === null ? null : JSON.stringify(row.calibration) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Undo of a failed import: what it inserted in the control plane, by id. */
export async function deleteFrameworkRows(db: ControlDb, ids: { competences: string[]; profiles: string[]; items: string[] }): Promise<void> {
  for (let i = 0; i < ids.items.length; i += CHUNK) await db.deleteFrom('skills_items').where('id', 'in', ids.items.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < ids.profiles.length; i += CHUNK) await db.deleteFrom('skills_target_profiles').where('id', 'in', ids.profiles.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < ids.competences.length; i += CHUNK) await db.deleteFrom('skills_competences').where('id', 'in', ids.competences.slice(i, i + CHUNK)).execute();
}

// ── cells: the agents' results ──

/** The assessments these agents took in this organisation, oldest first. */
export async function listOrganisationAssessments(db: CellDb, principalIds: readonly string[], organisationId: string): Promise<AssessmentRow[]> {
  const rows = await chunked(principalIds, (chunk) =>
    db.selectFrom('skills_assessments').select(ASSESSMENT_COLUMNS).where('principal_id', 'in', chunk).where('organisation_id', '=', organisationId).execute(),
  );
  return rows.sort((x, y) => x.started_at.getTime() - y.started_at.getTime() || (x.id < y.id ? -1 : 1));
}

export async function listResponsesOf(db: CellDb, assessmentIds: readonly string[]): Promise<ResponseRow[]> {
  const rows = await chunked(assessmentIds, (chunk) => db.selectFrom('skills_responses').select(RESPONSE_COLUMNS).where('assessment_id', 'in', chunk).execute());
  return rows.sort((x, y) => (x.assessment_id < y.assessment_id ? -1 : x.assessment_id > y.assessment_id ? 1 : x.position - y.position));
}

export async function listSettingsOf(db: CellDb, principalIds: readonly string[]) {
  return chunked(principalIds, (chunk) => db.selectFrom('skills_settings').select(['principal_id', 'target_profile_id', 'updated_at']).where('principal_id', 'in', chunk).execute());
}

export async function listPathProgressOf(db: CellDb, principalIds: readonly string[]) {
  const rows = await chunked(principalIds, (chunk) =>
    db.selectFrom('skills_path_progress').select(['principal_id', 'resource_id', 'status', 'updated_at']).where('principal_id', 'in', chunk).execute(),
  );
  return rows.sort((x, y) => (x.resource_id < y.resource_id ? -1 : x.resource_id > y.resource_id ? 1 : 0));
}

/**
 * false when the id is taken here (already imported) or the agent has a test in progress here
 * (one at a time: the unique index on in-progress tests); any unique conflict skips the row.
 */
export async function insertArchivedAssessment(
  db: CellDb,
  row: Omit<AssessmentRow, 'options' | 'result'> & { options: StoredAssessmentOptions; result: StoredResult | null },
): Promise<boolean> {
  const inserted = await db
    .insertInto('skills_assessments')
    .values({ ...row, options: JSON.stringify(row.options), result: row.result === null ? null : JSON.stringify(row.result) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function insertArchivedResponses(db: CellDb, rows: readonly (Omit<ResponseRow, 'answer'> & { answer: { choices?: number[]; text?: string } })[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('skills_responses')
    .values(rows.map((r) => ({ ...r, answer: JSON.stringify(r.answer) })))
    .execute();
}

/** The archive's target-profile choice, unless the agent chose one here (theirs stands). */
export async function insertSettingIfAbsent(db: CellDb, row: { principal_id: string; target_profile_id: string; updated_at: Date }): Promise<boolean> {
  const inserted = await db.insertInto('skills_settings').values(row).onConflict((oc) => oc.doNothing()).returning('principal_id').executeTakeFirst();
  return inserted !== undefined;
}

/** The archive's progress on a resource, unless the agent has some here (theirs stands). */
export async function insertPathProgressIfAbsent(db: CellDb, row: { principal_id: string; resource_id: string; status: PathStatus; updated_at: Date }): Promise<boolean> {
  const inserted = await db.insertInto('skills_path_progress').values(row).onConflict((oc) => oc.doNothing()).returning('principal_id').executeTakeFirst();
  return inserted !== undefined;
}

/** The ids among these that answers here already have (a crafted archive reusing them is refused). */
export async function existingResponseIds(db: CellDb, ids: readonly string[]): Promise<string[]> {
  return (await chunked(ids, (chunk) => db.selectFrom('skills_responses').select('id').where('id', 'in', chunk).execute())).map((r) => r.id);
}

/**
 * Undo of a failed import in one cell: the rows it inserted, each only while it is still as the
 * import wrote it (on PostgreSQL the servers run beside the import: an agent may have answered a
 * resumed test, or changed their choice, in between — theirs is kept). Answers go with their test.
 */
export async function deleteResultRows(
  db: CellDb,
  rows: {
    assessments: { id: string; updatedAt: Date }[];
    settings: { principalId: string; profileId: string; updatedAt: Date }[];
    progress: { principalId: string; resourceId: string; status: PathStatus; updatedAt: Date }[];
  },
): Promise<void> {
  for (const a of rows.assessments) await db.deleteFrom('skills_assessments').where('id', '=', a.id).where('updated_at', '=', a.updatedAt).execute();
  for (const s of rows.settings) {
    await db.deleteFrom('skills_settings').where('principal_id', '=', s.principalId).where('target_profile_id', '=', s.profileId).where('updated_at', '=', s.updatedAt).execute();
  }
  for (const p of rows.progress) {
    await db
      .deleteFrom('skills_path_progress')
      .where('principal_id', '=', p.principalId)
      .where('resource_id', '=', p.resourceId)
      .where('status', '=', p.status)
      .where('updated_at', '=', p.updatedAt)
      .execute();
  }
}

export async function assessmentExists(db: CellDb, id: string): Promise<boolean> {
  return (await db.selectFrom('skills_assessments').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
