// biome-ignore-all lint/style/noNonNullAssertion: numeric loops index typed arrays within their bounds; checking each read would cost the hot path for nothing
/**
 * Item fit for the calibration: a chi-square comparing, across groups of examinees ordered by
 * ability, the observed number of correct answers with the number the model predicts.
 *
 * The ability used to order examinees and the predicted probability both come from each
 * examinee's posterior given their OTHER answers (leave-this-item-out), so the item's own answer
 * does not pull the expected value towards the observed one. Given the other answers, each answer
 * is then a Bernoulli draw with the predicted probability, and
 *   X² = Σ_g (O_g − E_g)² / Σ_{i∈g} p_i (1 − p_i)
 * follows approximately a χ² with (groups − 2) degrees of freedom (two parameters estimated).
 */

export interface ItemFit {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /**
   * Root mean square of (observed − expected) proportion correct over the groups, weighted by
   * group size: the size of the misfit, which the p-value alone does not give on large samples.
   */
  rmsd: number;
  groups: FitGroup[];
}

export interface FitGroup {
  /** Mean leave-one-out EAP ability of the group. */
  theta: number;
  answers: number;
  observed: number;
  expected: number;
}

/** One answer to the item: ability and prediction from the examinee's other answers. */
export interface FitAnswer {
  theta: number;
  predicted: number;
  correct: number;
}

/**
 * Splits the answers, ordered by ability (ties in input order, for determinism), into `groups`
 * groups of near-equal size, fewer when that would leave fewer than `minGroupSize` answers in a
 * group. Null when fewer than 3 groups are possible (no degrees of freedom left).
 */
export function itemFit(answers: FitAnswer[], groups: number, minGroupSize: number): ItemFit | null {
  const count = Math.min(groups, Math.floor(answers.length / minGroupSize));
  if (count < 3) return null;
  const thetas = Float64Array.from(answers, (answer) => answer.theta);
  // Array.prototype.sort is stable: equal abilities keep their input order.
  const order = answers.map((_, i) => i).sort((i, j) => thetas[i]! - thetas[j]!);
  const result: FitGroup[] = [];
  let chiSquare = 0;
  let squares = 0;
  for (let g = 0; g < count; g++) {
    const from = Math.floor((g * answers.length) / count);
    const to = Math.floor(((g + 1) * answers.length) / count);
    let theta = 0;
    let observed = 0;
    let expected = 0;
    let variance = 0;
    for (let i = from; i < to; i++) {
      const answer = answers[order[i]!]!;
      theta += answer.theta;
      observed += answer.correct;
      expected += answer.predicted;
      variance += answer.predicted * (1 - answer.predicted);
    }
    const size = to - from;
    if (variance > 0) chiSquare += ((observed - expected) * (observed - expected)) / variance;
    squares += ((observed - expected) * (observed - expected)) / size;
    result.push({ theta: theta / size, answers: size, observed, expected });
  }
  const degreesOfFreedom = count - 2;
  return {
    chiSquare,
    degreesOfFreedom,
    pValue: chiSquareSurvival(chiSquare, degreesOfFreedom),
    rmsd: Math.sqrt(squares / answers.length),
    groups: result,
  };
}

/** P(X ≥ x) for X ~ χ²(df). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(x > 0)) return 1;
  return upperRegularisedGamma(df / 2, x / 2);
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const y = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < c.length; i++) sum += c[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Q(s, x) = Γ(s, x) / Γ(s): a series below s + 1, a continued fraction above. */
function upperRegularisedGamma(s: number, x: number): number {
  const logPrefix = s * Math.log(x) - x - logGamma(s);
  if (x < s + 1) {
    let term = 1 / s;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (s + n);
      sum += term;
    }
    return Math.max(0, 1 - Math.exp(logPrefix) * sum);
  }
  // Modified Lentz evaluation of the continued fraction for Γ(s, x).
  const tiny = 1e-300;
  let b = x + 1 - s;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 1000; n++) {
    const an = -n * (n - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}
