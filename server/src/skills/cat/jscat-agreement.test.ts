/**
 * Validation against an independent published implementation, `@bdelab/jscat` 5.2.3: same items,
 * same answers, our estimates and theirs.
 *
 * What jscat computes (read in node_modules/@bdelab/jscat/lib/cat.js and utils.js):
 *  - the same logistic 4PL function without the 1.7 constant (d = 1 here), Birnbaum's information;
 *  - EAP: posterior mean on the grid minTheta, minTheta + 0.1, …, maxTheta (a fixed 0.1 step) with
 *    the prior density 'norm' [mean, sd] — so we set our grid to −6…6 by 0.1 and the same prior;
 *  - MLE: Powell's method from θ = 0, unbounded, then clamped to [minTheta, maxTheta];
 *  - `seMeasurement` after either estimate: 1/√I(θ̂), the test information at the estimate — NOT
 *    the posterior SD, so it is compared with our 1/√testInformation(θ̂), and our posterior SD
 *    (which jscat does not compute) is checked elsewhere.
 *
 * Tolerances. EAP and its 1/√I are the same sums on the same grid, so only floating-point
 * summation order differs: 1e-9. ML: jscat's Powell search stops on a small change of the
 * log-likelihood, not of θ; near the maximum the log-likelihood is flat (it drops by I·Δθ²/2), so
 * jscat stops short of the maximum by up to about 1 % of the standard error (measured on these
 * patterns: ≤ 0.011 in θ with SE 1.4 on 5 items, ≤ 0.0016 with SE 0.6 on 40; its log-likelihood
 * is then ~1e-5 below ours). Hence: |Δθ̂| < 0.02 · SE(θ̂) and 1/√I within 2 % — far below what
 * could change a level (0.75 wide) — and, so that the tolerance only ever covers jscat falling
 * short, our θ̂ must have a log-likelihood at least as high as jscat's. Answers all
 * right or all wrong have no maximum: both return the bound (±6) in the 2PL; in the 3PL the
 * likelihood flattens (P → c) and Powell stops wherever it is flat, so there we check the
 * direction and that our bound is at least as likely.
 */
import { Cat } from '@bdelab/jscat';
import { describe, expect, it } from 'vitest';
import type { ItemParameters } from '../items/types.ts';
import { eap, type Grid, maximumLikelihood, type ScoredAnswer } from './estimate.ts';
import { logLikelihood, probability, testInformation } from './irt.ts';
import { mulberry32, normalSampler } from './random.ts';

const JSCAT_GRID: Grid = { min: -6, max: 6, step: 0.1 };

function items(count: number, seed: number, guessing: boolean): ItemParameters[] {
  const random = mulberry32(seed);
  const normal = normalSampler(random);
  return Array.from({ length: count }, () => ({ a: Math.exp(normal(Math.log(1.2), 0.3)), b: normal(0, 1.2), c: guessing ? 0.1 + 0.15 * random() : 0 }));
}

interface Case {
  name: string;
  items: ItemParameters[];
  correct: boolean[];
}

function cases(): Case[] {
  const list: Case[] = [];
  for (const [model, guessing] of [
    ['2PL', false],
    ['3PL', true],
  ] as const) {
    for (const length of [5, 10, 20, 40]) {
      const bank = items(length, 1000 * length + (guessing ? 7 : 0), guessing);
      const answers = mulberry32(length + (guessing ? 100 : 0));
      for (const theta of [-1.5, 0, 1.2]) {
        list.push({ name: `${model}, ${length} items, random answers at θ = ${theta}`, items: bank, correct: bank.map((item) => answers() < probability(theta, item)) });
      }
      const byDifficulty = bank.map((item, i) => ({ item, i })).sort((x, y) => x.item.b - y.item.b);
      const guttman = new Array<boolean>(length).fill(false);
      for (const { i } of byDifficulty.slice(0, Math.ceil(length / 2))) guttman[i] = true;
      list.push({ name: `${model}, ${length} items, easier half right`, items: bank, correct: guttman });
      list.push({ name: `${model}, ${length} items, alternating`, items: bank, correct: bank.map((_, i) => i % 2 === 0) });
      list.push({ name: `${model}, ${length} items, one wrong`, items: bank, correct: bank.map((_, i) => i !== 1) });
      list.push({ name: `${model}, ${length} items, all right`, items: bank, correct: bank.map(() => true) });
      list.push({ name: `${model}, ${length} items, all wrong`, items: bank, correct: bank.map(() => false) });
    }
  }
  return list;
}

function jscat(method: 'EAP' | 'MLE', testCase: Case): { theta: number; se: number } {
  const cat = new Cat({ method, minTheta: -6, maxTheta: 6, priorDist: 'norm', priorPar: [0, 1] });
  cat.updateAbilityEstimate(
    testCase.items.map((item) => ({ a: item.a, b: item.b, c: item.c, d: 1 })),
    testCase.correct.map((correct) => (correct ? 1 : 0)),
  );
  return { theta: cat.theta, se: cat.seMeasurement };
}

const answersOf = (testCase: Case): ScoredAnswer[] => testCase.items.map((item, i) => ({ item, correct: testCase.correct[i]! }));

describe('agreement with @bdelab/jscat', () => {
  const all = cases();

  it('covers 2PL and 3PL, 5 to 40 items, random and hand-picked patterns, nearly all with usable information', () => {
    expect(all.length).toBe(2 * 4 * 8);
    const informative = all.filter((c) => !c.correct.every(Boolean) && !c.correct.every((x) => !x) && maximumLikelihood(answersOf(c)).se <= 5);
    expect(informative.length).toBeGreaterThanOrEqual(40);
  });

  it.each(all.map((c) => [c.name, c] as const))('EAP θ̂ and 1/√I(θ̂): %s', (_, testCase) => {
    const ours = eap(answersOf(testCase), JSCAT_GRID, { mean: 0, sd: 1 });
    const theirs = jscat('EAP', testCase);
    expect(Math.abs(ours.theta - theirs.theta)).toBeLessThan(1e-9);
    const ourSe = 1 / Math.sqrt(testInformation(ours.theta, testCase.items));
    expect(Math.abs(ourSe - theirs.se) / theirs.se).toBeLessThan(1e-9);
  });

  it.each(all.map((c) => [c.name, c] as const))('ML θ̂ and 1/√I(θ̂): %s', (_, testCase) => {
    const answers = answersOf(testCase);
    const ours = maximumLikelihood(answers, { min: -6, max: 6 });
    const theirs = jscat('MLE', testCase);
    const likelihood = (theta: number) => answers.reduce((sum, answer) => sum + logLikelihood(theta, answer.item, answer.correct), 0);
    expect(likelihood(ours.theta)).toBeGreaterThanOrEqual(likelihood(theirs.theta) - 1e-12);
    const allRight = testCase.correct.every(Boolean);
    const allWrong = testCase.correct.every((correct) => !correct);
    if (allRight || allWrong) {
      expect(ours.atBound).toBe(true);
      expect(ours.theta).toBe(allRight ? 6 : -6);
      if (testCase.items.every((item) => item.c === 0)) expect(theirs.theta).toBe(ours.theta);
      else expect(Math.sign(theirs.theta)).toBe(Math.sign(ours.theta));
      return;
    }
    expect(ours.atBound).toBe(false);
    // A standard error above 5 means the answers carry no usable information (a flat likelihood):
    // where either search stops is then arbitrary, and only the likelihood check above applies.
    if (ours.se > 5) return;
    expect(Math.abs(ours.theta - theirs.theta)).toBeLessThan(0.02 * ours.se);
    expect(Math.abs(ours.se - theirs.se) / theirs.se).toBeLessThan(0.02);
  });
});
