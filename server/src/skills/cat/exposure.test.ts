import { describe, expect, it } from 'vitest';
import { administrationRates, afterTest, EXPOSURE_CONTROL, MAX_PRICE, nextPrice, warmPrices } from './exposure.ts';
import { syntheticTestBank } from './test-bank.ts';

// Small and short, so that the simulation stays quick: 100 items, tests of exactly 10.
const bank = syntheticTestBank(100, 41);
const options = { minItems: 10, maxItems: 10, seThreshold: 0.01 } as const;
const control = { targetRate: 0.3, step: 0.05 };

describe('exposure prices', () => {
  it('move by one test: up for the items given, down for the others, within 0 and the bound', () => {
    expect(nextPrice(0, true, control)).toBeCloseTo(0.035, 10);
    expect(nextPrice(0.1, false, control)).toBeCloseTo(0.085, 10);
    expect(nextPrice(0, false, control)).toBe(0);
    expect(nextPrice(MAX_PRICE, true, control)).toBe(MAX_PRICE);
    // In the long run an item given in exactly the target share of tests keeps its price.
    let price = 1;
    for (let i = 0; i < 1000; i++) price = nextPrice(price, i % 10 < 3, control);
    expect(price).toBeCloseTo(1, 6);
    const moved = afterTest(bank.slice(0, 3), new Set([bank[0]!.id]), control);
    expect(moved.map((item) => item.price)).toEqual([nextPrice(0, true, control), 0, 0]);
    expect(moved[0]).toMatchObject({ id: bank[0]!.id, a: bank[0]!.a, b: bank[0]!.b });
  });

  it('bring the most-used item down to the target over simulated tests, pricing only overused items', () => {
    const before = Math.max(...administrationRates(bank, 300, 5, options).values());
    // Without prices the default draw is 5 (randomesque); pure maximum information overuses more.
    const bare = Math.max(...administrationRates(bank, 300, 5, { ...options, randomesque: 1 }).values());
    expect(bare).toBeGreaterThan(0.6);

    const warmed = warmPrices(bank, { examinees: 1500, seed: 7, options, control });
    expect(warmed.bank.map((item) => item.id)).toEqual(bank.map((item) => item.id));
    for (const item of warmed.bank) expect(item.price).toBeGreaterThanOrEqual(0);
    expect(warmed.priced).toBeGreaterThan(0);
    expect(warmed.priced).toBeLessThan(bank.length / 2);
    // Over the second half of the loop's own tests, and as it goes on with examinees it never saw.
    expect(warmed.maxRate).toBeLessThan(0.36);
    const after = warmPrices(warmed.bank, { examinees: 600, seed: 99, options, control }).maxRate;
    expect(after).toBeLessThan(0.36);
    expect(after).toBeLessThan(bare - 0.25);
    // Randomesque 5 alone stays above what the loop reaches.
    expect(before).toBeGreaterThan(after);
    // Prices frozen, the loop stopped, do not hold the target: the choice is deterministic again
    // and whole groups of examinees move to the same item (why the prices live with the tests).
    expect(Math.max(...administrationRates(warmed.bank, 300, 99, options).values())).toBeGreaterThan(after);
  });

  it('refuses settings that cannot work', () => {
    expect(() => warmPrices(bank, { examinees: 10, seed: 1, control: { targetRate: 0, step: 0.02 } })).toThrow(RangeError);
    expect(() => warmPrices(bank, { examinees: 10, seed: 1, control: { targetRate: 0.2, step: 0 } })).toThrow(RangeError);
    expect(() => warmPrices(bank, { examinees: 1, seed: 1 })).toThrow(RangeError);
    expect(EXPOSURE_CONTROL.targetRate).toBeLessThan(0.25);
  });
});
