import { describe, expect, it } from 'vitest';
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

  it('filters by the Sympson–Hetter parameters: a restricted item passes at its rate, the rest keep maximum information', () => {
    const bank = syntheticTestBank(100, 3).map((item) => ({ ...item, area: '1' as const, competence: '1.1' }));
    const ranked = [...bank].sort((x, y) => information(0.4, y) - information(0.4, x));
    const [best, second, third] = ranked;
    // The best item passes 30 % of the time, the second never; everything else is unrestricted.
    const restricted = bank.map((item) => (item.id === best!.id ? { ...item, exposure: 0.3 } : item.id === second!.id ? { ...item, exposure: 0 } : { ...item, exposure: 1 }));
    const settings = options(31, { randomesque: 1 });
    const chosen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const id = selectNextItem(restricted, [], 0.4, settings)!.id;
      chosen.set(id, (chosen.get(id) ?? 0) + 1);
    }
    // Only the best (when it passes) or, when it does not, the third: the second is never given.
    expect([...chosen.keys()].sort()).toEqual([best!.id, third!.id].sort());
    expect(chosen.get(best!.id)! / 2000).toBeGreaterThan(0.26);
    expect(chosen.get(best!.id)! / 2000).toBeLessThan(0.34);
    // When nothing passes, the most informative candidate is given: the test never stalls.
    const closed = bank.map((item) => ({ ...item, exposure: 0 }));
    expect(selectNextItem(closed, [], 0.4, settings)!.id).toBe(best!.id);
    // The filter comes before the randomesque draw: the draw is among the 5 best that passed — ranks
    // 1, 3–6 when the best passes, 3–7 when it does not; never the second.
    const allowed = new Set([ranked[0]!, ...ranked.slice(2, 7)].map((item) => item.id));
    const wide = options(32, { randomesque: 5 });
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(selectNextItem(restricted, [], 0.4, wide)!.id);
    for (const id of seen) expect(allowed.has(id)).toBe(true);
    expect(seen.size).toBe(6);
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
