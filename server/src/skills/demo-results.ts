import { DEMO_COLLEAGUES } from '../identity/demo-data.ts';
import type { Stores } from '../platform/db/stores.ts';
import { uuidv7 } from '../platform/ids.ts';
import { DEFAULT_ENGINE_OPTIONS, mulberry32, probability, step } from './cat/index.ts';
import { completeAssessment, insertAssessment, insertResponse, latestCompletedOf, type ResponseRow } from './assessments/assessments.repo.ts';
import { ASSESSMENT_RULES } from './assessments/assessments.ts';
import { loadBank } from './assessments/bank.ts';
import { storedResultOf } from './assessments/results.ts';
import { FRAMEWORK_VERSION } from './framework/framework.ts';

/**
 * Demo mode only: each demo colleague (identity/demo-data.ts) has taken the test once, answered
 * by a simulated examinee of a fixed ability through the real engine and the real bank, so the
 * team dashboards have something honest to aggregate. Idempotent (a colleague with a result is
 * left alone).
 */
const ABILITIES = [-0.8, 0.3, 1.1, -0.2, 0.6, 0.0, 1.5];

export async function seedDemoResults(stores: Stores, organisationId: string): Promise<number> {
  const db = stores.cells.FR.db;
  const done = new Set((await latestCompletedOf(db, DEMO_COLLEAGUES.map((c) => c.id))).map((r) => r.principal_id));
  const bank = await loadBank(stores, [organisationId]);
  if (bank.items.length === 0) return 0;
  let seeded = 0;
  for (const [index, colleague] of DEMO_COLLEAGUES.entries()) {
    if (done.has(colleague.id)) continue;
    const random = mulberry32(1000 + index);
    const theta = ABILITIES[index % ABILITIES.length];
    if (theta === undefined) throw new Error('Demo results: ABILITIES must not be empty');
    const options = { seed: 1000 + index, ...ASSESSMENT_RULES, organisations: [organisationId] };
    const id = uuidv7();
    await insertAssessment(db, { id, principal_id: colleague.id, organisation_id: organisationId, pending_item_id: null, options, framework_version: FRAMEWORK_VERSION });
    const responses: ResponseRow[] = [];
    for (;;) {
      const next = step(
        bank.items,
        responses.map((r) => ({ itemId: r.item_id, correct: r.correct })),
        { ...DEFAULT_ENGINE_OPTIONS, ...ASSESSMENT_RULES, random },
      );
      if (next.done) {
        await completeAssessment(db, id, responses.length, storedResultOf(next, responses));
        break;
      }
      // The engine picks among the bank's items, and the bank keeps the row of each of its items.
      const item = bank.items.find((i) => i.id === next.next);
      const row = item && bank.rows.get(item.id);
      if (!item || !row) throw new Error(`Demo results: the engine chose item ${next.next}, which is not in the bank`);
      const correct = random() < probability(theta, item);
      const response: ResponseRow = {
        id: uuidv7(),
        assessment_id: id,
        principal_id: colleague.id,
        item_id: item.id,
        position: responses.length + 1,
        area: item.area,
        competence: item.competence,
        a: item.a,
        b: item.b,
        c: item.c,
        answer: row.kind === 'short_answer' ? { text: correct ? (row.content.fr.accepted?.[0] ?? '') : '—' } : { choices: correct ? row.correct : [row.correct[0] === 0 ? 1 : 0] },
        correct,
        answered_at: new Date(),
      };
      await insertResponse(db, response);
      responses.push(response);
    }
    seeded += 1;
  }
  return seeded;
}
