import type { Selectable } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { SkillsAssessmentsTable, SkillsResponsesTable, StoredAssessmentOptions, StoredResult } from '../skills.tables.ts';
import '../skills.tables.ts';

/** All SQL of assessments and answers (the agent's home cell). Every lookup names its owner. */

export type AssessmentRow = Selectable<SkillsAssessmentsTable>;
export type ResponseRow = Selectable<SkillsResponsesTable>;

export const ASSESSMENT_COLUMNS = [
  'id',
  'principal_id',
  'organisation_id',
  'status',
  'pending_item_id',
  'answered',
  'options',
  'framework_version',
  'result',
  'level',
  'started_at',
  'updated_at',
  'completed_at',
] as const;
export const RESPONSE_COLUMNS = ['id', 'assessment_id', 'principal_id', 'item_id', 'position', 'area', 'competence', 'a', 'b', 'c', 'answer', 'correct', 'answered_at'] as const;

export async function insertAssessment(
  db: CellDb,
  row: { id: string; principal_id: string; organisation_id: string | null; pending_item_id: string | null; options: StoredAssessmentOptions; framework_version: string },
): Promise<AssessmentRow> {
  return db
    .insertInto('skills_assessments')
    .values({ ...row, status: 'in_progress', options: JSON.stringify(row.options) })
    .returning(ASSESSMENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findOwnAssessment(db: CellDb, principalId: string, id: string, lock = false): Promise<AssessmentRow | undefined> {
  let query = db.selectFrom('skills_assessments').select(ASSESSMENT_COLUMNS).where('id', '=', id).where('principal_id', '=', principalId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findInProgress(db: CellDb, principalId: string): Promise<AssessmentRow | undefined> {
  return db.selectFrom('skills_assessments').select(ASSESSMENT_COLUMNS).where('principal_id', '=', principalId).where('status', '=', 'in_progress').executeTakeFirst();
}

export async function listOwnAssessments(db: CellDb, principalId: string, limit: number): Promise<AssessmentRow[]> {
  return db
    .selectFrom('skills_assessments')
    .select(ASSESSMENT_COLUMNS)
    .where('principal_id', '=', principalId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The latest completed assessment of each of these principals (dashboards). */
export async function latestCompletedOf(db: CellDb, principalIds: readonly string[]): Promise<AssessmentRow[]> {
  if (principalIds.length === 0) return [];
  return db
    .selectFrom('skills_assessments')
    .select(ASSESSMENT_COLUMNS)
    .distinctOn('principal_id')
    .where('principal_id', 'in', principalIds)
    .where('status', '=', 'completed')
    .orderBy('principal_id')
    .orderBy('completed_at', 'desc')
    .execute();
}

export async function setPending(db: CellDb, id: string, pendingItemId: string, answered: number): Promise<void> {
  await db.updateTable('skills_assessments').set({ pending_item_id: pendingItemId, answered, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function completeAssessment(db: CellDb, id: string, answered: number, result: StoredResult): Promise<AssessmentRow> {
  const now = new Date();
  return db
    .updateTable('skills_assessments')
    .set({ status: 'completed', pending_item_id: null, answered, result: JSON.stringify(result), level: result.level, completed_at: now, updated_at: now })
    .where('id', '=', id)
    .returning(ASSESSMENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function abandonAssessment(db: CellDb, id: string): Promise<AssessmentRow> {
  return db
    .updateTable('skills_assessments')
    .set({ status: 'abandoned', pending_item_id: null, updated_at: new Date() })
    .where('id', '=', id)
    .returning(ASSESSMENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function insertResponse(db: CellDb, row: Omit<ResponseRow, 'answered_at' | 'answer'> & { answer: { choices?: number[]; text?: string } }): Promise<void> {
  await db
    .insertInto('skills_responses')
    .values({ ...row, answer: JSON.stringify(row.answer) })
    .execute();
}

export async function listResponses(db: CellDb, assessmentId: string): Promise<ResponseRow[]> {
  return db.selectFrom('skills_responses').select(RESPONSE_COLUMNS).where('assessment_id', '=', assessmentId).orderBy('position').execute();
}

/**
 * Answers to calibrate from, without names: the assessment stands for the examinee, and only each
 * agent's latest completed assessment counts — one agent retaking the test many times with
 * chosen answers must not weigh as many examinees on the shared bank's parameters.
 */
export async function listAnswersForCalibration(
  db: CellDb,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; assessment_id: string; item_id: string; correct: boolean }[]> {
  let query = db
    .selectFrom('skills_responses')
    .innerJoin('skills_assessments', 'skills_assessments.id', 'skills_responses.assessment_id')
    .select(['skills_responses.id', 'skills_responses.assessment_id', 'skills_responses.item_id', 'skills_responses.correct'])
    .where('skills_assessments.status', '=', 'completed')
    .where('skills_assessments.id', 'in', (eb) =>
      eb.selectFrom('skills_assessments as latest').select('latest.id').distinctOn('latest.principal_id').where('latest.status', '=', 'completed').orderBy('latest.principal_id').orderBy('latest.completed_at', 'desc'),
    );
  if (afterId) query = query.where('skills_responses.id', '>', afterId);
  return query.orderBy('skills_responses.id').limit(limit).execute();
}

/** Items this agent met in their tests since `since`, most recent test first (a new test avoids them). */
export async function listSeenItems(db: CellDb, principalId: string, since: Date): Promise<{ item_id: string; assessment_id: string }[]> {
  return db
    .selectFrom('skills_responses')
    .innerJoin('skills_assessments', 'skills_assessments.id', 'skills_responses.assessment_id')
    .select(['skills_responses.item_id', 'skills_responses.assessment_id'])
    .where('skills_responses.principal_id', '=', principalId)
    .where('skills_assessments.started_at', '>=', since)
    .orderBy('skills_assessments.started_at', 'desc')
    .execute();
}
