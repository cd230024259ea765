// biome-ignore-all lint/style/noNonNullAssertion: numeric loops index typed arrays within their bounds; checking each read would cost the hot path for nothing
/**
 * The M-step of the 2PL calibration for one item: maximise, over (a, b), the expected complete-data
 * log-likelihood at the quadrature nodes plus the log priors, by Newton–Raphson. Kept apart from
 * the cat engine's own IRT functions on purpose (the calibration is an operator job that must not
 * change when the engine's hot path is tuned), hence its own small logistic helpers.
 */

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** The logistic function 1 / (1 + e^−x), stable for large |x|. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Log-normal prior on a: ln a ~ N(meanLog, sdLog²). */
export interface LogNormalPrior {
  meanLog: number;
  sdLog: number;
}

/** Normal prior on b: b ~ N(mean, sd²). */
export interface NormalPrior {
  mean: number;
  sd: number;
}

export interface ItemPriors {
  /** null: no prior on a (plain maximum likelihood; a may run away on sparse data). */
  a: LogNormalPrior | null;
  b: NormalPrior | null;
}

/** Expected counts of one item at each quadrature node: r̄_k (correct) and n̄_k (answers). */
export interface ExpectedCounts {
  nodes: Float64Array;
  r: Float64Array;
  n: Float64Array;
}

export interface MStepResult {
  a: number;
  b: number;
  /** From the inverse of the negative Hessian of the penalised objective; NaN if singular. */
  seA: number;
  seB: number;
  converged: boolean;
}

/** Penalised objective: expected log-likelihood + log prior densities (up to constants). */
export function itemObjective(counts: ExpectedCounts, a: number, b: number, priors: ItemPriors): number {
  if (!(a > 0)) return -Infinity;
  const { nodes, r, n } = counts;
  let value = 0;
  for (let k = 0; k < nodes.length; k++) {
    const z = a * (nodes[k]! - b);
    const rk = r[k]!;
    // r log P + (n − r) log(1 − P), with log P = −softplus(−z) and log(1 − P) = −softplus(z).
    value -= rk * softplus(-z) + (n[k]! - rk) * softplus(z);
  }
  return value + logPriorA(a, priors.a) + logPriorB(b, priors.b);
}

function logPriorA(a: number, prior: LogNormalPrior | null): number {
  if (prior === null) return 0;
  const u = (Math.log(a) - prior.meanLog) / prior.sdLog;
  // The log-normal density in a itself (with its 1/a), as BILOG-style programs use: it vanishes
  // as a → 0, which keeps a strictly positive without any clamp.
  return -Math.log(a) - 0.5 * u * u;
}

function logPriorB(b: number, prior: NormalPrior | null): number {
  if (prior === null) return 0;
  const u = (b - prior.mean) / prior.sd;
  return -0.5 * u * u;
}

interface Derivatives {
  ga: number;
  gb: number;
  /** Second derivatives of the objective (observed Hessian). */
  haa: number;
  hab: number;
  hbb: number;
  /** Negative expected (Fisher) information of the likelihood part, plus the priors: always ≤ 0. */
  faa: number;
  fab: number;
  fbb: number;
}

function derivatives(counts: ExpectedCounts, a: number, b: number, priors: ItemPriors): Derivatives {
  const { nodes, r, n } = counts;
  let sumE = 0; // Σ e_k, e_k = r_k − n_k P_k
  let sumEd = 0; // Σ e_k d_k, d_k = θ_k − b
  let sumW = 0; // Σ W_k, W_k = n_k P_k (1 − P_k)
  let sumWd = 0;
  let sumWdd = 0;
  for (let k = 0; k < nodes.length; k++) {
    const d = nodes[k]! - b;
    const p = logistic(a * d);
    const nk = n[k]!;
    const e = r[k]! - nk * p;
    const w = nk * p * (1 - p);
    sumE += e;
    sumEd += e * d;
    sumW += w;
    sumWd += w * d;
    sumWdd += w * d * d;
  }
  // z = a(θ − b): ∂z/∂a = d, ∂z/∂b = −a, ∂²z/∂a∂b = −1.
  let ga = sumEd;
  let gb = -a * sumE;
  let haa = -sumWdd;
  const hab = -sumE + a * sumWd;
  let hbb = -a * a * sumW;
  let faa = -sumWdd;
  const fab = a * sumWd;
  let fbb = -a * a * sumW;
  if (priors.a !== null) {
    const s2 = priors.a.sdLog * priors.a.sdLog;
    const v = Math.log(a) - priors.a.meanLog;
    ga += -1 / a - v / (s2 * a);
    const second = 1 / (a * a) - (1 - v) / (s2 * a * a);
    haa += second;
    // The log-normal density is not log-concave for large a; the scoring matrix takes only the
    // concave part so that it stays negative definite.
    faa += Math.min(second, 0);
  }
  if (priors.b !== null) {
    const s2 = priors.b.sd * priors.b.sd;
    gb += -(b - priors.b.mean) / s2;
    hbb += -1 / s2;
    fbb += -1 / s2;
  }
  return { ga, gb, haa, hab, hbb, faa, fab, fbb };
}

/** Newton step −H⁻¹g for a 2×2 symmetric H; null when H is not negative definite. */
function newtonStep(haa: number, hab: number, hbb: number, ga: number, gb: number): [number, number] | null {
  const det = haa * hbb - hab * hab;
  if (!(haa < 0 && det > 0)) return null;
  return [-(hbb * ga - hab * gb) / det, -(-hab * ga + haa * gb) / det];
}

/** Standard errors from the inverse of the negative observed Hessian (scoring matrix if singular). */
function standardErrors(d: Derivatives): [number, number] {
  for (const [haa, hab, hbb] of [
    [d.haa, d.hab, d.hbb],
    [d.faa, d.fab, d.fbb],
  ] as const) {
    const det = haa * hbb - hab * hab;
    if (haa < 0 && det > 0) return [Math.sqrt(-hbb / det), Math.sqrt(-haa / det)];
  }
  return [Number.NaN, Number.NaN];
}

const MAX_NEWTON_ITERATIONS = 50;
/** No single step moves a or b by more than this: Newton from a poor start can overshoot far. */
const MAX_STEP = 1;

/**
 * Maximises the penalised objective from (a0, b0). Each step is Newton's when the Hessian is
 * negative definite, Fisher scoring's otherwise, halved until the objective does not decrease and
 * a stays positive.
 */
export function maximiseItem(
  counts: ExpectedCounts,
  a0: number,
  b0: number,
  priors: ItemPriors,
  tolerance: number,
): MStepResult {
  let a = a0;
  let b = b0;
  let value = itemObjective(counts, a, b, priors);
  let converged = false;
  for (let iteration = 0; iteration < MAX_NEWTON_ITERATIONS && !converged; iteration++) {
    const d = derivatives(counts, a, b, priors);
    const step =
      newtonStep(d.haa, d.hab, d.hbb, d.ga, d.gb) ?? newtonStep(d.faa, d.fab, d.fbb, d.ga, d.gb);
    if (step === null) break; // no information at all (cannot happen with a proper prior on b)
    let [da, db] = step;
    const longest = Math.max(Math.abs(da), Math.abs(db));
    if (longest > MAX_STEP) {
      da *= MAX_STEP / longest;
      db *= MAX_STEP / longest;
    }
    if (a + da <= 0) {
      const shrink = (0.5 * a) / -da;
      da *= shrink;
      db *= shrink;
    }
    let accepted = false;
    for (let halving = 0; halving < 40; halving++) {
      const next = itemObjective(counts, a + da, b + db, priors);
      if (next >= value - 1e-12 * Math.abs(value)) {
        a += da;
        b += db;
        value = next;
        accepted = true;
        break;
      }
      da /= 2;
      db /= 2;
    }
    // A Newton or scoring step is an ascent direction; when even a tiny part of it does not
    // increase the objective, we are at the maximum to the precision of a double.
    if (!accepted || Math.max(Math.abs(da), Math.abs(db)) < tolerance) converged = true;
  }
  const [seA, seB] = standardErrors(derivatives(counts, a, b, priors));
  return { a, b, seA, seB, converged };
}
