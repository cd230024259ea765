import { luhnValid } from '../checksums.ts';
import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * SIREN (9 digits) and SIRET (SIREN + 5-digit establishment number) of the French business
 * register, both Luhn-checked. La Poste's establishments (SIREN 356 000 000) are the known exception:
 * their SIRETs are valid when the sum of the 14 digits is a multiple of 5. An enterprise number is
 * personal data for a sole trader (entrepreneur individuel): hence recognised, and the caller decides.
 */
const LA_POSTE = '356000000';

export function validateSiren(value: string): string | null {
  const compact = value.replace(/[\s.]/g, '');
  return /^\d{9}$/.test(compact) && luhnValid(compact) ? compact : null;
}

export function validateSiret(value: string): string | null {
  const compact = value.replace(/[\s.]/g, '');
  if (!/^\d{14}$/.test(compact)) return null;
  if (compact.startsWith(LA_POSTE)) {
    let sum = 0;
    for (const d of compact) sum += Number(d);
    return sum % 5 === 0 ? compact : null;
  }
  return luhnValid(compact) && validateSiren(compact.slice(0, 9)) !== null ? compact : null;
}

const S = '[ \\u00a0\\u202f.]?';
export const sirenRecogniser = scanner({
  category: 'siren',
  pattern: new RegExp(`${NUMBER_START}\\d{3}([ \\u00a0\\u202f.]?)\\d{3}\\1\\d{3}${NUMBER_END}`, 'gu'),
  validate: validateSiren,
  rejectAmounts: true,
  context: /\b(?:siren|rcs|entreprise|societe)\b/,
});

export const siretRecogniser = scanner({
  category: 'siret',
  pattern: new RegExp(`${NUMBER_START}\\d{3}${S}\\d{3}${S}\\d{3}${S}(?:\\d{5}|\\d{3}${S}\\d{2})${NUMBER_END}`, 'gu'),
  validate: validateSiret,
  rejectAmounts: true,
  context: /\b(?:siret|etablissement)\b/,
});
