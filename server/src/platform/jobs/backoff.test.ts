import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  const options = { baseMs: 1_000, maxMs: 60_000 };

  it('doubles with each attempt, jittered between half and all of the step', () => {
    expect(retryDelayMs(1, options, () => 0)).toBe(500);
    expect(retryDelayMs(1, options, () => 1)).toBe(1_000);
    expect(retryDelayMs(2, options, () => 1)).toBe(2_000);
    expect(retryDelayMs(4, options, () => 0.5)).toBe(6_000);
  });

  it('never exceeds the maximum, even after many attempts', () => {
    expect(retryDelayMs(50, options, () => 1)).toBe(60_000);
    expect(retryDelayMs(1_000, options, () => 0)).toBe(30_000);
  });

  it('spreads retries of jobs that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, options)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(2_000);
  });
});
