/**
 * Sympson–Hetter exposure parameters for a bank, by simulation.
 *
 * Why: randomesque control draws among the k best items at every step, so it costs information on
 * every item of every test, and an examinee near the middle still meets the best items several
 * times as they stay in the top k. On the 400-item synthetic bank (bench/cat) randomesque needs
 * k ≈ 10 to bring the most-used item under 25 % of examinees, and tests grow by a third. Sympson–
 * Hetter restricts only the items that maximum information would overuse: each item carries a
 * probability of passing the filter, below 1 only for the overused ones, and everyone else's
 * choice stays the most informative item. Measured there (10,000 examinees): most-used item 0.22
 * for 18.3 items on average, against 20.4 items for randomesque 10 and 15.1 for pure maximum
 * information (which leaves it at 0.70); bench/cat prints the figures.
 *
 * How (the classic iteration, unconditional on θ): simulate examinees drawn from the prior with the
 * current parameters and count each item's administration rate P(A); then K ← min(1, K · r / P(A))
 * for the target rate r. Since P(A) = P(selected) · K, this is Sympson and Hetter's K = r / P(S)
 * without having to observe selections, and items that became rare get their K back towards 1.
 * The parameters hold for the options they were computed with (randomesque size, stopping rule,
 * area targets) and for a population like the prior: recompute them when the bank or its
 * calibration changes. The overall rate is what the target bounds; a conditional version (per θ
 * group) would bound it for every ability too, at a further cost in length.
 */
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions, step } from './engine.ts';
import { probability } from './irt.ts';
import { mulberry32, normalSampler } from './random.ts';
import type { BankItem, Response } from './types.ts';

/**
 * What `entente skills calibrate` computes and bench/cat measures (one setting, so that the figure
 * is the product's): a 0.20 target leaves margin under issue 8's 0.25 cap for sampling noise and
 * slow convergence. Measured on the 400-item synthetic bank (3,000 examinees): 0.22 with 8
 * iterations ended at 0.253, over the cap; 0.20 with 12 at 0.238; with 10,000, 0.220.
 */
export const DEFAULT_EXPOSURE_TARGET = { maxRate: 0.2, examinees: 1000, iterations: 12 } as const;

export interface ExposureCalibration {
  /** Target maximum exposure rate: share of examinees who see an item (0.20 for a 0.25 cap with margin). */
  maxRate: number;
  /** Simulated examinees per iteration (θ from the prior). */
  examinees: number;
  iterations: number;
  seed: number;
  /** The engine options the parameters are for (defaults otherwise; `random` is the simulation's own). */
  options?: Partial<Omit<EngineOptions, 'random'>>;
}

export interface ExposureResult {
  /** The bank with `exposure` set on every item (1 where no restriction is needed). */
  bank: BankItem[];
  /** Highest administration rate seen at each iteration (before that iteration's update). */
  maxRates: number[];
}

/** Administration rate of every item of `bank` over simulated examinees. */
export function administrationRates(bank: readonly BankItem[], examinees: number, seed: number, options: Partial<Omit<EngineOptions, 'random'>> = {}): Map<string, number> {
  const prior = options.prior ?? DEFAULT_ENGINE_OPTIONS.prior;
  const normal = normalSampler(mulberry32(seed));
  const byId = new Map(bank.map((item) => [item.id, item]));
  const counts = new Map<string, number>(bank.map((item) => [item.id, 0]));
  for (let e = 0; e < examinees; e++) {
    const theta = normal(prior.mean, prior.sd);
    const random = mulberry32(seed + 7919 * (e + 1));
    const answers = mulberry32(seed + 104729 * (e + 1));
    const responses: Response[] = [];
    for (;;) {
      const result = step(bank, responses, { ...options, random });
      const item = result.done ? undefined : byId.get(result.next);
      if (!item) break;
      counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
      responses.push({ itemId: item.id, correct: answers() < probability(theta, item) });
    }
  }
  return new Map([...counts].map(([id, count]) => [id, count / examinees]));
}

export function sympsonHetter(bank: readonly BankItem[], calibration: ExposureCalibration): ExposureResult {
  const { maxRate, examinees, iterations, seed, options = {} } = calibration;
  if (!(maxRate > 0 && maxRate <= 1)) throw new RangeError('maxRate must be in (0, 1]');
  if (!(Number.isInteger(examinees) && examinees >= 1 && Number.isInteger(iterations) && iterations >= 1)) throw new RangeError('examinees and iterations must be integers ≥ 1');
  let current = bank.map((item) => ({ ...item, exposure: 1 }));
  const maxRates: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    // A new sample each time, so the parameters do not fit one sample's accidents.
    const rates = administrationRates(current, examinees, seed + 15485863 * iteration, options);
    maxRates.push(Math.max(...rates.values()));
    current = current.map((item) => {
      const rate = rates.get(item.id) ?? 0;
      return { ...item, exposure: rate > 0 ? Math.min(1, (item.exposure * maxRate) / rate) : 1 };
    });
  }
  return { bank: current, maxRates };
}
