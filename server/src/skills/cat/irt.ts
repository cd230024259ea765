/**
 * Item response functions of the 3PL model (2PL when c = 0) and their Fisher information.
 *
 * We use the plain logistic, P(θ) = c + (1 − c) / (1 + exp(−a(θ − b))), without the 1.7 scaling
 * constant that makes it close to the normal ogive: parameters calibrated by our own job and those
 * of `@bdelab/jscat` (our reference in tests) are on this logistic metric. Parameters taken from a
 * normal-ogive calibration must be converted (a × 1.7) before use.
 */
import type { ItemParameters } from '../items/types.ts';

/** log(1 + exp(x)) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Probability of a correct answer at ability θ. */
export function probability(theta: number, item: ItemParameters): number {
  return item.c + (1 - item.c) / (1 + Math.exp(-item.a * (theta - item.b)));
}

/**
 * log P and log(1 − P), computed so that neither becomes −Infinity far from b: a likelihood
 * summed over 40 items and hundreds of grid points must stay finite.
 */
export function logProbabilities(theta: number, item: ItemParameters): { correct: number; wrong: number } {
  const z = item.a * (theta - item.b);
  // 1 − P = (1 − c)(1 − σ(z)) and log(1 − σ(z)) = −softplus(z).
  const wrong = Math.log1p(-item.c) - softplus(z);
  // log σ(z) = −softplus(−z); with guessing, P ≥ c keeps the plain log finite.
  const correct = item.c === 0 ? -softplus(-z) : Math.log(item.c + (1 - item.c) / (1 + Math.exp(-z)));
  return { correct, wrong };
}

/** Log-likelihood of one answer. */
export function logLikelihood(theta: number, item: ItemParameters, correct: boolean): number {
  const logs = logProbabilities(theta, item);
  return correct ? logs.correct : logs.wrong;
}

/**
 * Fisher information of one item at θ, Birnbaum's formula for the 3PL:
 * I(θ) = a² · (Q / P) · ((P − c) / (1 − c))², which reduces to a² · P · Q when c = 0.
 */
export function information(theta: number, item: ItemParameters): number {
  const p = probability(theta, item);
  if (item.c === 0) return item.a * item.a * p * (1 - p);
  if (p <= 0) return 0;
  const ratio = (p - item.c) / (1 - item.c);
  return item.a * item.a * ((1 - p) / p) * ratio * ratio;
}

/** Test information: the sum of the items' information at θ. */
export function testInformation(theta: number, items: readonly ItemParameters[]): number {
  let total = 0;
  for (const item of items) total += information(theta, item);
  return total;
}

/** Throws on parameters the model cannot use (the bank must be checked before a test starts). */
export function assertValidParameters(item: ItemParameters, label: string): void {
  if (!(Number.isFinite(item.a) && item.a > 0)) throw new RangeError(`${label}: discrimination a must be a positive number (got ${item.a})`);
  if (!Number.isFinite(item.b)) throw new RangeError(`${label}: difficulty b must be a finite number (got ${item.b})`);
  if (!(Number.isFinite(item.c) && item.c >= 0 && item.c < 1)) throw new RangeError(`${label}: guessing c must be in [0, 1) (got ${item.c})`);
}
