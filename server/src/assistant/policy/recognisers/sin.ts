import { luhnValid } from '../checksums.ts';
import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * Canadian social insurance number (NAS / SIN): 9 digits, Luhn-checked, grouped 3-3-3 with spaces
 * or dashes (the same separator twice) or compact. No number starts with 0; 8 is not used.
 * A 9-digit SIREN has the same shape and check: the words before it decide which one it is
 * (« NAS », « assurance sociale » against « SIREN »); without them the NAS wins (the more sensitive).
 */
export function validateSin(value: string): string | null {
  const compact = value.replace(/[\s-]/g, '');
  if (!/^[1-79]\d{8}$/.test(compact)) return null;
  return luhnValid(compact) ? compact : null;
}

export const sinRecogniser = scanner({
  category: 'sin',
  pattern: new RegExp(`${NUMBER_START}\\d{3}([ \\u00a0\\u202f\\-]?)\\d{3}\\1\\d{3}${NUMBER_END}`, 'gu'),
  validate: validateSin,
  rejectAmounts: true,
  context: /\b(?:nas|sin|assurance sociale|social insurance)\b/,
});
