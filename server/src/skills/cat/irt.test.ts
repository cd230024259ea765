import { describe, expect, it } from 'vitest';
import { assertValidParameters, information, logProbabilities, probability, testInformation } from './irt.ts';

// Reference values computed by hand (and checked with Python's math module), not by this code.
describe('3PL probability and information', () => {
  it('gives P = 0.5 and I = a²/4 at θ = b in the 2PL', () => {
    expect(probability(0.7, { a: 1.6, b: 0.7, c: 0 })).toBe(0.5);
    expect(information(0.7, { a: 1.6, b: 0.7, c: 0 })).toBeCloseTo(0.64, 12);
  });

  it('matches hand-computed 2PL values (no 1.7 constant)', () => {
    // z = 1.5 × (1 − 0.5) = 0.75; P = 1 / (1 + e^−0.75); I = a²PQ.
    expect(probability(1, { a: 1.5, b: 0.5, c: 0 })).toBeCloseTo(0.679178699175393, 12);
    expect(information(1, { a: 1.5, b: 0.5, c: 0 })).toBeCloseTo(0.4902637359640816, 12);
  });

  it('matches hand-computed 3PL values (Birnbaum)', () => {
    // a = 1.2, b = 0, c = 0.2 at θ = 0: P = 0.2 + 0.8 × 0.5 = 0.6; I = 1.44 × (0.4/0.6) × (0.4/0.8)² = 0.24.
    expect(probability(0, { a: 1.2, b: 0, c: 0.2 })).toBeCloseTo(0.6, 12);
    expect(information(0, { a: 1.2, b: 0, c: 0.2 })).toBeCloseTo(0.24, 12);
    // a = 0.8, b = 1, c = 0.25 at θ = −0.5: z = −1.2.
    expect(probability(-0.5, { a: 0.8, b: 1, c: 0.25 })).toBeCloseTo(0.4236064123757367, 12);
    expect(information(-0.5, { a: 0.8, b: 1, c: 0.25 })).toBeCloseTo(0.04666009158692226, 12);
  });

  it('loses information to guessing, and tends to c far below b', () => {
    expect(information(0, { a: 1.2, b: 0, c: 0.2 })).toBeLessThan(information(0, { a: 1.2, b: 0, c: 0 }));
    expect(probability(-30, { a: 1, b: 0, c: 0.25 })).toBeCloseTo(0.25, 10);
  });

  it('sums item information into test information', () => {
    const items = [
      { a: 1.6, b: 0.7, c: 0 },
      { a: 1.2, b: 0, c: 0.2 },
    ];
    expect(testInformation(0.7, items)).toBeCloseTo(0.64 + information(0.7, items[1]!), 12);
    expect(testInformation(0, [])).toBe(0);
  });

  it('keeps log-probabilities finite far from the item', () => {
    const far = logProbabilities(-40, { a: 2, b: 0, c: 0 });
    expect(far.correct).toBeCloseTo(-80, 6);
    expect(far.wrong).toBeCloseTo(0, 12);
    const high = logProbabilities(40, { a: 2, b: 0, c: 0.2 });
    expect(high.wrong).toBeCloseTo(Math.log(0.8) - 80, 6);
    expect(Number.isFinite(high.correct)).toBe(true);
    const mid = logProbabilities(0.3, { a: 1.1, b: -0.2, c: 0.15 });
    const p = probability(0.3, { a: 1.1, b: -0.2, c: 0.15 });
    expect(mid.correct).toBeCloseTo(Math.log(p), 12);
    expect(mid.wrong).toBeCloseTo(Math.log(1 - p), 12);
  });

  it('refuses parameters the model cannot use', () => {
    expect(() => assertValidParameters({ a: 0, b: 0, c: 0 }, 'x')).toThrow(/discrimination/);
    expect(() => assertValidParameters({ a: 1, b: Number.NaN, c: 0 }, 'x')).toThrow(/difficulty/);
    expect(() => assertValidParameters({ a: 1, b: 0, c: 1 }, 'x')).toThrow(/guessing/);
    expect(() => assertValidParameters({ a: 1, b: 0, c: 0.2 }, 'x')).not.toThrow();
  });
});
