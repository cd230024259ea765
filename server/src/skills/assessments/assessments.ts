import { type AssessmentState, type ReviewItem, SHORT_ANSWER_MAX_LENGTH } from '../../../../common/src/skills.ts';
import type { Actor } from '../../identity/actor.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { Logger } from '../../platform/logger.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { AppError, notFound, unauthenticated } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type BankItem, DEFAULT_ENGINE_OPTIONS, EXPOSURE_CONTROL, MAX_PRICE, mulberry32, step, type StepResult } from '../cat/index.ts';
import { FRAMEWORK_VERSION, resolveFramework } from '../framework/framework.ts';
import type { Competence } from '../framework/types.ts';
import { applyTestToExposurePrices, findItemsByIds } from '../items/items.repo.ts';
import { localiseContent, type SkillsLanguage } from '../items/localise.ts';
import { acceptedAnswers, answerProblem, type GivenAnswer, isCorrect } from '../items/scoring.ts';
import type { StoredAssessmentOptions, StoredResult } from '../skills.tables.ts';
import {
  type AssessmentRow,
  abandonAssessment as abandonRow,
  completeAssessment,
  findInProgress,
  findOwnAssessment,
  insertAssessment,
  insertResponse,
  listOwnAssessments,
  listResponses,
  listSeenItems,
  type ResponseRow,
  setPending,
} from './assessments.repo.ts';
import { type Bank, loadBank } from './bank.ts';
import { storedResultOf } from './results.ts';
import { questionView, resultView, summaryView, trueFalseOptions } from './views.ts';

/**
 * An agent's adaptive assessments (issue 8). Rules, checked here on every call:
 * - an assessment is its owner's only, kept in their home cell; another agent's id is a 404;
 * - one test in progress at a time: starting again resumes it (« reprendre plus tard »);
 * - the server holds the question being asked (`pending_item_id`): an answer to any other item is
 *   refused (409 `question_changed`), so a client cannot pick its questions, skip one or answer
 *   one twice, and two tabs cannot both advance the test;
 * - each answer keeps the parameters it was scored with; the engine replays the stored answers
 *   (a seeded randomesque draw per position), so a resumed test goes on exactly where it stopped;
 * - nothing of the engine's estimate reaches the agent before the end (progress is a bounded
 *   share), and no answer key or parameter is ever in a question;
 * - start, completion and abandonment are audited in the home cell, with ids and the level only;
 * - a test that ends (completed or abandoned) moves the exposure prices of the bank it drew from
 *   (cat/exposure.ts): up for the items it showed, down for the others — the agent's first test
 *   of the day only (EXPOSURE_COUNTS_ONE_TEST_PER_MS).
 */
export interface SkillsDeps {
  stores: Stores;
  audit: AuditLog;
  logger: Logger;
}

/** Precision 0.30 (the default); 10 to 32 questions, the upper bound of Pix's test, so a test stays under half an hour. */
export const ASSESSMENT_RULES = { seThreshold: 0.3, minItems: 10, maxItems: 32 } as const;
export const ASSESSMENTS_LISTED = 50;
/**
 * A new test leaves out the questions the agent met in their tests of the last year: the review
 * shows each answer with its key, so a retake must not ask them again (it would measure memory).
 * When that would leave fewer than MIN_FRESH_BANK live items, only the most recent tests' items
 * are left out, as many tests as the bank allows.
 */
export const SEEN_ITEMS_WINDOW_DAYS = 365;
export const MIN_FRESH_BANK = 60;

function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

const homeDb = (deps: SkillsDeps, actor: Actor): CellDb => deps.stores.cells[actor.homeJurisdiction].db;

function engineOptions(stored: StoredAssessmentOptions, answered: number) {
  return {
    ...DEFAULT_ENGINE_OPTIONS,
    seThreshold: stored.seThreshold,
    minItems: stored.minItems,
    maxItems: stored.maxItems,
    // One draw per position, from the test's seed: replaying the stored answers gives the same item.
    random: mulberry32((stored.seed ^ Math.imul(answered + 1, 0x9e3779b1)) >>> 0),
  };
}

/** The bank with every answered item in it, at the parameters it was scored with (a retired item stays answered). */
function bankWithAnswered(bank: Bank, responses: readonly ResponseRow[]): BankItem[] {
  const answered = new Map(responses.map((r) => [r.item_id, r]));
  const items = bank.items.filter((i) => !answered.has(i.id));
  for (const r of responses) items.push({ id: r.item_id, area: r.area as BankItem['area'], competence: r.competence, a: r.a, b: r.b, c: r.c });
  return items;
}

/**
 * The result the engine gives for these answers under these rules (bank: the answered items
 * alone, at the parameters they were scored with): what an imported completed test must say. The
 * stop reason is the test's own (the bank it drew from is not known here), so it is not compared.
 */
export function recomputedResult(stored: Pick<StoredAssessmentOptions, 'seed' | 'seThreshold' | 'minItems' | 'maxItems'>, responses: readonly ResponseRow[]): Omit<StoredResult, 'stopReason'> {
  const outcome = step(
    responses.map((r) => ({ id: r.item_id, area: r.area as BankItem['area'], competence: r.competence, a: r.a, b: r.b, c: r.c })),
    responses.map((r) => ({ itemId: r.item_id, correct: r.correct })),
    { ...engineOptions({ ...stored, organisations: [] }, responses.length), minItems: 0 },
  );
  if (!outcome.done) throw new Error('unreachable: a bank of answered items is exhausted');
  const { stopReason: _, ...result } = storedResultOf(outcome, responses);
  return result;
}

function stepFor(bank: Bank, responses: readonly ResponseRow[], stored: StoredAssessmentOptions): StepResult {
  return step(
    bankWithAnswered(bank, responses),
    responses.map((r) => ({ itemId: r.item_id, correct: r.correct })),
    engineOptions(stored, responses.length),
  );
}


async function competenceMap(deps: SkillsDeps, actor: Actor): Promise<Map<string, Competence>> {
  const framework = await resolveFramework(deps.stores, [...actor.memberships.keys()]);
  return new Map(framework.competences.map((c) => [c.id, c]));
}

async function stateOf(deps: SkillsDeps, actor: Actor, row: AssessmentRow, language: SkillsLanguage, progress?: { answered: number; fraction: number }): Promise<AssessmentState> {
  const competences = await competenceMap(deps, actor);
  let question: AssessmentState['question'] = null;
  if (row.status === 'in_progress' && row.pending_item_id) {
    const [item] = await findItemsByIds(deps.stores.control.db, [row.pending_item_id]);
    if (item) {
      const competence = competences.get(item.competence);
      question = questionView(item, competence?.area ?? '1', competences, language);
    }
  }
  const done = row.status === 'completed';
  return {
    assessment: summaryView(row),
    question,
    // The share of the longest test: it depends on the count of answers only, never on whether
    // they were right (the engine's own estimate of the remaining length would tell that).
    progress: progress ?? { answered: row.answered, fraction: done ? 1 : Math.min(0.95, row.answered / row.options.maxItems) },
    result: done && row.result ? resultView(row.result, row.framework_version, competences, language) : null,
  };
}

/** Starts a test, or returns the one in progress. */
export async function startAssessment(deps: SkillsDeps, actorOrNull: Actor | null, meta: RequestMeta, language: SkillsLanguage): Promise<AssessmentState> {
  const actor = requireActor(actorOrNull);
  const db = homeDb(deps, actor);
  const current = await findInProgress(db, actor.principalId);
  if (current) return resume(deps, actor, current, language);

  const organisations = [...actor.memberships.keys()].sort();
  const bank = await freshBank(deps, actor, await loadBank(deps.stores, organisations));
  const stored: StoredAssessmentOptions = { seed: (Math.random() * 2 ** 32) >>> 0, ...ASSESSMENT_RULES, organisations, excluded: bank.excluded };
  const first = stepFor(bank, [], stored);
  if (first.done) throw new AppError('skills_bank_empty', { status: 503 });
  const id = uuidv7();
  let row: AssessmentRow;
  try {
    row = await insertAssessment(db, {
      id,
      principal_id: actor.principalId,
      organisation_id: organisations[0] ?? null,
      pending_item_id: first.next,
      options: stored,
      framework_version: FRAMEWORK_VERSION,
    });
  } catch (error) {
    // Two starts at once (two tabs): the unique index keeps one; the other resumes it.
    if ((error as { code?: unknown })?.code === '23505') {
      const winner = await findInProgress(db, actor.principalId);
      if (winner) return resume(deps, actor, winner, language);
    }
    throw error;
  }
  await deps.audit.record({
    action: 'skills.assessment.started',
    outcome: 'success',
    actorId: actor.principalId,
    organisationId: row.organisation_id,
    resource: { type: 'skills_assessment', id },
    jurisdiction: actor.homeJurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
  });
  return stateOf(deps, actor, row, language);
}

/** The bank without the items the agent met lately (see SEEN_ITEMS_WINDOW_DAYS). */
async function freshBank(deps: SkillsDeps, actor: Actor, bank: Bank): Promise<Bank & { excluded: string[] }> {
  const since = new Date(Date.now() - SEEN_ITEMS_WINDOW_DAYS * 86_400_000);
  const seen = await listSeenItems(homeDb(deps, actor), actor.principalId, since);
  // The seen items come grouped by test, most recent test first: one list per test.
  const byTest: string[][] = [];
  let last: string | null = null;
  let current: string[] = [];
  for (const row of seen) {
    if (row.assessment_id !== last) {
      current = [];
      byTest.push(current);
      last = row.assessment_id;
    }
    current.push(row.item_id);
  }
  const excluded = new Set<string>();
  for (const items of byTest) {
    const next = new Set([...excluded, ...items]);
    if (bank.items.filter((i) => !next.has(i.id)).length < MIN_FRESH_BANK) break;
    for (const id of items) excluded.add(id);
  }
  return { items: bank.items.filter((i) => !excluded.has(i.id)), rows: bank.rows, excluded: [...excluded] };
}

/** Items left out when the test started stay out when it resumes (a resumed test asks the same way). */
function withoutExcluded(bank: Bank, stored: StoredAssessmentOptions): Bank {
  if (!stored.excluded || stored.excluded.length === 0) return bank;
  const excluded = new Set(stored.excluded);
  return { items: bank.items.filter((i) => !excluded.has(i.id)), rows: bank.rows };
}

/**
 * One test per agent and per day moves the exposure prices: an agent who starts and abandons
 * tests in a loop (each showing the same first questions) could otherwise push those items' prices
 * up and every other item's down, for everyone. Prices only steer which questions are asked —
 * never a score — so the worst such an agent could do is lengthen others' tests; this bounds it to
 * one test's weight a day, as calibration counts one test per agent.
 */
export const EXPOSURE_COUNTS_ONE_TEST_PER_MS = 86_400_000;

/**
 * The exposure control loop's input (cat/exposure.ts): after the cell has recorded the end of the
 * test, in the control plane, where the items are. Prices name no agent.
 */
async function moveExposurePrices(deps: SkillsDeps, actor: Actor, ended: AssessmentRow, bank: Bank, shown: readonly string[]): Promise<void> {
  try {
    // Newest first: the test started just before this one, if any (one in progress at a time).
    const previous = (await listOwnAssessments(homeDb(deps, actor), actor.principalId, 3)).find((row) => row.id !== ended.id && row.started_at <= ended.started_at);
    if (previous && ended.started_at.getTime() - previous.started_at.getTime() < EXPOSURE_COUNTS_ONE_TEST_PER_MS) return;
    await applyTestToExposurePrices(deps.stores.control.db, bank.items.map((item) => item.id), shown, { ...EXPOSURE_CONTROL, maxPrice: MAX_PRICE });
  } catch (error) {
    // The cell has already recorded the end of the test: the agent must get their result and the
    // end its audit event. One test's move missing only nudges exposure (the loop corrects it over
    // the next tests), so the failure is logged for the operator rather than shown to the agent.
    deps.logger.warn({ err: error, assessmentId: ended.id }, 'skills: exposure prices not moved after a test ended');
  }
}

/** An in-progress test as it stands (the pending question was chosen and kept when it was asked). */
async function resume(deps: SkillsDeps, actor: Actor, row: AssessmentRow, language: SkillsLanguage): Promise<AssessmentState> {
  const [pending] = row.pending_item_id ? await findItemsByIds(deps.stores.control.db, [row.pending_item_id]) : [];
  if (pending) return stateOf(deps, actor, row, language);
  // The pending item was deleted meanwhile: choose again from the stored answers.
  const bank = withoutExcluded(await loadBank(deps.stores, row.options.organisations), row.options);
  const db = homeDb(deps, actor);
  const responses = await listResponses(db, row.id);
  const next = stepFor(bank, responses, row.options);
  if (next.done) {
    const completed = await completeAssessment(db, row.id, responses.length, storedResultOf(next, responses));
    await moveExposurePrices(deps, actor, completed, bank, responses.map((r) => r.item_id));
    return stateOf(deps, actor, completed, language);
  }
  await setPending(db, row.id, next.next, responses.length);
  return stateOf(deps, actor, { ...row, pending_item_id: next.next, answered: responses.length }, language);
}

export async function getAssessment(deps: SkillsDeps, actorOrNull: Actor | null, id: string, language: SkillsLanguage): Promise<AssessmentState> {
  const actor = requireActor(actorOrNull);
  const row = await findOwnAssessment(homeDb(deps, actor), actor.principalId, id);
  if (!row) throw notFound();
  return row.status === 'in_progress' ? resume(deps, actor, row, language) : stateOf(deps, actor, row, language);
}

export async function listAssessments(deps: SkillsDeps, actorOrNull: Actor | null) {
  const actor = requireActor(actorOrNull);
  return (await listOwnAssessments(homeDb(deps, actor), actor.principalId, ASSESSMENTS_LISTED)).map(summaryView);
}

const questionChanged = () => new AppError('question_changed', { status: 409 });
const notInProgress = () => new AppError('assessment_not_in_progress', { status: 409 });

/** Scores the answer to the pending question and asks the next one, or ends the test. */
export async function answerQuestion(
  deps: SkillsDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  id: string,
  answer: GivenAnswer & { itemId: string },
  language: SkillsLanguage,
): Promise<AssessmentState> {
  const actor = requireActor(actorOrNull);
  const db = homeDb(deps, actor);
  const before = await findOwnAssessment(db, actor.principalId, id);
  if (!before) throw notFound();
  if (before.status !== 'in_progress') throw notInProgress();
  if (before.pending_item_id !== answer.itemId) throw questionChanged();
  // Control-plane reads happen before the cell's transaction (one connection under PGlite).
  const [item] = await findItemsByIds(deps.stores.control.db, [answer.itemId]);
  if (!item) throw questionChanged();
  const content = localiseContent(item.content, 'fr-FR');
  const problem = answerProblem(item.kind, content.options?.length ?? 0, answer);
  if (problem) {
    throw new AppError(problem, { status: 400, errors: [{ path: item.kind === 'short_answer' ? 'body.text' : 'body.choices', message: problem, code: problem }] });
  }
  const correct = isCorrect(item.kind, item.correct, acceptedAnswers(item.content), answer);
  const bank = withoutExcluded(await loadBank(deps.stores, before.options.organisations), before.options);
  const area = bank.items.find((i) => i.id === item.id)?.area ?? (await competenceMap(deps, actor)).get(item.competence)?.area;
  if (!area) throw questionChanged();

  const outcome = await db.transaction().execute(async (trx) => {
    const row = await findOwnAssessment(trx, actor.principalId, id, true);
    if (row?.status !== 'in_progress') throw notInProgress();
    if (row.pending_item_id !== answer.itemId) throw questionChanged();
    const previous = await listResponses(trx, id);
    const given = item.kind === 'short_answer' ? { text: (answer.text ?? '').trim().slice(0, SHORT_ANSWER_MAX_LENGTH) } : { choices: [...(answer.choices ?? [])].sort((x, y) => x - y) };
    const response: ResponseRow = {
      id: uuidv7(),
      assessment_id: id,
      principal_id: actor.principalId,
      item_id: item.id,
      position: previous.length + 1,
      area,
      competence: item.competence,
      a: item.a,
      b: item.b,
      c: item.c,
      answer: given,
      correct,
      answered_at: new Date(),
    };
    await insertResponse(trx, response);
    const responses = [...previous, response];
    const next = stepFor(bank, responses, row.options);
    const shown = responses.map((r) => r.item_id);
    if (next.done) return { row: await completeAssessment(trx, id, responses.length, storedResultOf(next, responses)), progress: { answered: responses.length, fraction: 1 }, shown };
    await setPending(trx, id, next.next, responses.length);
    return { row: { ...row, pending_item_id: next.next, answered: responses.length }, progress: undefined, shown };
  });
  if (outcome.row.status === 'completed') {
    await moveExposurePrices(deps, actor, outcome.row, bank, outcome.shown);
    await deps.audit.record({
      action: 'skills.assessment.completed',
      outcome: 'success',
      actorId: actor.principalId,
      organisationId: outcome.row.organisation_id,
      resource: { type: 'skills_assessment', id },
      jurisdiction: actor.homeJurisdiction,
      ip: meta.ip,
      requestId: meta.requestId,
      details: { answered: outcome.row.answered, level: outcome.row.level, stopReason: outcome.row.result?.stopReason ?? null },
    });
  }
  return stateOf(deps, actor, outcome.row, language, outcome.progress);
}

export async function abandonAssessment(deps: SkillsDeps, actorOrNull: Actor | null, meta: RequestMeta, id: string, language: SkillsLanguage): Promise<AssessmentState> {
  const actor = requireActor(actorOrNull);
  const db = homeDb(deps, actor);
  const { row, pending } = await db.transaction().execute(async (trx) => {
    const found = await findOwnAssessment(trx, actor.principalId, id, true);
    if (!found) throw notFound();
    if (found.status !== 'in_progress') throw notInProgress();
    return { row: await abandonRow(trx, id), pending: found.pending_item_id };
  });
  // The question on screen was shown too: it counts as given for exposure.
  const shown = [...(await listResponses(db, id)).map((r) => r.item_id), ...(pending ? [pending] : [])];
  await moveExposurePrices(deps, actor, row, withoutExcluded(await loadBank(deps.stores, row.options.organisations), row.options), shown);
  await deps.audit.record({
    action: 'skills.assessment.abandoned',
    outcome: 'success',
    actorId: actor.principalId,
    organisationId: row.organisation_id,
    resource: { type: 'skills_assessment', id },
    jurisdiction: actor.homeJurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
  });
  return stateOf(deps, actor, row, language);
}

/** After the test: each answered item with what was given, the right answer and why. */
export async function reviewAssessment(deps: SkillsDeps, actorOrNull: Actor | null, id: string, language: SkillsLanguage): Promise<ReviewItem[]> {
  const actor = requireActor(actorOrNull);
  const db = homeDb(deps, actor);
  const row = await findOwnAssessment(db, actor.principalId, id);
  if (!row) throw notFound();
  if (row.status !== 'completed') throw new AppError('assessment_not_completed', { status: 409 });
  const responses = await listResponses(db, id);
  const items = new Map((await findItemsByIds(deps.stores.control.db, responses.map((r) => r.item_id))).map((i) => [i.id, i]));
  return responses.flatMap((r): ReviewItem[] => {
    const item = items.get(r.item_id);
    if (!item) return [];
    const content = localiseContent(item.content, language);
    return [
      {
        itemId: item.id,
        position: r.position,
        competence: item.competence,
        stem: content.stem,
        kind: item.kind,
        options: item.kind === 'true_false' ? trueFalseOptions(language) : (content.options ?? []),
        given: r.answer,
        correct: r.correct,
        correctChoices: item.kind === 'short_answer' ? [] : item.correct,
        accepted: item.kind === 'short_answer' ? (content.accepted ?? []) : [],
        explanation: content.explanation,
        changedSince: item.updated_at.getTime() > r.answered_at.getTime(),
      },
    ];
  });
}
