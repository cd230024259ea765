/** Synthetic banks for the engine's tests (seeded, so every run sees the same items). */
import { AREA_IDS } from '../framework/types.ts';
import { mulberry32, normalSampler } from './random.ts';
import type { BankItem } from './types.ts';

/** `size` items spread evenly over the 5 areas, 3 competences per area, a ≈ 1.2, b ~ N(0, 1), c = 0. */
export function syntheticTestBank(size: number, seed: number): BankItem[] {
  const normal = normalSampler(mulberry32(seed));
  return Array.from({ length: size }, (_, i) => {
    const area = AREA_IDS[i % 5] ?? '1';
    return { id: `i${i}`, area, competence: `${area}.${1 + (Math.floor(i / 5) % 3)}`, a: Math.exp(normal(Math.log(1.2), 0.25)), b: normal(), c: 0 };
  });
}
