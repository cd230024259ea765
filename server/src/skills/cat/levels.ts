/**
 * Levels 1–8 from θ through cut points, and the provisional parameters of items not yet
 * calibrated (derived from the level their author intended).
 */
import type { Level } from '../framework/types.ts';
import type { ItemParameters } from '../items/types.ts';

/**
 * Seven increasing cut points split θ into the 8 levels; by default 0.75 apart around 0, so that
 * levels 4 and 5 meet at the population mean and levels 1 and 8 begin about 2.25 SD out.
 */
export const DEFAULT_CUT_POINTS: readonly number[] = [-2.25, -1.5, -0.75, 0, 0.75, 1.5, 2.25];

export function assertCutPoints(cutPoints: readonly number[]): void {
  if (cutPoints.length !== 7) throw new RangeError(`cut points: 7 are needed for 8 levels (got ${cutPoints.length})`);
  let previous = -Infinity;
  for (const cut of cutPoints) {
    if (!Number.isFinite(cut)) throw new RangeError('cut points must be finite numbers');
    if (!(cut > previous)) throw new RangeError('cut points must be strictly increasing');
    previous = cut;
  }
}

/** The level of θ: 1 + the number of cut points at or below θ (a θ exactly on a cut point is in the upper level). */
export function levelOf(theta: number, cutPoints: readonly number[] = DEFAULT_CUT_POINTS): Level {
  assertCutPoints(cutPoints);
  let level = 1;
  for (const cut of cutPoints) if (theta >= cut) level++;
  return level as Level;
}

/**
 * Parameters for an item known only by its intended level: a = 1, c = 0 and b the centre of the
 * level's θ interval. The open-ended levels 1 and 8 get a centre half an adjacent interval beyond
 * the outer cut point (0.375 with the default cut points), as if they were as wide as their neighbour.
 */
export function provisionalParameters(level: Level, cutPoints: readonly number[] = DEFAULT_CUT_POINTS): ItemParameters {
  assertCutPoints(cutPoints);
  // Checked above: exactly 7 increasing numbers. Level l spans [cut l−1, cut l).
  const cuts = cutPoints as readonly [number, number, number, number, number, number, number];
  const bounds = [cuts[0] - (cuts[1] - cuts[0]), ...cuts, cuts[6] + (cuts[6] - cuts[5])];
  const low = bounds[level - 1] ?? Number.NaN;
  const high = bounds[level] ?? Number.NaN;
  return { a: 1, b: (low + high) / 2, c: 0 };
}
