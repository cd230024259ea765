/**
 * Choice of the next item: maximum Fisher information at the current estimate, with content
 * balancing across the DigComp areas and exposure control (exposure prices when the bank has them,
 * randomesque draw).
 *
 * The rule, in order:
 *  1. Only items not yet given are candidates (never a repeat).
 *  2. Area: each area's deficit is target share × (answered + 1) − items already given in it
 *     (shares are the configured targets normalised to sum 1; equal by default). The area with the
 *     largest deficit that still has a candidate is chosen; ties are broken at random, so that the
 *     first item does not always come from the same area. Areas whose target is 0 are never chosen.
 *  3. Competence: with `avoidSameCompetence`, items of the previous item's competence are left out
 *     — the next area in deficit order is tried if that empties an area — and the rule is dropped
 *     only when no area has any other competence left.
 *  4. Within the chosen area, each candidate is ranked by its information at θ̂ divided by
 *     1 + its exposure price (0 when absent); the `randomesque` best are kept and one of them is
 *     drawn uniformly (1 = the best).
 *
 * Why prices. An item's price is what the exposure control loop (exposure.ts) charges for it: it
 * rises while more than the target share of tests give the item and falls back otherwise. Dividing
 * information by 1 + price is the rule of the linear programme « fewest items for the precision,
 * no item in more than the target share of tests »: an overused item is still given to the
 * examinees for whom it is much better than any other (at its own level of difficulty), and left to
 * the others. Sympson–Hetter, which this rule replaced, refused such an item at random, whoever the
 * examinee, and a randomesque draw costs information on every choice. Measured by bench/cat on its
 * synthetic 400-item bank (10,000 examinees θ ~ N(0, 1), stop at posterior SD ≤ 0.30; mean length /
 * share of examinees who saw the most-used item): pure maximum information 15.1 / 0.70;
 * randomesque 5 17.8 / 0.36; randomesque 10 20.4 / 0.25; Sympson–Hetter (target 0.20) 18.3 / 0.22;
 * exposure prices (target 0.24) 16.7 / 0.24. (a-stratification, a per-test random subset of the
 * bank, progressive randomesque schedules, per-test item eligibility and choosing by expected
 * posterior variance were measured too, and were no shorter.) Randomesque stays as the control for
 * a bank without prices (one no test has been taken on yet).
 */
import { AREA_IDS, type AreaId } from '../framework/types.ts';
import { information } from './irt.ts';
import type { RandomSource } from './random.ts';
import type { BankItem } from './types.ts';

export interface SelectionOptions {
  /** Draw among this many items of best priced information (1 = the best). Default 5. */
  randomesque: number;
  /** Target share of each area (relative weights; absent areas weigh 0 when any is given). Default equal. */
  areaTargets?: Partial<Record<AreaId, number>>;
  /** Never two items of the same competence in a row, unless nothing else is left. Default true. */
  avoidSameCompetence: boolean;
  random: RandomSource;
}

function normalisedTargets(targets: Partial<Record<AreaId, number>> | undefined): Record<AreaId, number> {
  const weights = AREA_IDS.map((area) => {
    const weight = targets === undefined ? 1 : (targets[area] ?? 0);
    if (!(Number.isFinite(weight) && weight >= 0)) throw new RangeError(`area target for ${area} must be a non-negative number`);
    return weight;
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) throw new RangeError('area targets: at least one area must have a positive target');
  const shares: Record<AreaId, number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  AREA_IDS.forEach((area, i) => {
    shares[area] = (weights[i] ?? 0) / total;
  });
  return shares;
}

/**
 * The randomesque draw among the `size` candidates of best priced information (information at θ
 * divided by 1 + the item's price); size 1 gives the best one.
 */
function drawAmongMostInformative(candidates: readonly BankItem[], theta: number, size: number, random: RandomSource): BankItem | undefined {
  // A small sorted list beats sorting all candidates: at most `size` entries, kept best first.
  const top: { item: BankItem; score: number }[] = [];
  for (const item of candidates) {
    const score = information(theta, item) / (1 + (item.price ?? 0));
    if (top.length === size && score <= (top.at(-1)?.score ?? -Infinity)) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1]?.score ?? Infinity) < score) at--;
    top.splice(at, 0, { item, score });
    if (top.length > size) top.pop();
  }
  if (top.length === 0) return undefined;
  return top[Math.min(top.length - 1, Math.floor(random() * top.length))]?.item;
}

/**
 * The next item, or undefined when no item is left to give (all given, or only areas with a zero
 * target remain). `administered` is the items already given, in order.
 */
export function selectNextItem(bank: readonly BankItem[], administered: readonly BankItem[], theta: number, options: SelectionOptions): BankItem | undefined {
  const size = options.randomesque;
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError('randomesque must be an integer ≥ 1');
  const shares = normalisedTargets(options.areaTargets);
  const given = new Set(administered.map((item) => item.id));
  const counts: Record<AreaId, number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const item of administered) counts[item.area]++;

  const byArea = new Map<AreaId, BankItem[]>();
  for (const item of bank) {
    if (given.has(item.id) || !(shares[item.area] > 0)) continue;
    const list = byArea.get(item.area);
    if (list) list.push(item);
    else byArea.set(item.area, [item]);
  }

  const next = administered.length + 1;
  const order = [...byArea.entries()]
    .map(([area, items]) => ({ items, deficit: shares[area] * next - counts[area], tieBreak: options.random() }))
    .sort((x, y) => (Math.abs(x.deficit - y.deficit) > 1e-9 ? y.deficit - x.deficit : x.tieBreak - y.tieBreak));

  const lastCompetence = administered.at(-1)?.competence;
  if (options.avoidSameCompetence && lastCompetence !== undefined) {
    for (const { items } of order) {
      const candidates = items.filter((item) => item.competence !== lastCompetence);
      if (candidates.length > 0) return drawAmongMostInformative(candidates, theta, size, options.random);
    }
  }
  const first = order[0];
  return first && drawAmongMostInformative(first.items, theta, size, options.random);
}
