/**
 * Exposure control by prices: a closed loop over the tests taken.
 *
 * Each item carries a price (select.ts divides its information by 1 + price). When a test ends,
 * every item of the bank it drew from moves: price ← clamp(price + step × (given − target), 0,
 * MAX_PRICE), where `given` is 1 for the items the test gave and 0 for the others. An item given in
 * more than `target` of the tests gets dearer until it is not; one given less gets cheaper until
 * its price is back at 0. In the long run each item's rate is at most the target (its price stops
 * rising only there), and the prices are those of the linear programme « fewest items for the
 * precision, no item in more than the target share of tests »: a dear item is kept for the
 * examinees at whose level it is much better than the others.
 *
 * Why a loop and not parameters computed once. Sympson–Hetter parameters (what this replaced) are
 * computed by simulation and then fixed: they bound the rate only for the population simulated, an
 * iteration that is noisy near the cap (a 0.20 target was needed to stay under 0.25), and they
 * refuse an item at random whoever the examinee. The loop reads the real tests, so it holds the
 * target for the agents who actually take them, whatever their level; `entente skills calibrate`
 * still simulates tests to start new parameters near their prices (warmPrices), so that the first
 * real tests after a calibration are already controlled. Measured by bench/cat (400-item synthetic
 * bank, 10,000 examinees, target 0.24): most-used item 0.241 for 16.7 items on average, against
 * 18.3 items at 0.22 for Sympson–Hetter and 15.1 at 0.70 for pure maximum information.
 *
 * The engine's step stays pure: prices are part of the bank it is given.
 */
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions, step } from './engine.ts';
import { probability } from './irt.ts';
import { mulberry32, normalSampler } from './random.ts';
import type { BankItem, Response } from './types.ts';

export interface ExposureControl {
  /** Share of tests an item may appear in, in the long run. */
  targetRate: number;
  /** How far one test moves a price: small, so that prices follow the rates and not one test. */
  step: number;
}

/**
 * Issue 8's cap is 0.25: the loop holds its target within about 0.01 (bench/cat: 0.241 over
 * 10,000 tests at 0.24; 0.246 over 3,000). A step of 0.02 follows a change of the bank within a
 * few hundred tests and keeps the prices steady (0.01 gave the same figures).
 */
export const EXPOSURE_CONTROL: ExposureControl = { targetRate: 0.24, step: 0.02 };

/**
 * A price at which an item is given only when nothing else is left. Bounding it keeps an item
 * that every test must give (an area of a handful of items) from building up a price that would
 * take thousands of tests to come down once the bank grows.
 */
export const MAX_PRICE = 10;

export function assertExposureControl(control: ExposureControl): void {
  if (!(control.targetRate > 0 && control.targetRate <= 1)) throw new RangeError('targetRate must be in (0, 1]');
  if (!(control.step > 0 && control.step <= 1)) throw new RangeError('step must be in (0, 1]');
}

/** One test's move of a price (see the file comment). */
export function nextPrice(price: number, given: boolean, control: ExposureControl): number {
  return Math.min(MAX_PRICE, Math.max(0, price + control.step * ((given ? 1 : 0) - control.targetRate)));
}

/** The bank with every item's price moved by one test that gave `given`. */
export function afterTest(bank: readonly BankItem[], given: ReadonlySet<string>, control: ExposureControl = EXPOSURE_CONTROL): BankItem[] {
  return bank.map((item) => ({ ...item, price: nextPrice(item.price ?? 0, given.has(item.id), control) }));
}

type SimulationOptions = Partial<Omit<EngineOptions, 'random'>>;

/** One simulated test of an examinee at `theta`: the items given, in order. */
function simulatedTest(bank: readonly BankItem[], theta: number, seed: number, options: SimulationOptions): string[] {
  const byId = new Map(bank.map((item) => [item.id, item]));
  const random = mulberry32(seed);
  const answers = mulberry32(seed ^ 0x5bd1e995);
  const responses: Response[] = [];
  for (;;) {
    const result = step(bank, responses, { ...options, random });
    const item = result.done ? undefined : byId.get(result.next);
    if (!item) return responses.map((r) => r.itemId);
    responses.push({ itemId: item.id, correct: answers() < probability(theta, item) });
  }
}

/** Administration rate of every item of `bank` over simulated examinees, prices held fixed. */
export function administrationRates(bank: readonly BankItem[], examinees: number, seed: number, options: SimulationOptions = {}): Map<string, number> {
  const prior = options.prior ?? DEFAULT_ENGINE_OPTIONS.prior;
  const normal = normalSampler(mulberry32(seed));
  const counts = new Map<string, number>(bank.map((item) => [item.id, 0]));
  for (let e = 0; e < examinees; e++) {
    for (const id of simulatedTest(bank, normal(prior.mean, prior.sd), seed + 7919 * (e + 1), options)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return new Map([...counts].map(([id, count]) => [id, count / examinees]));
}

/** Simulated tests `entente skills calibrate` warms the prices over (bench/cat: 2,000 settle a 400-item bank). */
export const DEFAULT_WARM_EXAMINEES = 2000;

export interface WarmPrices {
  examinees: number;
  seed: number;
  /** The engine options the tests run under (defaults otherwise; `random` is the simulation's own). */
  options?: SimulationOptions;
  control?: ExposureControl;
}

export interface WarmPricesResult {
  /** The bank with the prices reached (every item has one). */
  bank: BankItem[];
  /** Highest administration rate over the second half of the simulated tests (the first half settles the prices). */
  maxRate: number;
  /** Items whose price is above 0 at the end. */
  priced: number;
}

/**
 * Runs the loop over simulated examinees drawn from the prior, from the bank's current prices
 * (0 where absent): what `entente skills calibrate` does after new parameters, so that real tests
 * start near the prices the loop would reach.
 */
export function warmPrices(bank: readonly BankItem[], settings: WarmPrices): WarmPricesResult {
  const { examinees, seed, options = {}, control = EXPOSURE_CONTROL } = settings;
  assertExposureControl(control);
  if (!(Number.isInteger(examinees) && examinees >= 2)) throw new RangeError('examinees must be an integer ≥ 2');
  const prior = options.prior ?? DEFAULT_ENGINE_OPTIONS.prior;
  const normal = normalSampler(mulberry32(seed));
  let current: BankItem[] = bank.map((item) => ({ ...item, price: item.price ?? 0 }));
  const counted = Math.floor(examinees / 2);
  const counts = new Map<string, number>();
  for (let e = 0; e < examinees; e++) {
    const given = new Set(simulatedTest(current, normal(prior.mean, prior.sd), seed + 7919 * (e + 1), options));
    if (e >= examinees - counted) for (const id of given) counts.set(id, (counts.get(id) ?? 0) + 1);
    current = afterTest(current, given, control);
  }
  return { bank: current, maxRate: Math.max(0, ...counts.values()) / counted, priced: current.filter((item) => (item.price ?? 0) > 0).length };
}
