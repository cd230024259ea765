/**
 * Adaptive-test simulation (issue 8, bench/cat): `npm run bench -- cat`.
 *
 *  - examinees: θ ~ N(0, 1), seeded; 10,000 by default, fewer with BENCH_CAT_EXAMINEES=n for a
 *    quick check. Each answers as the model says (correct with probability P(θ) of the item).
 *  - banks: (1) a synthetic calibrated bank of 400 items, a = exp(N(ln 1.2, 0.25)), b ~ N(0, 1),
 *    c = 0, a fifth per DigComp area (80) spread over the area's competences; another size with
 *    BENCH_CAT_BANK_ITEMS=n (100 to 20,000; same seed, so a larger bank begins with the same
 *    items as a smaller one and only adds to it); (2) the starter bank
 *    (server/src/skills/items/starter/*.ts) with provisionalParameters(level): there the simulated
 *    examinees answer by those same provisional parameters, so its figures say what the bank's
 *    shape (a = 1, b on 8 values) allows, not how well it measures real agents.
 *  - the test: the engine's `step` with its defaults (EAP on −4…4 by 0.05, prior N(0, 1), stop at
 *    posterior SD ≤ 0.30 after ≥ 8 items or at 40, equal area shares, no competence twice in a
 *    row). On the synthetic bank, five variants on the same examinees: the default rule on the bank
 *    with exposure prices (warmed first by exposure.ts over 2,000 simulated tests of their own, as
 *    `entente skills calibrate` does, then moved after each measured test as Entente moves them;
 *    target rate 0.24 for a 0.25 cap; randomesque 1 is then the default); the same rule under the
 *    bounds Entente's assessments actually use (ASSESSMENT_RULES in
 *    server/src/skills/assessments/assessments.ts: 10 to 32 items at the time of writing, against
 *    the engine's 8 to 40), its prices starting from the same warmed state as the default row's
 *    (each priced row moves its own copy); the default on the bare bank (randomesque 5); and
 *    randomesque 1 (pure maximum information) and 10, to show what exposure control costs in
 *    length. Every variant gets its own fixed-form ratios, at its own RMSE and mean SD. The
 *    starter bank runs the bare-bank default. Reported: the rule and how the prices were warmed;
 *    test length (mean, p95), share stopped on precision, RMSE and bias of the final EAP θ̂ against the
 *    true θ, mean posterior SD, maximum item exposure (share of examinees who saw the most-used
 *    item; target ≤ 0.25), and the time of one `step` call — the whole work of choosing the next
 *    item (bank check, EAP, selection) — wall clock mean and p99, and the process CPU time per call.
 *  - fixed form at equal reliability: the same examinees take the first L items of a fixed order,
 *    scored by the same EAP; L grows until the fixed form's RMSE (empirical reliability) — and,
 *    separately, its mean posterior SD — is no worse than the adaptive test's. Three orders: by
 *    information at θ = 0 (a form peaked on the mean), by information averaged over N(0, 1) (the
 *    best order for this population), and the latter taken round robin over the areas (the same
 *    content balance as the adaptive test). These are the strongest fixed forms the bank allows,
 *    a demanding baseline; ratio = adaptive mean length / L (target ≤ 0.60). A fourth order, for
 *    context only, is a conventional form: the bank drawn at random (seeded), areas balanced.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ASSESSMENT_RULES } from '../server/src/skills/assessments/assessments.ts';
import { AREA_IDS, type AreaId, type Level } from '../server/src/skills/framework/types.ts';
import { afterTest, type BankItem, DEFAULT_ENGINE_OPTIONS, DEFAULT_WARM_EXAMINEES, DEFAULT_GRID, DEFAULT_PRIOR, DEFAULT_RANDOMESQUE, type EngineOptions, EXPOSURE_CONTROL, type ExposureControl, gridPoints, information, mulberry32, normalSampler, probability, provisionalParameters, type Response, step, warmPrices } from '../server/src/skills/cat/index.ts';
import { logProbabilities } from '../server/src/skills/cat/irt.ts';
import { fixed } from './support/stats.ts';
import { printTable } from './support/table.ts';

export interface CatBenchSettings {
  examinees: number;
  bankSize: number;
  seed: number;
}

function examineesFromEnvironment(): number {
  const raw = process.env.BENCH_CAT_EXAMINEES;
  if (raw === undefined || raw === '') return 10_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 10 || value > 1_000_000) throw new Error(`BENCH_CAT_EXAMINEES must be an integer from 10 to 1,000,000 (got ${raw})`);
  return value;
}

/** The synthetic bank's size when BENCH_CAT_BANK_ITEMS does not set it (issue 8's « e.g. 400 items »). */
export const DEFAULT_BANK_ITEMS = 400;

/**
 * At least 100 items, so that each area (a fifth of the bank) can fill the longest test's share
 * (40 items, 8 an area) several times over; at most 20,000, past which a run at 10,000 examinees
 * takes hours (each step scans the bank).
 */
function bankItemsFromEnvironment(): number {
  const raw = process.env.BENCH_CAT_BANK_ITEMS;
  if (raw === undefined || raw === '') return DEFAULT_BANK_ITEMS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 20_000) throw new Error(`BENCH_CAT_BANK_ITEMS must be an integer from 100 to 20,000 (got ${raw})`);
  return value;
}
export const DEFAULT_CAT: CatBenchSettings = { examinees: examineesFromEnvironment(), bankSize: bankItemsFromEnvironment(), seed: 20260331 };

/** DigComp 2.2 competences per area: 3, 6, 4, 4, 4 (21 in all). */
const COMPETENCES: Record<AreaId, string[]> = {
  '1': ['1.1', '1.2', '1.3'],
  '2': ['2.1', '2.2', '2.3', '2.4', '2.5', '2.6'],
  '3': ['3.1', '3.2', '3.3', '3.4'],
  '4': ['4.1', '4.2', '4.3', '4.4'],
  '5': ['5.1', '5.2', '5.3', '5.4'],
};

export function syntheticBank(size: number, seed: number): BankItem[] {
  const normal = normalSampler(mulberry32(seed));
  return Array.from({ length: size }, (_, i) => {
    const area = AREA_IDS[i % AREA_IDS.length]!;
    const competences = COMPETENCES[area];
    const competence = competences[Math.floor(i / AREA_IDS.length) % competences.length]!;
    return { id: `synthetic-${i}`, area, competence, a: Math.exp(normal(Math.log(1.2), 0.25)), b: normal(), c: 0 };
  });
}

interface StarterBank {
  items: BankItem[];
  files: number;
  skipped: number;
}

/** The starter bank as written so far by its authors; undefined when no file exists yet. */
async function loadStarterBank(): Promise<StarterBank | undefined> {
  const folder = fileURLToPath(new URL('../server/src/skills/items/starter/', import.meta.url));
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')).sort();
  } catch {
    return undefined;
  }
  const items = new Map<string, BankItem>();
  // index.ts re-exports the area files' arrays: the same objects seen twice are not duplicates.
  const sources = new Map<string, unknown>();
  let skipped = 0;
  let files = 0;
  for (const name of names) {
    const module = (await import(pathToFileURL(path.join(folder, name)).href)) as Record<string, unknown>;
    let found = false;
    for (const value of Object.values(module)) {
      if (!Array.isArray(value)) continue;
      for (const entry of value as unknown[]) {
        const item = entry as { key?: unknown; competence?: unknown; level?: unknown };
        if (typeof item.key !== 'string' || typeof item.competence !== 'string' || typeof item.level !== 'number') continue;
        found = true;
        if (sources.get(item.key) === entry) continue;
        const area = /^([1-5])\./.exec(item.competence)?.[1] as AreaId | undefined;
        if (!area || item.level < 1 || item.level > 8 || items.has(item.key)) {
          skipped++;
          continue;
        }
        sources.set(item.key, entry);
        items.set(item.key, { id: item.key, area, competence: item.competence, ...provisionalParameters(item.level as Level) });
      }
    }
    if (found) files++;
  }
  return items.size === 0 ? undefined : { items: [...items.values()], files, skipped };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

interface AdaptiveFigures {
  meanLength: number;
  p95Length: number;
  stoppedOnPrecision: number;
  reasons: Record<string, number>;
  rmse: number;
  bias: number;
  meanSd: number;
  maxExposure: number;
  itemsNeverUsed: number;
  stepMeanMs: number;
  cpuPerStepMs: number;
  stepP99Ms: number;
  steps: number;
}

/**
 * The examinees one after another; with `loop`, the exposure prices move after each test as they
 * do in Entente (assessments.ts), so the figures include the loop's own fluctuations.
 */
export function simulateAdaptive(initial: readonly BankItem[], thetas: readonly number[], seed: number, selection: Partial<EngineOptions>, loop?: ExposureControl): AdaptiveFigures {
  let bank = initial;
  const exposure = new Map<string, number>();
  const lengths: number[] = [];
  const stepMs: number[] = [];
  const reasons: Record<string, number> = {};
  let squared = 0;
  let error = 0;
  let sds = 0;
  const byId = new Map(bank.map((item) => [item.id, item]));
  const cpuBefore = process.cpuUsage();
  let stepTotalMs = 0;
  for (let e = 0; e < thetas.length; e++) {
    const theta = thetas[e]!;
    const random = mulberry32(seed + 7919 * e);
    const answers = mulberry32(seed + 104729 * e + 1);
    const responses: Response[] = [];
    for (;;) {
      const started = performance.now();
      const result = step(bank, responses, { ...selection, random });
      const elapsed = performance.now() - started;
      stepMs.push(elapsed);
      stepTotalMs += elapsed;
      if (result.done) {
        if (loop) bank = afterTest(bank, new Set(responses.map((r) => r.itemId)), loop);
        reasons[result.reason] = (reasons[result.reason] ?? 0) + 1;
        lengths.push(responses.length);
        squared += (result.result.theta - theta) ** 2;
        error += result.result.theta - theta;
        sds += result.result.sd;
        break;
      }
      exposure.set(result.next, (exposure.get(result.next) ?? 0) + 1);
      responses.push({ itemId: result.next, correct: answers() < probability(theta, byId.get(result.next)!) });
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  const n = thetas.length;
  const sortedLengths = [...lengths].sort((x, y) => x - y);
  const sortedMs = [...stepMs].sort((x, y) => x - y);
  return {
    meanLength: lengths.reduce((s, v) => s + v, 0) / n,
    p95Length: percentile(sortedLengths, 0.95),
    stoppedOnPrecision: (reasons.precision ?? 0) / n,
    reasons,
    rmse: Math.sqrt(squared / n),
    bias: error / n,
    meanSd: sds / n,
    maxExposure: Math.max(...exposure.values()) / n,
    itemsNeverUsed: bank.length - exposure.size,
    stepMeanMs: stepTotalMs / stepMs.length,
    // The whole simulation's CPU time per step: an upper bound on the step's own CPU cost, and far
    // less sensitive than the wall clock to neighbours on a shared machine.
    cpuPerStepMs: (cpu.user + cpu.system) / 1000 / stepMs.length,
    stepP99Ms: percentile(sortedMs, 0.99),
    steps: stepMs.length,
  };
}

interface FixedFigures {
  order: string;
  /** Shortest length whose RMSE is ≤ the adaptive RMSE (undefined: not reached with the whole bank). */
  lengthForRmse?: number;
  /** Shortest length whose mean posterior SD is ≤ the adaptive mean SD. */
  lengthForSd?: number;
}

/** RMSE and mean posterior SD of the fixed form made of the first L items, for L = 1, 2, … */
interface FixedCurve {
  order: string;
  rmse: number[];
  meanSd: number[];
}

/**
 * Fixed forms made of the first L items of `order`, for L = 1, 2, …: each examinee's log posterior
 * on the grid is kept and grows by one item per L, so every length costs one pass, not a new test.
 * Stops once both figures are at or below the targets (or at the end of the bank).
 */
export function fixedFormCurve(name: string, order: readonly BankItem[], thetas: readonly number[], seed: number, target: { rmse: number; meanSd: number }): FixedCurve {
  const points = gridPoints(DEFAULT_GRID);
  const g = points.length;
  const n = thetas.length;
  const posterior = new Float64Array(n * g);
  for (let e = 0; e < n; e++) {
    for (let k = 0; k < g; k++) posterior[e * g + k] = -0.5 * ((points[k]! - DEFAULT_PRIOR.mean) / DEFAULT_PRIOR.sd) ** 2;
  }
  const answers = mulberry32(seed);
  const right = new Float64Array(g);
  const wrong = new Float64Array(g);
  const curve: FixedCurve = { order: name, rmse: [], meanSd: [] };
  for (let length = 1; length <= order.length; length++) {
    const item = order[length - 1]!;
    for (let k = 0; k < g; k++) {
      const logs = logProbabilities(points[k]!, item);
      right[k] = logs.correct;
      wrong[k] = logs.wrong;
    }
    let squared = 0;
    let sds = 0;
    for (let e = 0; e < n; e++) {
      const row = answers() < probability(thetas[e]!, item) ? right : wrong;
      const offset = e * g;
      let top = -Infinity;
      for (let k = 0; k < g; k++) {
        const value = (posterior[offset + k] as number) + row[k]!;
        posterior[offset + k] = value;
        if (value > top) top = value;
      }
      let total = 0;
      let first = 0;
      let second = 0;
      for (let k = 0; k < g; k++) {
        const weight = Math.exp((posterior[offset + k] as number) - top);
        total += weight;
        first += weight * points[k]!;
        second += weight * points[k]! * points[k]!;
      }
      const mean = first / total;
      squared += (mean - thetas[e]!) ** 2;
      sds += Math.sqrt(Math.max(0, second / total - mean * mean));
    }
    curve.rmse.push(Math.sqrt(squared / n));
    curve.meanSd.push(sds / n);
    if (curve.rmse.at(-1)! <= target.rmse && curve.meanSd.at(-1)! <= target.meanSd) break;
  }
  return curve;
}

function lengthsAt(curve: FixedCurve, adaptive: AdaptiveFigures): FixedFigures {
  const first = (values: number[], target: number) => {
    const index = values.findIndex((value) => value <= target);
    return index < 0 ? undefined : index + 1;
  };
  return { order: curve.order, lengthForRmse: first(curve.rmse, adaptive.rmse), lengthForSd: first(curve.meanSd, adaptive.meanSd) };
}

/** The bank in a seeded random order (Fisher–Yates). */
function shuffled(bank: readonly BankItem[], seed: number): BankItem[] {
  const random = mulberry32(seed);
  const out = [...bank];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Round robin over the areas, each area's items in `order`: a fixed form with the adaptive test's content balance. */
function balancedOrder(order: readonly BankItem[]): BankItem[] {
  const queues = AREA_IDS.map((area) => order.filter((item) => item.area === area));
  const result: BankItem[] = [];
  for (let i = 0; result.length < order.length; i++) {
    for (const queue of queues) if (queue[i]) result.push(queue[i]!);
  }
  return result;
}

export interface CatVariant {
  label: string;
  adaptive: AdaptiveFigures;
  fixed: FixedFigures[];
}
export interface CatBankResult {
  bank: string;
  items: number;
  note?: string;
  variants: CatVariant[];
  seconds: number;
}
export interface CatBenchResult {
  settings: CatBenchSettings;
  banks: CatBankResult[];
  /** How the exposure prices of the synthetic bank were warmed before the measured run. */
  exposure: ExposureControl & { examinees: number; maxRate: number; priced: number; seconds: number };
  notes: string[];
}

/** One way of running the test: the bank as given to the engine (with or without exposure parameters) and the options. */
interface VariantSpec {
  label: string;
  bank: readonly BankItem[];
  options: Partial<EngineOptions>;
  loop?: ExposureControl;
}

/**
 * The engine's default rule first; the other variants show the trade-off between exposure and
 * length on the same examinees. The fixed forms are built from the bank's parameters alone.
 */
function runBank(name: string, bank: readonly BankItem[], thetas: readonly number[], seed: number, specs: readonly VariantSpec[], note?: string): CatBankResult {
  const started = performance.now();
  const variants = specs.map((spec) => {
    log(`${name}: adaptive test, ${spec.label}, ${thetas.length} examinees`);
    return { spec, adaptive: simulateAdaptive(spec.bank, thetas, seed, spec.options, spec.loop) };
  });
  // Expected information over N(0, 1), by a 0.1-step sum: the population's own fixed order.
  const weights = gridPoints({ min: -4, max: 4, step: 0.1 }).map((theta) => ({ theta, weight: Math.exp(-0.5 * theta * theta) }));
  const expected = new Map(bank.map((item) => [item.id, weights.reduce((s, w) => s + w.weight * information(w.theta, item), 0)]));
  const peaked = [...bank].sort((x, y) => information(0, y) - information(0, x));
  const population = [...bank].sort((x, y) => expected.get(y.id)! - expected.get(x.id)!);
  const strictest = { rmse: Math.min(...variants.map((v) => v.adaptive.rmse)), meanSd: Math.min(...variants.map((v) => v.adaptive.meanSd)) };
  log(`${name}: fixed forms`);
  const curves = [
    fixedFormCurve('peaked at θ = 0', peaked, thetas, seed + 1, strictest),
    fixedFormCurve('best for N(0, 1)', population, thetas, seed + 2, strictest),
    fixedFormCurve('best for N(0, 1), areas balanced', balancedOrder(population), thetas, seed + 3, strictest),
    // For context only: a form drawn from the bank without regard to information, as a test put
    // together from an item bank by content alone would be (the issue's target is read against the
    // best forms above).
    fixedFormCurve('conventional: drawn at random, areas balanced (context)', balancedOrder(shuffled(bank, seed + 4)), thetas, seed + 5, strictest),
  ];
  return {
    bank: name,
    items: bank.length,
    note,
    variants: variants.map(({ spec, adaptive }) => ({ label: spec.label, adaptive, fixed: curves.map((curve) => lengthsAt(curve, adaptive)) })),
    seconds: (performance.now() - started) / 1000,
  };
}

const log = (message: string) => console.error(`  [cat] ${message}`);

/**
 * The warmed prices as a bank of its own, for one priced row. The loop moves the prices after every
 * measured test; each row must start where the warm-up left them, not where the previous row's
 * tests did. afterTest returns a new bank today, so sharing would be safe; a copy per row keeps it
 * so whatever the order the rows run in and however the loop comes to store its moves.
 */
function warmedCopy(warmed: readonly BankItem[]): BankItem[] {
  return warmed.map((item) => ({ ...item }));
}

/**
 * The default rule under the bounds Entente's assessments run with (assessments.ts), not the
 * engine's: the figures of the test agents actually take. Imported, so the row follows any change.
 * Its prices start from the default row's warm-up (run under the engine's bounds; `entente skills
 * calibrate` warms under ASSESSMENT_RULES), so that the two rows differ by the measured tests'
 * bounds alone.
 */
function ententeBoundsVariant(warmed: readonly BankItem[]): VariantSpec {
  const r = ASSESSMENT_RULES;
  return {
    label: `exposure prices, target ${EXPOSURE_CONTROL.targetRate}, loop running; randomesque ${DEFAULT_RANDOMESQUE.withPrices}; Entente's assessment bounds (ASSESSMENT_RULES: SD ≤ ${r.seThreshold}, ${r.minItems} to ${r.maxItems} items)`,
    bank: warmedCopy(warmed),
    options: { ...r },
    loop: EXPOSURE_CONTROL,
  };
}

export async function catBench(settings: CatBenchSettings): Promise<CatBenchResult> {
  const normal = normalSampler(mulberry32(settings.seed));
  const thetas = Array.from({ length: settings.examinees }, () => normal());
  const notes: string[] = [];
  const synthetic = syntheticBank(settings.bankSize, settings.seed + 11);
  // As `entente skills calibrate` does after new parameters: the loop over simulated tests of
  // their own (another seed), then the measured examinees with the loop running, as in Entente.
  const warmExaminees = DEFAULT_WARM_EXAMINEES;
  log(`synthetic: exposure prices warmed over ${warmExaminees} simulated tests`);
  const exposureStarted = performance.now();
  const warmed = warmPrices(synthetic, { examinees: warmExaminees, seed: settings.seed + 51 });
  const exposure = { ...EXPOSURE_CONTROL, examinees: warmExaminees, maxRate: warmed.maxRate, priced: warmed.priced, seconds: (performance.now() - exposureStarted) / 1000 };
  const d = DEFAULT_RANDOMESQUE;
  const banks = [
    runBank(`synthetic (${settings.bankSize} items)`, synthetic, thetas, settings.seed + 23, [
      { label: `exposure prices, target ${EXPOSURE_CONTROL.targetRate}, loop running; randomesque ${d.withPrices} (default, bank with prices)`, bank: warmedCopy(warmed.bank), options: {}, loop: EXPOSURE_CONTROL },
      ententeBoundsVariant(warmed.bank),
      { label: `randomesque ${d.withoutPrices} (default, bank without prices)`, bank: synthetic, options: {} },
      { label: 'randomesque 1 (maximum information)', bank: synthetic, options: { randomesque: 1 } },
      { label: 'randomesque 10', bank: synthetic, options: { randomesque: 10 } },
    ]),
  ];
  const starter = await loadStarterBank();
  if (!starter) notes.push('starter bank: no item found under server/src/skills/items/starter/ yet, so no second run');
  else {
    const note = `${starter.files} files${starter.skipped > 0 ? `, ${starter.skipped} items skipped (duplicate key, level out of 1–8 or competence outside areas 1–5)` : ''}; provisional parameters, answered by them; no exposure prices`;
    banks.push(runBank(`starter (${starter.items.length} items)`, starter.items, thetas, settings.seed + 37, [{ label: `randomesque ${d.withoutPrices} (default, bank without prices)`, bank: starter.items, options: {} }], note));
  }
  return { settings, banks, exposure, notes };
}

export function printCat(result: CatBenchResult): void {
  const { examinees, bankSize, seed } = result.settings;
  const o = DEFAULT_ENGINE_OPTIONS;
  const rows = result.banks.flatMap((b) => b.variants.map((v) => ({ b, v })));
  const x = result.exposure;
  console.log(
    `Synthetic bank: ${bankSize} items${bankSize === DEFAULT_BANK_ITEMS ? ' (the default' : ` (BENCH_CAT_BANK_ITEMS; default ${DEFAULT_BANK_ITEMS}`}), a = exp(N(ln 1.2, 0.25)), b ~ N(0, 1), c = 0, a fifth per area; seed ${seed}`,
  );
  console.log(
    'Selection rule (server/src/skills/cat/select.ts): maximum Fisher information at θ̂ (EAP), divided by 1 + the item’s exposure price, within the area furthest below its share, never the previous item’s competence; ' +
      'one of the `randomesque` best is drawn. ' +
      `Default draw: ${DEFAULT_RANDOMESQUE.withPrices} when the bank carries exposure prices, ${DEFAULT_RANDOMESQUE.withoutPrices} when it does not.`,
  );
  console.log(
    `Exposure prices of the synthetic bank (server/src/skills/cat/exposure.ts): target rate ${x.targetRate}, step ${x.step}; warmed over ${x.examinees} simulated tests of their own ` +
      `(most-used item over their second half ${fixed(x.maxRate, 3)}; ${x.priced} items priced; ${fixed(x.seconds, 1)} s), then moved after each measured test; ` +
      'each priced row starts from its own copy of the warmed prices',
  );
  printTable(
    `Adaptive test: ${examinees} simulated examinees θ ~ N(0, 1); stop at posterior SD ≤ ${o.seThreshold} (≥ ${o.minItems} items) or at ${o.maxItems} unless the row names other bounds; equal area shares`,
    ['bank', 'selection', 'mean length', 'p95 length', 'stopped on precision (SD ≤ 0.30)', 'RMSE θ', 'bias θ', 'mean post. SD', 'max exposure (≤ 0.25)', 'items unused'],
    rows.map(({ b, v }) => [b.bank, v.label, fixed(v.adaptive.meanLength, 1), String(v.adaptive.p95Length), `${fixed(100 * v.adaptive.stoppedOnPrecision, 1)} %`, fixed(v.adaptive.rmse, 3), fixed(v.adaptive.bias, 3), fixed(v.adaptive.meanSd, 3), fixed(v.adaptive.maxExposure, 3), String(v.adaptive.itemsNeverUsed)]),
  );
  const length = (value: number | undefined, b: CatBankResult) => (value === undefined ? `> ${b.items} (not reached)` : String(value));
  const ratio = (b: CatBankResult, v: CatVariant, value: number | undefined) => (value === undefined ? `< ${fixed(v.adaptive.meanLength / b.items, 2)}` : fixed(v.adaptive.meanLength / value, 2));
  printTable(
    'Fixed form at equal reliability: shortest first-L items of each order whose RMSE (or mean posterior SD) is no worse than the adaptive test’s; ratio = adaptive mean length / L (target ≤ 0.60)',
    ['bank', 'selection', 'fixed order', 'L, equal RMSE', 'ratio', 'L, equal mean SD', 'ratio'],
    rows.flatMap(({ b, v }) => v.fixed.map((f) => [b.bank, v.label, f.order, length(f.lengthForRmse, b), ratio(b, v, f.lengthForRmse), length(f.lengthForSd, b), ratio(b, v, f.lengthForSd)])),
  );
  printTable(
    'Time to choose the next item: one step() call (bank check, EAP on the answers so far, content balancing, randomesque draw), wall clock, target < 5 ms; CPU per call = the simulation’s process CPU time / calls',
    ['bank', 'selection', 'mean (ms)', 'p99 (ms)', 'CPU per call (ms)', 'calls', 'stop reasons'],
    rows.map(({ b, v }) => [b.bank, v.label, fixed(v.adaptive.stepMeanMs, 3), fixed(v.adaptive.stepP99Ms, 3), fixed(v.adaptive.cpuPerStepMs, 3), String(v.adaptive.steps), Object.entries(v.adaptive.reasons).map(([k, n]) => `${k} ${n}`).join(', ')]),
  );
  for (const b of result.banks) console.log(`(${b.bank}: ${b.note ? `${b.note}; ` : ''}${fixed(b.seconds, 1)} s)`);
  for (const note of result.notes) console.log(`(${note})`);
}
