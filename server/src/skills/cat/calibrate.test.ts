import { beforeAll, describe, expect, it } from 'vitest';
import type { ItemParameters } from '../items/types.ts';
import { type CalibrationResponse, type CalibrationResult, calibrate2pl } from './calibrate.ts';
import { chiSquareSurvival, logGamma } from './calibrate-fit.ts';
import { logistic, maximiseItem } from './calibrate-item.ts';
import { type SimulatedItem, seededRandom, simulateAnswers, twoPlItem } from './calibrate-simulate.ts';

interface TrueItem {
  id: string;
  a: number;
  b: number;
}

/** 40 items as the synthetic bank: ln a ~ N(ln 1.2, 0.25²), b ~ N(0, 1). */
function trueBank(seed: number, count = 40): TrueItem[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, j) => ({
    id: `item-${String(j).padStart(2, '0')}`,
    a: 1.2 * Math.exp(0.25 * random.normal()),
    b: random.normal(),
  }));
}

function correlation(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function rmse(x: number[], y: number[]): number {
  return Math.sqrt(mean(x.map((v, i) => (v - y[i]!) ** 2)));
}

function mean(x: number[]): number {
  return x.reduce((s, v) => s + v, 0) / x.length;
}

function recovery(bank: TrueItem[], result: CalibrationResult) {
  const estimated = bank.map((t) => {
    const item = result.items.find((i) => i.item === t.id)!;
    expect(item.status).toBe('calibrated');
    return item;
  });
  const a = estimated.map((i) => i.parameters!.a);
  const b = estimated.map((i) => i.parameters!.b);
  const trueA = bank.map((t) => t.a);
  const trueB = bank.map((t) => t.b);
  return {
    corrA: correlation(trueA, a),
    corrB: correlation(trueB, b),
    rmseA: rmse(trueA, a),
    rmseB: rmse(trueB, b),
    meanSeA: mean(estimated.map((i) => i.standardErrors!.a)),
    meanSeB: mean(estimated.map((i) => i.standardErrors!.b)),
    estimated,
  };
}

describe('calibrate2pl: recovering known parameters', () => {
  const bank = trueBank(11);
  const items = bank.map((t) => twoPlItem(t.id, t.a, t.b));

  it('recovers a and b from complete data (40 items × 3,000 examinees) within seconds', () => {
    const { responses } = simulateAnswers(items, 3000, seededRandom(12));
    expect(responses).toHaveLength(120_000);
    const started = performance.now();
    const result = calibrate2pl(responses);
    const elapsed = performance.now() - started;
    // About 1 s on this 2-core machine when idle, 2 s under load; the bound leaves room for a
    // loaded CI machine while still catching an accidentally quadratic pass.
    expect(elapsed).toBeLessThan(15_000);

    expect(result.converged).toBe(true);
    expect(result.iterations).toBeGreaterThan(3);
    expect(result.iterations).toBeLessThan(200);
    expect(result.examinees).toBe(3000);
    expect(result.answersUsed).toBe(120_000);
    expect(Number.isFinite(result.logLikelihood)).toBe(true);
    expect(result.logLikelihood).toBeLessThan(0);

    const r = recovery(bank, result);
    // What a correct MML-EM reaches at this size (simulations over several seeds: corr b ≥ 0.998,
    // corr a ≥ 0.97, RMSE b ≤ 0.07, RMSE a ≤ 0.08).
    expect(r.corrB).toBeGreaterThan(0.99);
    expect(r.corrA).toBeGreaterThan(0.95);
    expect(r.rmseB).toBeLessThan(0.1);
    expect(r.rmseA).toBeLessThan(0.12);
    // The standard errors are of the right size: the M-step information ignores the uncertainty
    // about θ, so they run somewhat small, but not by more than this.
    expect(r.rmseA / r.meanSeA).toBeGreaterThan(0.7);
    expect(r.rmseA / r.meanSeA).toBeLessThan(1.6);
    expect(r.rmseB / r.meanSeB).toBeGreaterThan(0.7);
    expect(r.rmseB / r.meanSeB).toBeLessThan(1.6);

    for (const item of r.estimated) {
      expect(item.answers).toBe(3000);
      expect(item.parameters!.c).toBe(0);
      // Genuine 2PL items: no flag but, at the 1 % level of the fit rule, a rare false misfit.
      expect(item.flags.filter((f) => f !== 'misfit')).toEqual([]);
      expect(item.fit!.groups).toHaveLength(10);
    }
    expect(r.estimated.filter((i) => i.flags.includes('misfit')).length).toBeLessThanOrEqual(1);
    // Under the model the fit p-values are roughly uniform: the statistic is not inflated.
    const pValues = r.estimated.map((i) => i.fit!.pValue);
    expect(pValues.filter((p) => p < 0.05).length).toBeLessThanOrEqual(6);
    expect(mean(pValues)).toBeGreaterThan(0.3);
    expect(mean(pValues)).toBeLessThan(0.7);
  });

  it('recovers them, less precisely, when each examinee answers a random 15 of the 40', () => {
    const { responses } = simulateAnswers(items, 3000, seededRandom(13), 15);
    expect(responses).toHaveLength(45_000);
    const result = calibrate2pl(responses);
    expect(result.converged).toBe(true);
    const r = recovery(bank, result);
    // About 1,125 answers an item (simulations: corr b ≥ 0.994, corr a ≥ 0.92, RMSE ≤ 0.16).
    expect(r.corrB).toBeGreaterThan(0.98);
    expect(r.corrA).toBeGreaterThan(0.85);
    expect(r.rmseB).toBeLessThan(0.2);
    expect(r.rmseA).toBeLessThan(0.2);
    for (const item of r.estimated) expect(item.answers).toBeGreaterThan(900);
  });

  it('fixes the scale by the N(0, 1) prior: a more able sample makes every item look easier', () => {
    // θ ~ N(0.5, 1): on the calibration's scale these examinees have mean 0, so b moves by −0.5.
    const random = seededRandom(14);
    const responses: CalibrationResponse[] = [];
    for (let e = 0; e < 3000; e++) {
      const theta = 0.5 + random.normal();
      for (const t of bank) {
        const correct = random.next() < logistic(t.a * (theta - t.b)) ? 1 : 0;
        responses.push({ examinee: `e${e}`, item: t.id, correct });
      }
    }
    const r = recovery(bank, calibrate2pl(responses));
    const shift = mean(r.estimated.map((i, j) => i.parameters!.b - bank[j]!.b));
    expect(shift).toBeGreaterThan(-0.6);
    expect(shift).toBeLessThan(-0.4);
    expect(r.corrB).toBeGreaterThan(0.99);
  });

  it('is deterministic and starts from the current parameters when given', () => {
    const { responses } = simulateAnswers(items, 1000, seededRandom(15), 20);
    const first = calibrate2pl(responses);
    expect(calibrate2pl(responses)).toEqual(first);

    const current = new Map<string, ItemParameters>(
      first.items.map((i) => [i.item, { ...i.parameters!, c: 0.2 }]),
    );
    // Started at the solution (c is ignored), EM stops at once and stays there.
    const restarted = calibrate2pl(responses, { start: current });
    expect(restarted.iterations).toBeLessThanOrEqual(2);
    for (const item of restarted.items) {
      const before = first.items.find((i) => i.item === item.item)!.parameters!;
      expect(item.parameters!.a).toBeCloseTo(before.a, 2);
      expect(item.parameters!.b).toBeCloseTo(before.b, 2);
      expect(item.parameters!.c).toBe(0);
    }
  });
});

describe('calibrate2pl: flags', () => {
  const bank = trueBank(21, 34);
  const odd: SimulatedItem[] = [
    twoPlItem('weak', 0.15, 0.3),
    // Correct with probability 0.5 whatever the ability.
    { id: 'coin', probability: () => 0.5 },
    // The abler the examinee, the likelier a wrong answer (e.g. a wrong answer key).
    twoPlItem('reversed', -1.2, 0),
    // Non-monotone: best in the middle of the scale.
    { id: 'bell', probability: (theta) => 0.2 + 0.6 * Math.exp(-theta * theta) },
    twoPlItem('very-hard', 1.5, 5.5),
  ];
  const provisional: ItemParameters = { a: 1, b: -0.7, c: 0 };
  let data: { responses: CalibrationResponse[]; result: CalibrationResult } | undefined;
  beforeAll(() => {
    const random = seededRandom(22);
    const { responses, thetas } = simulateAnswers(
      [...bank.map((t) => twoPlItem(t.id, t.a, t.b)), ...odd],
      3000,
      random,
    );
    // A new item only the first 150 examinees met, with provisional parameters.
    for (let e = 0; e < 150; e++) {
      const correct = random.next() < logistic(thetas[e]! - 2) ? 1 : 0;
      responses.push({ examinee: `e${e}`, item: 'new', correct });
    }
    data = { responses, result: calibrate2pl(responses, { start: new Map([['new', provisional]]) }) };
  });
  const item = (id: string) => data!.result.items.find((i) => i.item === id)!;

  it('flags an item that barely discriminates (a = 0.15)', () => {
    expect(item('weak').parameters!.a).toBeLessThan(0.3);
    expect(item('weak').flags).toContain('low_discrimination');
  });

  it('flags items whose answers follow another curve', () => {
    expect(item('coin').flags).toContain('low_discrimination');
    expect(item('reversed').flags).toEqual(expect.arrayContaining(['low_discrimination', 'misfit']));
    expect(item('bell').flags).toContain('misfit');
    expect(item('bell').fit!.pValue).toBeLessThan(1e-6);
    expect(item('bell').fit!.rmsd).toBeGreaterThan(0.1);
    // The observed proportion correct is highest in the middle groups, as simulated.
    const groups = item('bell').fit!.groups;
    const proportion = (g: number) => groups[g]!.observed / groups[g]!.answers;
    expect(proportion(5)).toBeGreaterThan(proportion(0) + 0.2);
    expect(proportion(5)).toBeGreaterThan(proportion(9) + 0.2);
  });

  it('flags an item too hard for the population (b far beyond 4)', () => {
    expect(item('very-hard').parameters!.b).toBeGreaterThan(4);
    expect(item('very-hard').flags).toContain('extreme_difficulty');
  });

  it('leaves an item with too few answers out, unchanged, as insufficient_data', () => {
    expect(item('new')).toEqual({
      item: 'new',
      status: 'insufficient_data',
      answers: 150,
      parameters: provisional,
      standardErrors: null,
      flags: [],
      fit: null,
    });
    expect(data!.result.answersUsed).toBe(data!.responses.length - 150);
    // Without current parameters there is nothing to keep.
    const alone = calibrate2pl(data!.responses, { minAnswers: 151 });
    expect(alone.items.find((i) => i.item === 'new')!.parameters).toBeNull();
  });

  it('still recovers the genuine items, which are not flagged', () => {
    const r = recovery(bank, data!.result);
    expect(r.corrB).toBeGreaterThan(0.99);
    expect(r.rmseB).toBeLessThan(0.1);
    expect(r.rmseA).toBeLessThan(0.12);
    for (const i of r.estimated) expect(i.flags.filter((f) => f !== 'misfit')).toEqual([]);
    expect(r.estimated.filter((i) => i.flags.includes('misfit')).length).toBeLessThanOrEqual(1);
  });

  it('says which items did not converge when the iterations run out', () => {
    const cut = calibrate2pl(data!.responses, { maxIterations: 2 });
    expect(cut.converged).toBe(false);
    expect(cut.iterations).toBe(2);
    const calibrated = cut.items.filter((i) => i.status === 'calibrated');
    expect(calibrated.filter((i) => i.flags.includes('did_not_converge')).length).toBeGreaterThan(30);
    expect(data!.result.converged).toBe(true);
    expect(data!.result.items.every((i) => !i.flags.includes('did_not_converge'))).toBe(true);
  });
});

describe('calibrate2pl: input', () => {
  it('refuses an answer that is not 0 or 1 and options out of range', () => {
    const bad = [{ examinee: 'e', item: 'i', correct: 2 }] as unknown as CalibrationResponse[];
    expect(() => calibrate2pl(bad)).toThrow(RangeError);
    expect(() => calibrate2pl([], { tolerance: 0 })).toThrow(RangeError);
    expect(() => calibrate2pl([], { points: 3 })).toThrow(RangeError);
  });

  it('returns an empty calibration for no answers', () => {
    expect(calibrate2pl([])).toEqual({
      items: [],
      logLikelihood: 0,
      iterations: 0,
      converged: true,
      examinees: 0,
      answersUsed: 0,
    });
  });
});

describe('M-step', () => {
  it('finds the exact parameters from exact expected counts (no priors)', () => {
    const nodes = Float64Array.from({ length: 41 }, (_, k) => -4 + k * 0.2);
    const n = nodes.map((x) => 1000 * Math.exp(-0.5 * x * x));
    const r = n.map((nk, k) => nk * logistic(1.7 * (nodes[k]! - 0.6)));
    const m = maximiseItem({ nodes, r, n }, 0.5, -2, { a: null, b: null }, 1e-10);
    expect(m.converged).toBe(true);
    expect(m.a).toBeCloseTo(1.7, 8);
    expect(m.b).toBeCloseTo(0.6, 8);
    expect(m.seA).toBeGreaterThan(0);
    expect(m.seB).toBeGreaterThan(0);
  });

  it('keeps a finite and positive with the priors when the answers are all correct', () => {
    const nodes = Float64Array.from({ length: 41 }, (_, k) => -4 + k * 0.2);
    const n = nodes.map((x) => 10 * Math.exp(-0.5 * x * x));
    const m = maximiseItem(
      { nodes, r: n.slice(), n },
      1,
      0,
      { a: { meanLog: 0, sdLog: 0.5 }, b: { mean: 0, sd: 2 } },
      1e-10,
    );
    expect(m.converged).toBe(true);
    expect(m.a).toBeGreaterThan(0);
    expect(m.a).toBeLessThan(5);
    expect(m.b).toBeLessThan(-2);
    expect(m.b).toBeGreaterThan(-20);
  });
});

describe('chi-square survival', () => {
  it('matches known values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(chiSquareSurvival(3, 2)).toBeCloseTo(Math.exp(-1.5), 12);
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(20.090235, 8)).toBeCloseTo(0.01, 6);
    expect(chiSquareSurvival(2.732637, 8)).toBeCloseTo(0.95, 6);
    expect(chiSquareSurvival(0, 8)).toBe(1);
  });
});
