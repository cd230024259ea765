import { describe, expect, it } from 'vitest';
import { DEFAULT_GRID, eap, gridPoints, maximumLikelihood } from './estimate.ts';
import { testInformation } from './irt.ts';

const item = (a: number, b: number, c = 0) => ({ a, b, c });

describe('grid', () => {
  it('runs from min to max by step, ending exactly on max', () => {
    const points = gridPoints(DEFAULT_GRID);
    expect(points).toHaveLength(161);
    expect(points[0]).toBe(-4);
    expect(points.at(-1)).toBe(4);
    expect(points[80]).toBeCloseTo(0, 12);
    expect(() => gridPoints({ min: 1, max: 0, step: 0.1 })).toThrow();
  });
});

describe('EAP', () => {
  it('returns the prior (discretised) without answers', () => {
    const none = eap([]);
    expect(none.theta).toBeCloseTo(0, 10);
    expect(none.sd).toBeCloseTo(1, 3);
    const shifted = eap([], DEFAULT_GRID, { mean: 0.5, sd: 0.8 });
    expect(shifted.theta).toBeCloseTo(0.5, 4);
    expect(shifted.sd).toBeCloseTo(0.8, 3);
  });

  it('moves up after a right answer, down after a wrong one, symmetrically', () => {
    const right = eap([{ item: item(1.5, 0), correct: true }]);
    const wrong = eap([{ item: item(1.5, 0), correct: false }]);
    expect(right.theta).toBeGreaterThan(0.3);
    expect(wrong.theta).toBeCloseTo(-right.theta, 10);
    expect(right.sd).toBeLessThan(1);
  });

  it('approaches 1/√(1 + I) for a long test (posterior ≈ normal)', () => {
    const answers = Array.from({ length: 40 }, (_, i) => ({ item: item(1.2, 0), correct: i % 2 === 0 }));
    const estimate = eap(answers);
    expect(Math.abs(estimate.theta)).toBeLessThan(0.05);
    expect(estimate.sd).toBeCloseTo(1 / Math.sqrt(1 + testInformation(0, answers.map((a) => a.item))), 2);
  });

  it('stays finite for 40 right answers to very easy items (log-likelihoods)', () => {
    const answers = Array.from({ length: 40 }, () => ({ item: item(2.5, -3), correct: true }));
    const estimate = eap(answers);
    expect(Number.isFinite(estimate.theta)).toBe(true);
    expect(estimate.theta).toBeGreaterThan(0);
  });
});

describe('maximum likelihood', () => {
  it('finds the maximum of a symmetric pattern at 0 with SE = 1/√I', () => {
    const answers = [
      { item: item(1, -1), correct: true },
      { item: item(1, 1), correct: false },
      { item: item(1.5, 0), correct: true },
      { item: item(1.5, 0), correct: false },
    ];
    const estimate = maximumLikelihood(answers);
    expect(estimate.theta).toBeCloseTo(0, 6);
    expect(estimate.atBound).toBe(false);
    expect(estimate.se).toBeCloseTo(1 / Math.sqrt(testInformation(0, answers.map((a) => a.item))), 6);
  });

  it('solves a one-item-each 2PL case by hand: one right, one wrong, same item → θ̂ = b', () => {
    const estimate = maximumLikelihood([
      { item: item(1.3, 0.8), correct: true },
      { item: item(1.3, 0.8), correct: false },
    ]);
    expect(estimate.theta).toBeCloseTo(0.8, 6);
  });

  it('returns the bounds for all right and all wrong, and says so', () => {
    const items = [item(1, 0), item(1.2, 1)];
    const right = maximumLikelihood(items.map((i) => ({ item: i, correct: true })));
    expect(right).toMatchObject({ theta: 6, atBound: true });
    expect(right.se).toBeGreaterThan(10);
    expect(maximumLikelihood(items.map((i) => ({ item: i, correct: false })), { min: -3, max: 3 })).toMatchObject({ theta: -3, atBound: true });
    expect(() => maximumLikelihood([])).toThrow();
  });
});
