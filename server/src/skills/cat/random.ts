/**
 * Seedable randomness for the engine, its tests and the benchmark. The engine never calls
 * Math.random itself: the caller injects a source, so a simulation (or a resumed test given the
 * same seed) replays exactly.
 */

/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/** mulberry32: a tiny 32-bit generator, good enough for item choice and simulation (not for secrets). */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normal deviates by Box–Muller from a uniform source (the second deviate of each pair is kept for the next call). */
export function normalSampler(random: RandomSource): (mean?: number, sd?: number) => number {
  let spare: number | undefined;
  return (mean = 0, sd = 1) => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return mean + sd * value;
    }
    // 1 - random() is in (0, 1]: log never sees 0.
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return mean + sd * radius * Math.cos(angle);
  };
}
