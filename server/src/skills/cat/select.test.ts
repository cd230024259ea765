import { describe, expect, it } from 'vitest';
import { MAX_PRICE } from './exposure.ts';
import { information } from './irt.ts';
import { mulberry32 } from './random.ts';
import { selectNextItem, type SelectionOptions } from './select.ts';
import { syntheticTestBank } from './test-bank.ts';
import type { BankItem } from './types.ts';

const options = (seed: number, extra: Partial<SelectionOptions> = {}): SelectionOptions => ({ randomesque: 5, avoidSameCompetence: true, random: mulberry32(seed), ...extra });

describe('next-item selection', () => {
  it('never gives an item twice, and has nothing left once all are given', () => {
    const bank = syntheticTestBank(60, 1);
    const given: BankItem[] = [];
    const settings = options(2);
    for (let i = 0; i < bank.length; i++) {
      const next = selectNextItem(bank, given, (i % 7) - 3, settings);
      expect(next).toBeDefined();
      expect(given.some((item) => item.id === next!.id)).toBe(false);
      given.push(next!);
    }
    expect(new Set(given.map((item) => item.id)).size).toBe(60);
    expect(selectNextItem(bank, given, 0, settings)).toBeUndefined();
  });

  it('draws among the 5 most informative items (randomesque), several of them with a seeded source', () => {
    const bank = syntheticTestBank(100, 3).map((item) => ({ ...item, area: '1' as const, competence: '1.1' }));
    const ranked = [...bank].sort((x, y) => information(0.4, y) - information(0.4, x));
    const top5 = new Set(ranked.slice(0, 5).map((item) => item.id));
    const settings = options(4);
    const chosen = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const id = selectNextItem(bank, [], 0.4, settings)!.id;
      expect(top5.has(id)).toBe(true);
      chosen.set(id, (chosen.get(id) ?? 0) + 1);
    }
    expect(chosen.size).toBe(5);
    for (const count of chosen.values()) expect(count).toBeGreaterThan(30);
    // randomesque 1: pure maximum information.
    expect(selectNextItem(bank, [], 0.4, options(5, { randomesque: 1 }))!.id).toBe(ranked[0]!.id);
  });

  it('divides information by 1 + price: a dear item goes only where it is much better than the others', () => {
    const bank = syntheticTestBank(100, 3).map((item) => ({ ...item, area: '1' as const, competence: '1.1' }));
    const at = (theta: number) => [...bank].sort((x, y) => information(theta, y) - information(theta, x));
    const [best, second] = at(0.4);
    const ratio = information(0.4, best!) / information(0.4, second!);
    const settings = (seed: number) => options(seed, { randomesque: 1 });
    // A price just under the lead keeps the best item first; just over it, the second wins.
    const priced = (price: number) => bank.map((item) => (item.id === best!.id ? { ...item, price } : item));
    expect(selectNextItem(priced(ratio - 1 - 1e-6), [], 0.4, settings(1))!.id).toBe(best!.id);
    expect(selectNextItem(priced(ratio - 1 + 1e-6), [], 0.4, settings(2))!.id).toBe(second!.id);
    // Where the dear item is far ahead of the rest (its own difficulty, a steep item), it is still given.
    const steep = { ...best!, id: 'steep', a: 4, b: 1.5, price: 1 };
    const withSteep = [...bank, steep];
    expect(information(1.5, steep) / 2).toBeGreaterThan(information(1.5, at(1.5)[0]!));
    expect(selectNextItem(withSteep, [], 1.5, settings(3))!.id).toBe('steep');
    expect(selectNextItem(withSteep, [], -1.5, settings(4))!.id).not.toBe('steep');
    // The randomesque draw ranks by the same priced information: the top-priced item is never among 5.
    const top = at(0.4).slice(0, 6);
    const dear = bank.map((item) => (item.id === top[0]!.id ? { ...item, price: MAX_PRICE } : item));
    const seen = new Set<string>();
    const wide = options(5, { randomesque: 5 });
    for (let i = 0; i < 300; i++) seen.add(selectNextItem(dear, [], 0.4, wide)!.id);
    expect([...seen].sort()).toEqual(top.slice(1).map((item) => item.id).sort());
    // A price never empties the choice: with every item at the bound, the best is given.
    const allDear = bank.map((item) => ({ ...item, price: MAX_PRICE }));
    expect(selectNextItem(allDear, [], 0.4, settings(6))!.id).toBe(best!.id);
  });

  it('replays the same choices for the same seed', () => {
    const bank = syntheticTestBank(100, 6);
    const run = (seed: number) => {
      const given: BankItem[] = [];
      const settings = options(seed);
      for (let i = 0; i < 10; i++) given.push(selectNextItem(bank, given, 0, settings)!);
      return given.map((item) => item.id);
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });

  it('balances the 5 areas: equal shares by default, configured shares otherwise', () => {
    const bank = syntheticTestBank(200, 7);
    const countAreas = (settings: SelectionOptions, length: number) => {
      const given: BankItem[] = [];
      for (let i = 0; i < length; i++) given.push(selectNextItem(bank, given, 1.5, settings)!);
      const counts: Record<string, number> = {};
      for (const item of given) counts[item.area] = (counts[item.area] ?? 0) + 1;
      return { counts, given };
    };
    // θ = 1.5 favours whichever area holds the hardest discriminating items; balancing overrides that.
    expect(countAreas(options(8), 20).counts).toEqual({ '1': 4, '2': 4, '3': 4, '4': 4, '5': 4 });
    const { counts, given } = countAreas(options(8, { areaTargets: { '1': 2, '2': 1, '3': 1 } }), 20);
    expect(counts).toEqual({ '1': 10, '2': 5, '3': 5 });
    // After 5 items, each area is within one item of its share at every point.
    for (let n = 1; n <= given.length; n++) {
      const inArea1 = given.slice(0, n).filter((item) => item.area === '1').length;
      expect(Math.abs(inArea1 - n / 2)).toBeLessThanOrEqual(1);
    }
  });

  it('avoids two items of the same competence in a row unless nothing else is left', () => {
    const bank: BankItem[] = [
      { id: 'a', area: '1', competence: '1.1', a: 2.5, b: 0, c: 0 },
      { id: 'b', area: '1', competence: '1.1', a: 2.4, b: 0, c: 0 },
      { id: 'c', area: '1', competence: '1.2', a: 0.5, b: 3, c: 0 },
    ];
    const first = bank[0]!;
    expect(selectNextItem(bank, [first], 0, options(1, { randomesque: 1 }))!.id).toBe('c');
    expect(selectNextItem(bank, [first], 0, options(1, { randomesque: 1, avoidSameCompetence: false }))!.id).toBe('b');
    expect(selectNextItem(bank, [first, bank[2]!], 0, options(1, { randomesque: 1 }))!.id).toBe('b');
    expect(selectNextItem(bank.slice(0, 2), [first], 0, options(1, { randomesque: 1 }))!.id).toBe('b');
  });

  it('chooses in well under 5 ms on a 400-item bank', () => {
    const bank = syntheticTestBank(400, 11);
    const given = bank.slice(0, 30);
    const settings = options(12);
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const started = performance.now();
      selectNextItem(bank, given, 0.3, settings);
      times.push(performance.now() - started);
    }
    times.sort((x, y) => x - y);
    expect(times[30]!).toBeLessThan(5);
  });
});
