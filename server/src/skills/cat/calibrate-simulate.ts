import type { CalibrationResponse } from './calibrate.ts';
import { logistic } from './calibrate-item.ts';

/**
 * Seeded simulation of answers, for testing the calibration against known parameters (and for
 * benchmarks): a small PRNG of our own so that a seed gives the same answers on every machine.
 */

export interface Random {
  /** Uniform on [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
}

/** Mulberry32: 32-bit state, good enough statistically for simulation, and fully reproducible. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { next, normal };
}

/** A simulated item: its id and its probability of a correct answer at ability θ. */
export interface SimulatedItem {
  id: string;
  probability: (theta: number) => number;
}

export function twoPlItem(id: string, a: number, b: number): SimulatedItem {
  return { id, probability: (theta) => logistic(a * (theta - b)) };
}

/**
 * Answers of `examinees` examinees with θ ~ N(0, 1); each answers `perExaminee` items drawn at
 * random without replacement (all items when omitted).
 */
export function simulateAnswers(
  items: readonly SimulatedItem[],
  examinees: number,
  random: Random,
  perExaminee: number = items.length,
): { responses: CalibrationResponse[]; thetas: number[] } {
  const responses: CalibrationResponse[] = [];
  const thetas: number[] = [];
  for (let e = 0; e < examinees; e++) {
    const theta = random.normal();
    thetas.push(theta);
    // Draw without replacement: each pick is uniform among the items not yet given.
    const pool = [...items];
    for (let i = 0; i < perExaminee; i++) {
      const [item] = pool.splice(Math.floor(random.next() * pool.length), 1);
      if (item === undefined) break;
      responses.push({
        examinee: `e${e}`,
        item: item.id,
        correct: random.next() < item.probability(theta) ? 1 : 0,
      });
    }
  }
  return { responses, thetas };
}
