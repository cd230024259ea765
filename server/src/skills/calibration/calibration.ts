import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { type CalibrationResponse, calibrate2pl, type CalibratedItem, calibrationDefaults } from '../cat/calibrate.ts';
import type { ItemParameters } from '../items/types.ts';
import { listAnswersForCalibration } from '../assessments/assessments.repo.ts';
import { listItemParameters, setExposurePrices, setItemCalibrationReport, setItemParameters } from '../items/items.repo.ts';
import { DEFAULT_WARM_EXAMINEES, EXPOSURE_CONTROL, warmPrices } from '../cat/index.ts';
import { loadBank } from '../assessments/bank.ts';
import { ASSESSMENT_RULES } from '../assessments/assessments.ts';

/**
 * The calibration job (`entente skills calibrate`, docs/skills.md): re-estimates item parameters
 * from the answers of completed assessments in both cells (answers carry no name: the
 * assessment stands for the examinee), by MML-EM for the 2PL (cat/calibrate.ts). An item with
 * enough answers gets its new a and b (c = 0) unless the estimation did not converge; every
 * item's report (answers, standard errors, flags) is kept for trainers to review. Results
 * already given are never changed: each answer keeps the parameters it was scored with.
 * Audited as `skills.calibration.run`.
 */
/**
 * Exposure prices (cat/exposure.ts): the loop moves them with every real test; after the
 * parameters change, the shared bank's prices are warmed by running the loop over simulated tests
 * under the assessments' rules, from the prices the bank has, so that the next real tests start
 * near where the loop would settle.
 */
export interface ExposureSettings {
  examinees: number;
}
export const DEFAULT_EXPOSURE: ExposureSettings = { examinees: DEFAULT_WARM_EXAMINEES };

export interface CalibrationRun {
  /** Answers read (each agent's latest test, items that still exist) and the tests they come from. */
  collected: { answers: number; examinees: number };
  /** The fewest answers an item needs to be estimated; only such items' answers are used. */
  minAnswers: number;
  /** Examinees and answers that entered the estimation. */
  examinees: number;
  answers: number;
  iterations: number;
  converged: boolean;
  updated: number;
  insufficient: number;
  flagged: { key: string; flags: string[] }[];
  items: (CalibratedItem & { key: string; before: ItemParameters })[];
  dryRun: boolean;
  /** Items with an exposure price above 0 after this run (null: prices not warmed). */
  exposurePriced: number | null;
  /** Highest share of the simulated tests (second half) that gave one item (null: not warmed). */
  maxSimulatedExposure: number | null;
  /** The share of tests the loop holds each item to (cat/exposure.ts EXPOSURE_CONTROL). */
  exposureTarget: number;
}

/** Bounds one run's memory: beyond, the oldest answers beyond this are left for a later design. */
export const MAX_ANSWERS = 2_000_000;
const PAGE = 10_000;

export async function runCalibration(
  deps: { stores: Stores; audit: AuditLog },
  options: { minAnswers?: number; dryRun?: boolean; by?: string; exposure?: ExposureSettings | false } = {},
): Promise<CalibrationRun> {
  const responses: CalibrationResponse[] = [];
  for (const jurisdiction of JURISDICTIONS) {
    let after: string | null = null;
    for (;;) {
      const page = await listAnswersForCalibration(deps.stores.cells[jurisdiction].db, after, PAGE);
      for (const row of page) responses.push({ examinee: row.assessment_id, item: row.item_id, correct: row.correct ? 1 : 0 });
      const lastRow = page.at(-1);
      // A short page (an empty one too) is the last.
      if (!lastRow || page.length < PAGE || responses.length >= MAX_ANSWERS) break;
      after = lastRow.id;
    }
  }
  const current = await listItemParameters(deps.stores.control.db);
  const byId = new Map(current.map((i) => [i.id, i]));
  // Answers to items deleted since do not enter.
  const known = responses.filter((r) => byId.has(r.item));
  const start = new Map<string, ItemParameters>(current.map((i) => [i.id, { a: i.a, b: i.b, c: 0 }]));
  const result = known.length === 0 ? null : calibrate2pl(known, { start, ...(options.minAnswers ? { minAnswers: options.minAnswers } : {}) });

  const items = (result?.items ?? []).map((item) => {
    // Only answers to known items were calibrated, so each calibrated item has its row.
    const row = byId.get(item.item);
    if (!row) throw new Error(`Calibration: item ${item.item} was calibrated but is not in the bank`);
    return { ...item, key: row.key, before: { a: row.a, b: row.b, c: row.c } };
  });
  let updated = 0;
  const now = new Date();
  for (const item of items) {
    const report = { answers: item.answers, seA: item.standardErrors?.a ?? null, seB: item.standardErrors?.b ?? null, flags: item.status === 'insufficient_data' ? ['insufficient_data', ...item.flags] : item.flags };
    if (options.dryRun) continue;
    if (item.status === 'calibrated' && item.parameters && !item.flags.includes('did_not_converge')) {
      await setItemParameters(deps.stores.control.db, item.item, { a: clamp(item.parameters.a, 0.05, 6), b: clamp(item.parameters.b, -8, 8), c: 0 }, report, now);
      updated += 1;
    } else {
      await setItemCalibrationReport(deps.stores.control.db, item.item, report);
    }
  }
  let exposurePriced: number | null = null;
  let maxSimulatedExposure: number | null = null;
  const exposure = options.exposure === false ? null : (options.exposure ?? DEFAULT_EXPOSURE);
  if (exposure && !options.dryRun) {
    // The shared bank as tests draw from it now (organisations' own items move with their tests).
    const bank = await loadBank(deps.stores, []);
    if (bank.items.length > 0) {
      const warmed = warmPrices(bank.items, { examinees: exposure.examinees, seed: now.getTime() % 2 ** 31, options: { ...ASSESSMENT_RULES } });
      await setExposurePrices(deps.stores.control.db, new Map(warmed.bank.map((i) => [i.id, i.price ?? 0])));
      exposurePriced = warmed.priced;
      maxSimulatedExposure = warmed.maxRate;
    }
  }
  const run: CalibrationRun = {
    collected: { answers: known.length, examinees: new Set(known.map((r) => r.examinee)).size },
    minAnswers: options.minAnswers ?? calibrationDefaults.minAnswers,
    examinees: result?.examinees ?? 0,
    answers: result?.answersUsed ?? 0,
    iterations: result?.iterations ?? 0,
    converged: result?.converged ?? true,
    updated,
    insufficient: items.filter((i) => i.status === 'insufficient_data').length,
    flagged: items.filter((i) => i.flags.length > 0).map((i) => ({ key: i.key, flags: i.flags })),
    items,
    dryRun: options.dryRun ?? false,
    exposurePriced,
    maxSimulatedExposure,
    exposureTarget: EXPOSURE_CONTROL.targetRate,
  };
  await deps.audit.record({
    action: 'skills.calibration.run',
    outcome: 'success',
    actorId: null,
    resource: { type: 'skills_bank', id: 'platform' },
    requestId: `calibration-${now.getTime()}`,
    details: { collected: run.collected.answers, examinees: run.examinees, answers: run.answers, updated: run.updated, insufficient: run.insufficient, flagged: run.flagged.length, dryRun: run.dryRun, exposurePriced, by: options.by ?? null },
  });
  return run;
}

const clamp = (x: number, min: number, max: number) => Math.min(max, Math.max(min, x));
