import { modDecimal } from '../checksums.ts';
import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * NIR — numéro d'inscription au répertoire (« numéro de sécurité sociale », the number on the carte
 * Vitale): 13 characters and a 2-digit key = 97 − (number mod 97). Layout: sex (1, 2; 3, 4 for
 * provisional numbers, 7, 8 for temporary ones), year (2), month (2), département (2, or 2A/2B for
 * Corsica, the key then computed with 19/18 in their place), commune (3), order (3), key (2).
 * Written compact or grouped « 1 85 05 78 006 084 36 », the key sometimes after a dash.
 */
export function nirCompact(value: string): string {
  return value.replace(/[\s.\-/]/g, '').toUpperCase();
}

/** The 2-digit key of the first 13 characters (2A → 19, 2B → 18), or null when not a NIR body. */
export function nirKey(body: string): string | null {
  const compact = nirCompact(body).slice(0, 13);
  if (!/^[1-478]\d{4}(?:\d{2}|2[AB])\d{6}$/.test(compact)) return null;
  const department = compact.slice(5, 7);
  const numeric = department === '2A' ? `${compact.slice(0, 5)}19${compact.slice(7)}` : department === '2B' ? `${compact.slice(0, 5)}18${compact.slice(7)}` : compact;
  return String(97 - modDecimal(numeric, 97)).padStart(2, '0');
}

/** The compact NIR when `value` is one (format and key), else null. */
export function validateNir(value: string): string | null {
  const compact = nirCompact(value);
  if (compact.length !== 15) return null;
  const key = nirKey(compact.slice(0, 13));
  return key !== null && key === compact.slice(13) ? compact : null;
}

const S = '[ \\u00a0\\u202f.]?';
export const nirRecogniser = scanner({
  category: 'nir',
  pattern: new RegExp(`${NUMBER_START}[1-478]${S}\\d{2}${S}\\d{2}${S}(?:\\d{2}|2[ABab])${S}\\d{3}${S}\\d{3}(?:${S}|[ \\u00a0]?[-/][ \\u00a0]?)\\d{2}${NUMBER_END}`, 'gu'),
  validate: validateNir,
  rejectAmounts: true,
  context: /\b(?:nir|secu|securite sociale|vitale|insee|immatriculation)\b/,
});
