import { describe, expect, it } from 'vitest';
import { mulberry32, normalSampler } from './random.ts';

describe('seeded randomness', () => {
  it('replays the same sequence for the same seed, another for another seed', () => {
    const first = Array.from({ length: 5 }, mulberry32(42));
    expect(Array.from({ length: 5 }, mulberry32(42))).toEqual(first);
    expect(Array.from({ length: 5 }, mulberry32(43))).not.toEqual(first);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });

  it('samples a normal distribution with the asked mean and SD', () => {
    const normal = normalSampler(mulberry32(7));
    const values = Array.from({ length: 20_000 }, () => normal(1, 2));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeCloseTo(2, 1);
  });
});
