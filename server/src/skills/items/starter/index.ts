import type { AuthoredItem } from '../types.ts';
import { AREA_1_ITEMS } from './area-1.ts';
import { AREA_2_ITEMS } from './area-2.ts';
import { AREA_3_ITEMS } from './area-3.ts';
import { AREA_4_ITEMS } from './area-4.ts';
import { AREA_5_ITEMS } from './area-5.ts';

/**
 * The starter bank shipped with Entente: items written for public agents of both states, at
 * least six per DigComp competence over levels 1–8, with provisional parameters from their
 * intended level until calibration replaces them (items/seed-starter.ts).
 */
export const STARTER_ITEMS: readonly AuthoredItem[] = [...AREA_1_ITEMS, ...AREA_2_ITEMS, ...AREA_3_ITEMS, ...AREA_4_ITEMS, ...AREA_5_ITEMS];
