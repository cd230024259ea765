import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS, DEMO_COLLEAGUES } from '../src/identity/demo-data.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { completeAssessment, insertAssessment, insertResponse } from '../src/skills/assessments/assessments.repo.ts';
import { mulberry32, normalSampler, probability } from '../src/skills/cat/index.ts';
import { listItemParameters } from '../src/skills/items/items.repo.ts';
import { runCalibration } from '../src/skills/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * The calibration job on real databases: answers simulated from known parameters, spread over
 * both cells as agents of both states would give them, are read back, the items re-estimated
 * and written, the rest left alone, and the run audited.
 */
let t: TestApp;
let serverClosed = false;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => (serverClosed ? t?.env.dispose() : t?.close()));

const EXAMINEES = 500;

describe('skills calibrate', () => {
  it('recovers known parameters from answers in both cells, leaves items with too few answers alone, and a dry run writes nothing', async () => {
    const items = (await listItemParameters(t.entente.stores.control.db)).filter((i) => i.status === 'live').sort((x, y) => x.key.localeCompare(y.key));
    const studied = items.slice(0, 10);
    const rare = items[10]!;
    const random = mulberry32(42);
    const normal = normalSampler(random);
    const truth = new Map(studied.map((item, i) => [item.id, { a: 0.8 + (i % 5) * 0.25, b: -1.5 + (i * 3) / (studied.length - 1), c: 0 }]));
    const rareBefore = { a: rare.a, b: rare.b };

    for (let e = 0; e < EXAMINEES; e++) {
      // One agent per examinee (calibration counts each agent's latest test only), in both cells.
      const agent = { id: uuidv7(), jurisdiction: DEMO_AGENTS[e % DEMO_AGENTS.length]!.jurisdiction };
      const db = t.entente.stores.cells[agent.jurisdiction].db;
      const id = uuidv7();
      const theta = normal();
      await insertAssessment(db, { id, principal_id: agent.id, organisation_id: null, pending_item_id: null, options: { seed: e, seThreshold: 0.3, minItems: 10, maxItems: 40, organisations: [] }, framework_version: 'digcomp-2.2' });
      const given = e < 50 ? [...studied, rare] : studied;
      for (const [position, item] of given.entries()) {
        const p = truth.get(item.id) ?? { a: 1, b: 0, c: 0 };
        await insertResponse(db, {
          id: uuidv7(),
          assessment_id: id,
          principal_id: agent.id,
          item_id: item.id,
          position: position + 1,
          area: '1',
          competence: '1.1',
          a: item.a,
          b: item.b,
          c: item.c,
          answer: { choices: [0] },
          correct: random() < probability(theta, p),
        });
      }
      await completeAssessment(db, id, given.length, { level: 4, theta: 0, standardError: 0.3, stopReason: 'precision', areas: [], competences: [] });
    }

    // An agent retaking the test many times weighs as one examinee: their older tests do not count.
    const repeater = uuidv7();
    for (let k = 0; k < 3; k++) {
      const id = uuidv7();
      await insertAssessment(t.entente.stores.cells.FR.db, { id, principal_id: repeater, organisation_id: null, pending_item_id: null, options: { seed: k, seThreshold: 0.3, minItems: 10, maxItems: 40, organisations: [] }, framework_version: 'digcomp-2.2' });
      await insertResponse(t.entente.stores.cells.FR.db, { id: uuidv7(), assessment_id: id, principal_id: repeater, item_id: rare.id, position: 1, area: '1', competence: '1.1', a: rare.a, b: rare.b, c: rare.c, answer: { choices: [0] }, correct: true });
      await completeAssessment(t.entente.stores.cells.FR.db, id, 1, { level: 4, theta: 0, standardError: 0.3, stopReason: 'precision', areas: [], competences: [] });
    }

    const dry = await runCalibration({ stores: t.entente.stores, audit: t.entente.audit }, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    // Items below the minimum (the rare one, and those the demo colleagues met) do not enter.
    expect(dry.answers).toBeGreaterThanOrEqual(EXAMINEES * studied.length);
    expect(dry.answers).toBeLessThan(EXAMINEES * studied.length + 50);
    // Read but not used: the rare item's answers (under the minimum of 200).
    expect(dry.minAnswers).toBe(200);
    expect(dry.collected.answers).toBeGreaterThanOrEqual(dry.answers + 51);
    expect(dry.collected.examinees).toBeGreaterThanOrEqual(EXAMINEES + 1);
    const unchanged = await listItemParameters(t.entente.stores.control.db);
    expect(unchanged.find((i) => i.id === studied[0]!.id)!.b).toBe(studied[0]!.b);

    const run = await runCalibration({ stores: t.entente.stores, audit: t.entente.audit }, { by: 'test', exposure: { examinees: 40 } });
    // 50 examinees, the repeater once (not three times), and any demo colleague who met the item.
    const demo = await t.entente.stores.cells.FR.db.selectFrom('skills_responses').select('id').where('item_id', '=', rare.id).where('principal_id', 'in', DEMO_COLLEAGUES.map((c) => c.id)).execute();
    expect(run.items.find((i) => i.item === rare.id)?.answers).toBe(51 + demo.length);
    // Prices warmed over 40 simulated tests of the shared bank: the items they overused are priced, in the table.
    expect(run.exposurePriced).toBeGreaterThan(0);
    expect(run.maxSimulatedExposure).toBeGreaterThan(0);
    const priced = await t.entente.stores.control.db.selectFrom('skills_items').select('id').where('organisation_id', 'is', null).where('exposure_price', '>', 0).execute();
    expect(priced.length).toBe(run.exposurePriced);
    expect(run.updated).toBe(studied.length);
    expect(run.items.find((i) => i.item === rare.id)?.status).toBe('insufficient_data');
    const after = new Map((await listItemParameters(t.entente.stores.control.db)).map((i) => [i.id, i]));
    let squared = 0;
    for (const item of studied) {
      const got = after.get(item.id)!;
      squared += (got.b - truth.get(item.id)!.b) ** 2;
      expect(Math.abs(got.a - truth.get(item.id)!.a)).toBeLessThan(0.45);
    }
    // 500 examinees: b within a few tenths (RMSE); the calibration's own tests measure precision on larger samples.
    expect(Math.sqrt(squared / studied.length)).toBeLessThan(0.25);
    expect(after.get(rare.id)).toMatchObject(rareBefore);

    const row = await t.entente.stores.control.db.selectFrom('skills_items').select(['calibrated_at', 'calibration']).where('id', '=', rare.id).executeTakeFirstOrThrow();
    expect(row.calibrated_at).toBeNull();
    expect(row.calibration?.flags).toContain('insufficient_data');
    const audit = await t.entente.audit.list({ action: 'skills.calibration.run', limit: 5 });
    expect(audit.length).toBe(2);
  }, 120_000);

  it('the command refuses a nonsensical minimum before opening anything', () => {
    const result = spawnSync(process.execPath, ['server/src/cli/main.ts', 'skills', 'calibrate', '--min-answers', '3'], { encoding: 'utf8', env: { ...process.env, ENTENTE_DATA_DIR: '/nonexistent/entente' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--min-answers/);
  });

  it('the command says how many answers it read and how many the estimation used (the server stopped first)', async () => {
    await t.entente.close();
    serverClosed = true;
    const run = (lang: string) =>
      spawnSync(process.execPath, ['server/src/cli/main.ts', 'skills', 'calibrate', '--dry-run'], { encoding: 'utf8', env: { ...process.env, ...t.env.env, LANG: lang, ENTENTE_LOG_LEVEL: 'silent' } });
    const fr = run('fr_FR.UTF-8');
    expect(fr.status, fr.stderr).toBe(0);
    const said = fr.stdout.match(/Essai \(rien n’est écrit\) : ([\d\u202f]+) réponses recueillies \(([\d\u202f]+) évaluations\), dont ([\d\u202f]+) retenues pour l’estimation \(questions ayant au moins 200 réponses\)/);
    expect(said, fr.stdout).not.toBeNull();
    const [collected, examinees, used] = said!.slice(1, 4).map((x) => Number(x.replace(/\u202f/g, '')));
    expect(examinees).toBeGreaterThanOrEqual(EXAMINEES + 1);
    expect(used).toBeGreaterThanOrEqual(EXAMINEES * 10);
    expect(collected).toBeGreaterThan(used!);
    const en = run('en_GB.UTF-8');
    expect(en.status, en.stderr).toBe(0);
    expect(en.stdout).toMatch(/^Dry run \(nothing written\): [\d,]+ answers collected \([\d,]+ assessments\), [\d,]+ of them used for the estimation \(items with at least 200 answers\)/m);
  }, 60_000);
});
