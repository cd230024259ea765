/**
 * Ability estimates from scored answers: EAP on a grid (what the test stops on) and maximum
 * likelihood (reported for comparison with other implementations, and for its standard error
 * 1/√I(θ̂)). Everything works on log-likelihoods: a product of 40 probabilities underflows far
 * from the middle of the grid.
 */
import type { ItemParameters } from '../items/types.ts';
import { logProbabilities, testInformation } from './irt.ts';

/** One scored answer to an item of known parameters. */
export interface ScoredAnswer {
  item: ItemParameters;
  correct: boolean;
}

/** Quadrature grid for EAP: points min, min + step, …, max. */
export interface Grid {
  min: number;
  max: number;
  step: number;
}
/** Normal prior on θ. */
export interface Prior {
  mean: number;
  sd: number;
}

/**
 * −4…4 by 0.05 (161 points): the posterior of a 40-item test is never narrower than ~0.15, so
 * 0.05 keeps the mean and SD exact to ~1e-4, and a prior N(0, 1) puts only 6e-5 of its mass beyond ±4.
 */
export const DEFAULT_GRID: Grid = { min: -4, max: 4, step: 0.05 };
export const DEFAULT_PRIOR: Prior = { mean: 0, sd: 1 };
/** Bounds of the maximum-likelihood search: where all-correct and all-wrong patterns end. */
export const DEFAULT_ML_BOUNDS = { min: -6, max: 6 } as const;

export interface EapEstimate {
  /** Posterior mean. */
  theta: number;
  /** Posterior standard deviation (the test's stopping statistic). */
  sd: number;
}

export function gridPoints(grid: Grid): number[] {
  if (!(grid.step > 0 && grid.max > grid.min)) throw new RangeError('grid: step must be positive and max above min');
  const count = Math.round((grid.max - grid.min) / grid.step) + 1;
  // min + i·step rather than repeated addition, so the last point is max and not max ± rounding.
  return Array.from({ length: count }, (_, i) => grid.min + i * grid.step);
}

/** EAP estimate: the mean and SD of the posterior on the grid (prior × likelihood, normalised on the grid). */
export function eap(answers: readonly ScoredAnswer[], grid: Grid = DEFAULT_GRID, prior: Prior = DEFAULT_PRIOR): EapEstimate {
  if (!(prior.sd > 0)) throw new RangeError('prior: sd must be positive');
  const points = gridPoints(grid);
  const logPosterior = points.map((theta) => {
    const z = (theta - prior.mean) / prior.sd;
    let sum = -0.5 * z * z;
    for (const answer of answers) {
      const logs = logProbabilities(theta, answer.item);
      sum += answer.correct ? logs.correct : logs.wrong;
    }
    return sum;
  });
  // Subtracting the maximum before exp() keeps the largest weight at 1 whatever the length.
  let top = -Infinity;
  for (const value of logPosterior) if (value > top) top = value;
  let total = 0;
  let first = 0;
  let second = 0;
  for (const [i, theta] of points.entries()) {
    const weight = Math.exp((logPosterior[i] ?? -Infinity) - top);
    total += weight;
    first += weight * theta;
    second += weight * theta * theta;
  }
  const mean = first / total;
  return { theta: mean, sd: Math.sqrt(Math.max(0, second / total - mean * mean)) };
}

export interface MlEstimate {
  theta: number;
  /** 1/√I(θ̂), the test information at the estimate (Infinity where it is 0). */
  se: number;
  /** The likelihood has no interior maximum in the bounds (all correct, all wrong): θ̂ is the bound. */
  atBound: boolean;
}

function sumLogLikelihood(theta: number, answers: readonly ScoredAnswer[]): number {
  let sum = 0;
  for (const answer of answers) {
    const logs = logProbabilities(theta, answer.item);
    sum += answer.correct ? logs.correct : logs.wrong;
  }
  return sum;
}

/**
 * Maximum-likelihood estimate in [min, max] (default −6…6). All correct gives max, all wrong gives
 * min (the likelihood keeps rising towards the bound). Otherwise a scan by 0.1 finds the highest
 * point — which, unlike Newton's method, cannot be lured to a local maximum or a saddle of a 3PL
 * likelihood — then golden-section search refines it to 1e-9 within the neighbouring cells.
 */
export function maximumLikelihood(answers: readonly ScoredAnswer[], bounds: { min: number; max: number } = DEFAULT_ML_BOUNDS): MlEstimate {
  if (answers.length === 0) throw new RangeError('maximum likelihood needs at least one answer');
  const items = answers.map((answer) => answer.item);
  const finish = (theta: number, atBound: boolean): MlEstimate => ({ theta, se: 1 / Math.sqrt(testInformation(theta, items)), atBound });
  if (answers.every((answer) => answer.correct)) return finish(bounds.max, true);
  if (answers.every((answer) => !answer.correct)) return finish(bounds.min, true);

  const scanStep = 0.1;
  const steps = Math.ceil((bounds.max - bounds.min) / scanStep);
  let bestIndex = 0;
  let bestValue = -Infinity;
  for (let i = 0; i <= steps; i++) {
    const value = sumLogLikelihood(Math.min(bounds.max, bounds.min + i * scanStep), answers);
    if (value > bestValue) {
      bestValue = value;
      bestIndex = i;
    }
  }
  let low = Math.max(bounds.min, bounds.min + (bestIndex - 1) * scanStep);
  let high = Math.min(bounds.max, bounds.min + (bestIndex + 1) * scanStep);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let x1 = high - ratio * (high - low);
  let x2 = low + ratio * (high - low);
  let f1 = sumLogLikelihood(x1, answers);
  let f2 = sumLogLikelihood(x2, answers);
  while (high - low > 1e-9) {
    if (f1 < f2) {
      low = x1;
      x1 = x2;
      f1 = f2;
      x2 = low + ratio * (high - low);
      f2 = sumLogLikelihood(x2, answers);
    } else {
      high = x2;
      x2 = x1;
      f2 = f1;
      x1 = high - ratio * (high - low);
      f1 = sumLogLikelihood(x1, answers);
    }
  }
  const theta = (low + high) / 2;
  const edge = 1e-6;
  return finish(theta, theta - bounds.min < edge || bounds.max - theta < edge);
}
