// biome-ignore-all lint/style/noNonNullAssertion: numeric loops index typed arrays within their bounds; checking each read would cost the hot path for nothing
import type { ItemParameters } from '../items/types.ts';
import { type FitAnswer, type ItemFit, itemFit } from './calibrate-fit.ts';
import {
  type ExpectedCounts,
  type LogNormalPrior,
  type NormalPrior,
  maximiseItem,
  softplus,
} from './calibrate-item.ts';

/**
 * Item calibration (the operator job `entente skills calibrate`): re-estimates 2PL parameters
 * from collected answers by marginal maximum likelihood with EM (Bock & Aitkin, 1981), with weak
 * priors on a and b — i.e. Bayesian modal estimation (MAP-EM, as in Mislevy 1986 and BILOG).
 *
 * - Ability is integrated out on a fixed grid of quadrature nodes with N(0, 1) weights; that
 *   prior is never re-estimated, so it fixes the latent scale (origin and unit): θ = 0 is the mean
 *   ability of the calibration sample and θ = 1 one standard deviation above it.
 * - E-step: each examinee's posterior over the nodes, given their answers to the calibrated
 *   items, spread into expected counts per item and node: n̄_k (answers) and r̄_k (correct).
 * - M-step: for each item separately, Newton–Raphson on (a, b) maximising
 *   Σ_k [r̄_k ln P_k + (n̄_k − r̄_k) ln(1 − P_k)] + ln prior(a) + ln prior(b).
 * - Answers are sparse (a CAT gives each examinee only some items): an examinee contributes only
 *   the items they answered. Items with fewer than `minAnswers` answers are left out entirely
 *   (their answers are not used) and reported as `insufficient_data`, unchanged.
 * - Standard errors come from the M-step's information (the inverse negative Hessian of the
 *   penalised objective above). That information treats the expected counts as observed, ignoring
 *   the uncertainty about each θ, so the errors run somewhat small (RMSE/SE ≈ 1.2–1.3 for a in
 *   simulations): good for ranking precision, not for exact intervals.
 * - Each response is one answer: an examinee who met the same item twice (a retake) should be
 *   passed as two examinees (e.g. one per assessment session).
 * - Deterministic: no randomness; the same input in the same order gives the same output.
 */

export interface CalibrationResponse {
  examinee: string;
  item: string;
  correct: 0 | 1;
}

export type CalibrationFlag = 'low_discrimination' | 'misfit' | 'extreme_difficulty' | 'did_not_converge';

export interface CalibrationOptions {
  /** EM cycles at most (default 500). */
  maxIterations?: number;
  /** EM stops when no a or b moves by this much or more in a cycle (default 1e-4). */
  tolerance?: number;
  /** Items with fewer answers are not calibrated (default 200). */
  minAnswers?: number;
  /** Quadrature nodes, evenly spaced on [−range, range] (defaults 41 and 4). */
  points?: number;
  range?: number;
  /** Prior on a: ln a ~ N(meanLog, sdLog²) (default N(0, 0.5²)); null for none. */
  priorA?: LogNormalPrior | null;
  /** Prior on b: N(mean, sd²) (default N(0, 2²)); null for none. */
  priorB?: NormalPrior | null;
  /** Current parameters, used as start values (c is ignored: the calibration is 2PL). */
  start?: ReadonlyMap<string, ItemParameters>;
  /** `low_discrimination` below this a (default 0.4). */
  lowDiscrimination?: number;
  /** `extreme_difficulty` when |b| is above this (default 4). */
  extremeDifficulty?: number;
  /** `misfit` when the fit p-value is below this… (default 0.01) */
  misfitPValue?: number;
  /** …and the RMSD between observed and expected proportions above this (default 0.05). */
  misfitRmsd?: number;
  /** Ability groups of the fit statistic (default 10; fewer to keep ≥ 20 answers a group). */
  fitGroups?: number;
}

export interface CalibratedItem {
  item: string;
  status: 'calibrated' | 'insufficient_data';
  answers: number;
  /** New parameters (c = 0); for `insufficient_data`, the start values unchanged or null. */
  parameters: ItemParameters | null;
  /** Standard errors of a and b; null for `insufficient_data`. */
  standardErrors: { a: number; b: number } | null;
  flags: CalibrationFlag[];
  /** Null for `insufficient_data` or when too few answers to form 3 groups. */
  fit: ItemFit | null;
}

export interface CalibrationResult {
  /** Every item met in the answers, ordered by item id. */
  items: CalibratedItem[];
  /** Marginal log-likelihood of the calibrated items' answers at the final parameters. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** Examinees and answers that entered the calibration. */
  examinees: number;
  answersUsed: number;
}

export const calibrationDefaults = {
  maxIterations: 500,
  tolerance: 1e-4,
  minAnswers: 200,
  points: 41,
  range: 4,
  priorA: { meanLog: 0, sdLog: 0.5 } as LogNormalPrior | null,
  priorB: { mean: 0, sd: 2 } as NormalPrior | null,
  lowDiscrimination: 0.4,
  extremeDifficulty: 4,
  misfitPValue: 0.01,
  misfitRmsd: 0.05,
  fitGroups: 10,
} as const;

const MIN_FIT_GROUP_SIZE = 20;

/** Answers grouped by examinee (compressed rows): the responses of examinee e are start[e]…start[e+1]−1. */
interface AnswerTable {
  start: Int32Array;
  item: Int32Array;
  correct: Uint8Array;
}

interface Grid {
  nodes: Float64Array;
  logWeights: Float64Array;
}

export function calibrate2pl(
  responses: readonly CalibrationResponse[],
  options: CalibrationOptions = {},
): CalibrationResult {
  const o = { ...calibrationDefaults, ...withoutUndefined(options) };
  validate(o);

  // Count answers per item to decide which items enter the calibration.
  const answersPerItem = new Map<string, number>();
  for (const response of responses) {
    if (response.correct !== 0 && response.correct !== 1) {
      throw new RangeError(`calibrate2pl: correct must be 0 or 1 (item ${response.item})`);
    }
    answersPerItem.set(response.item, (answersPerItem.get(response.item) ?? 0) + 1);
  }
  const itemIds = [...answersPerItem.keys()].sort(compareIds);
  const calibrated = itemIds.filter((id) => answersPerItem.get(id)! >= o.minAnswers);
  const itemIndex = new Map(calibrated.map((id, j) => [id, j]));

  const table = answerTable(responses, itemIndex);
  const examinees = table.start.length - 1;
  const grid = quadrature(o.points, o.range);
  const priors = { a: o.priorA, b: o.priorB };

  const J = calibrated.length;
  const Q = o.points;
  const a = new Float64Array(J);
  const b = new Float64Array(J);
  startValues(calibrated, table, o.start, a, b);

  const counts: ExpectedCounts[] = calibrated.map(() => ({
    nodes: grid.nodes,
    r: new Float64Array(Q),
    n: new Float64Array(Q),
  }));
  const lastChange = new Float64Array(J).fill(Infinity);
  const mStepConverged = new Uint8Array(J);
  const seA = new Float64Array(J).fill(Number.NaN);
  const seB = new Float64Array(J).fill(Number.NaN);
  const newtonTolerance = Math.min(o.tolerance / 10, 1e-6);

  let iterations = 0;
  let converged = J === 0;
  while (!converged && iterations < o.maxIterations) {
    iterations++;
    eStep(table, grid, a, b, counts);
    let largest = 0;
    for (let j = 0; j < J; j++) {
      const m = maximiseItem(counts[j]!, a[j]!, b[j]!, priors, newtonTolerance);
      const change = Math.max(Math.abs(m.a - a[j]!), Math.abs(m.b - b[j]!));
      lastChange[j] = change;
      largest = Math.max(largest, change);
      a[j] = m.a;
      b[j] = m.b;
      seA[j] = m.seA;
      seB[j] = m.seB;
      mStepConverged[j] = m.converged ? 1 : 0;
    }
    converged = largest < o.tolerance;
  }

  // One more E-step at the final parameters: the reported log-likelihood and the item fit must
  // describe the parameters returned, not those of the previous cycle.
  const logLikelihood = J === 0 ? 0 : eStep(table, grid, a, b, counts);
  const fitAnswers = J === 0 ? [] : leaveOneOutPredictions(table, grid, a, b);

  const items = itemIds.map((id): CalibratedItem => {
    const answers = answersPerItem.get(id)!;
    const j = itemIndex.get(id);
    if (j === undefined) {
      const current = o.start?.get(id);
      return {
        item: id,
        status: 'insufficient_data',
        answers,
        parameters: current === undefined ? null : { ...current },
        standardErrors: null,
        flags: [],
        fit: null,
      };
    }
    const fit = itemFit(fitAnswers[j]!, o.fitGroups, MIN_FIT_GROUP_SIZE);
    const flags: CalibrationFlag[] = [];
    if (a[j]! < o.lowDiscrimination) flags.push('low_discrimination');
    if (fit !== null && fit.pValue < o.misfitPValue && fit.rmsd > o.misfitRmsd) flags.push('misfit');
    if (Math.abs(b[j]!) > o.extremeDifficulty) flags.push('extreme_difficulty');
    const itemConverged =
      mStepConverged[j] === 1 &&
      lastChange[j]! < o.tolerance &&
      Number.isFinite(a[j]!) &&
      Number.isFinite(b[j]!) &&
      Number.isFinite(seA[j]!) &&
      Number.isFinite(seB[j]!);
    if (!itemConverged) flags.push('did_not_converge');
    return {
      item: id,
      status: 'calibrated',
      answers,
      parameters: { a: a[j]!, b: b[j]!, c: 0 },
      standardErrors: { a: seA[j]!, b: seB[j]! },
      flags,
      fit,
    };
  });

  return {
    items,
    logLikelihood,
    iterations,
    converged,
    examinees,
    answersUsed: table.item.length,
  };
}

/** Code-unit order, independent of the locale (a locale-aware sort could differ between hosts). */
function compareIds(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validate(o: Required<Omit<CalibrationOptions, 'start'>> & Pick<CalibrationOptions, 'start'>): void {
  const positiveInteger = (name: string, value: number, min: number): void => {
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(`calibrate2pl: ${name} must be an integer ≥ ${min}`);
    }
  };
  positiveInteger('maxIterations', o.maxIterations, 1);
  positiveInteger('minAnswers', o.minAnswers, 1);
  positiveInteger('points', o.points, 5);
  positiveInteger('fitGroups', o.fitGroups, 3);
  if (!(o.tolerance > 0)) throw new RangeError('calibrate2pl: tolerance must be > 0');
  if (!(o.range > 0)) throw new RangeError('calibrate2pl: range must be > 0');
  if (o.priorA !== null && !(o.priorA.sdLog > 0)) throw new RangeError('calibrate2pl: priorA.sdLog must be > 0');
  if (o.priorB !== null && !(o.priorB.sd > 0)) throw new RangeError('calibrate2pl: priorB.sd must be > 0');
}

/** Evenly spaced nodes on [−range, range] with normalised N(0, 1) density weights (as logs). */
function quadrature(points: number, range: number): Grid {
  const nodes = new Float64Array(points);
  const logWeights = new Float64Array(points);
  let total = 0;
  for (let k = 0; k < points; k++) {
    const x = -range + (2 * range * k) / (points - 1);
    nodes[k] = x;
    total += Math.exp(-0.5 * x * x);
  }
  for (let k = 0; k < points; k++) logWeights[k] = -0.5 * nodes[k]! * nodes[k]! - Math.log(total);
  return { nodes, logWeights };
}

/** Keeps the answers to calibrated items, grouped by examinee in order of first appearance. */
function answerTable(responses: readonly CalibrationResponse[], itemIndex: Map<string, number>): AnswerTable {
  const examineeIndex = new Map<string, number>();
  const owner: number[] = [];
  const kept: number[] = [];
  for (let i = 0; i < responses.length; i++) {
    const response = responses[i]!;
    if (!itemIndex.has(response.item)) continue;
    let e = examineeIndex.get(response.examinee);
    if (e === undefined) {
      e = examineeIndex.size;
      examineeIndex.set(response.examinee, e);
    }
    owner.push(e);
    kept.push(i);
  }
  const start = new Int32Array(examineeIndex.size + 1);
  for (const e of owner) start[e + 1]!++;
  for (let e = 0; e < examineeIndex.size; e++) start[e + 1]! += start[e]!;
  const cursor = start.slice(0, examineeIndex.size);
  const item = new Int32Array(kept.length);
  const correct = new Uint8Array(kept.length);
  for (let i = 0; i < kept.length; i++) {
    const response = responses[kept[i]!]!;
    const at = cursor[owner[i]!]!++;
    item[at] = itemIndex.get(response.item)!;
    correct[at] = response.correct;
  }
  return { start, item, correct };
}

/**
 * Start values: the item's current parameters when given and usable; otherwise a = 1 and the b
 * that reproduces the item's proportion correct in a N(0, 1) population (probit–logit
 * approximation E[σ(X)] ≈ σ(μ / √(1 + πs²/8)) for X ~ N(μ, s²)).
 */
function startValues(
  items: string[],
  table: AnswerTable,
  current: ReadonlyMap<string, ItemParameters> | undefined,
  a: Float64Array,
  b: Float64Array,
): void {
  const right = new Float64Array(items.length);
  const total = new Float64Array(items.length);
  for (let i = 0; i < table.item.length; i++) {
    right[table.item[i]!]! += table.correct[i]!;
    total[table.item[i]!]!++;
  }
  items.forEach((id, j) => {
    const given = current?.get(id);
    if (given !== undefined && given.a > 0 && Number.isFinite(given.a) && Number.isFinite(given.b)) {
      a[j] = given.a;
      b[j] = given.b;
      return;
    }
    const p = Math.min(0.99, Math.max(0.01, right[j]! / total[j]!));
    a[j] = 1;
    b[j] = -Math.log(p / (1 - p)) * Math.sqrt(1 + Math.PI / 8);
  });
}

/** ln P and ln(1 − P) of every calibrated item at every node, item-major. */
function logTables(grid: Grid, a: Float64Array, b: Float64Array): { logP: Float64Array; logQ: Float64Array } {
  const Q = grid.nodes.length;
  const logP = new Float64Array(a.length * Q);
  const logQ = new Float64Array(a.length * Q);
  for (let j = 0; j < a.length; j++) {
    for (let k = 0; k < Q; k++) {
      const z = a[j]! * (grid.nodes[k]! - b[j]!);
      logP[j * Q + k] = -softplus(-z);
      logQ[j * Q + k] = -softplus(z);
    }
  }
  return { logP, logQ };
}

/**
 * Fills the expected counts and returns the marginal log-likelihood
 * Σ_e ln Σ_k w_k Π_j P_j(θ_k)^u (1 − P_j(θ_k))^(1−u).
 */
function eStep(table: AnswerTable, grid: Grid, a: Float64Array, b: Float64Array, counts: ExpectedCounts[]): number {
  const Q = grid.nodes.length;
  const { logP, logQ } = logTables(grid, a, b);
  for (const c of counts) {
    c.r.fill(0);
    c.n.fill(0);
  }
  const row = new Float64Array(Q);
  let logLikelihood = 0;
  for (let e = 0; e + 1 < table.start.length; e++) {
    const from = table.start[e]!;
    const to = table.start[e + 1]!;
    row.set(grid.logWeights);
    for (let i = from; i < to; i++) {
      const source = table.correct[i] === 1 ? logP : logQ;
      const offset = table.item[i]! * Q;
      for (let k = 0; k < Q; k++) row[k]! += source[offset + k]!;
    }
    const sum = normaliseLogRow(row);
    logLikelihood += sum;
    for (let i = from; i < to; i++) {
      const c = counts[table.item[i]!]!;
      const n = c.n;
      for (let k = 0; k < Q; k++) n[k]! += row[k]!;
      if (table.correct[i] === 1) {
        const r = c.r;
        for (let k = 0; k < Q; k++) r[k]! += row[k]!;
      }
    }
  }
  return logLikelihood;
}

/** Turns a row of log values into normalised weights in place; returns ln Σ exp(row). */
function normaliseLogRow(row: Float64Array): number {
  let max = -Infinity;
  for (let k = 0; k < row.length; k++) if (row[k]! > max) max = row[k]!;
  let total = 0;
  for (let k = 0; k < row.length; k++) {
    const w = Math.exp(row[k]! - max);
    row[k] = w;
    total += w;
  }
  for (let k = 0; k < row.length; k++) row[k]! /= total;
  return max + Math.log(total);
}

/**
 * For every answer, the examinee's EAP ability and predicted probability of answering this item
 * correctly, both from their posterior given their other answers; grouped by item. The posterior
 * without item j is the full one divided by item j's likelihood at each node (P or 1 − P, floored
 * far below anything a finite a and b within the grid can reach, so never 0).
 */
function leaveOneOutPredictions(table: AnswerTable, grid: Grid, a: Float64Array, b: Float64Array): FitAnswer[][] {
  const Q = grid.nodes.length;
  const { logP, logQ } = logTables(grid, a, b);
  const p = logP.map((x) => Math.max(Math.exp(x), 1e-300));
  const q = logQ.map((x) => Math.max(Math.exp(x), 1e-300));
  const byItem: FitAnswer[][] = Array.from({ length: a.length }, () => []);
  const row = new Float64Array(Q);
  for (let e = 0; e + 1 < table.start.length; e++) {
    const from = table.start[e]!;
    const to = table.start[e + 1]!;
    row.set(grid.logWeights);
    for (let i = from; i < to; i++) {
      const source = table.correct[i] === 1 ? logP : logQ;
      const offset = table.item[i]! * Q;
      for (let k = 0; k < Q; k++) row[k]! += source[offset + k]!;
    }
    normaliseLogRow(row);
    for (let i = from; i < to; i++) {
      const likelihood = table.correct[i] === 1 ? p : q;
      const offset = table.item[i]! * Q;
      let total = 0;
      let theta = 0;
      let predicted = 0;
      for (let k = 0; k < Q; k++) {
        const w = row[k]! / likelihood[offset + k]!;
        total += w;
        theta += w * grid.nodes[k]!;
        predicted += w * p[offset + k]!;
      }
      byItem[table.item[i]!]!.push({ theta: theta / total, predicted: predicted / total, correct: table.correct[i]! });
    }
  }
  return byItem;
}
