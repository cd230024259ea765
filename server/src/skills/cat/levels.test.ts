import { describe, expect, it } from 'vitest';
import { DEFAULT_CUT_POINTS, levelOf, provisionalParameters } from './levels.ts';

describe('levels from cut points', () => {
  it('maps θ to levels 1–8, a θ on a cut point going up', () => {
    expect(levelOf(-3)).toBe(1);
    expect(levelOf(-2.25)).toBe(2);
    expect(levelOf(-0.01)).toBe(4);
    expect(levelOf(0)).toBe(5);
    expect(levelOf(1.6)).toBe(7);
    expect(levelOf(2.25)).toBe(8);
    expect(levelOf(10)).toBe(8);
  });

  it('uses configured cut points and refuses bad ones', () => {
    const cuts = [-3, -2, -1, 0, 1, 2, 3];
    expect(levelOf(-1.5, cuts)).toBe(3);
    expect(levelOf(2.5, cuts)).toBe(7);
    expect(() => levelOf(0, [0, 1, 2])).toThrow(/7/);
    expect(() => levelOf(0, [0, 1, 2, 2, 3, 4, 5])).toThrow(/increasing/);
  });

  it('gives provisional parameters at the centre of each level', () => {
    expect(provisionalParameters(1)).toEqual({ a: 1, b: -2.625, c: 0 });
    expect(provisionalParameters(2).b).toBeCloseTo(-1.875, 12);
    expect(provisionalParameters(4).b).toBeCloseTo(-0.375, 12);
    expect(provisionalParameters(5).b).toBeCloseTo(0.375, 12);
    expect(provisionalParameters(8)).toEqual({ a: 1, b: 2.625, c: 0 });
    for (const level of [1, 2, 3, 4, 5, 6, 7, 8] as const) expect(levelOf(provisionalParameters(level).b)).toBe(level);
    expect(DEFAULT_CUT_POINTS).toHaveLength(7);
  });
});
