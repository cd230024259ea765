import { modDecimal } from '../checksums.ts';
import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * Numéro fiscal de référence (SPI, « numéro d'identification fiscale » of a person, on the tax
 * notices): 13 digits, the first 0–3; the last three are the first ten mod 511 (as python-stdnum's
 * fr.nif checks it). Written compact or « 30 23 217 600 053 ».
 */
export function spiCheckDigits(firstTen: string): string {
  return String(modDecimal(firstTen, 511)).padStart(3, '0');
}

export function validateSpi(value: string): string | null {
  const compact = value.replace(/[\s.]/g, '');
  if (!/^[0-3]\d{12}$/.test(compact)) return null;
  return spiCheckDigits(compact.slice(0, 10)) === compact.slice(10) ? compact : null;
}

const S = '[ \\u00a0\\u202f]?';
export const spiRecogniser = scanner({
  category: 'spi',
  pattern: new RegExp(`${NUMBER_START}[0-3]\\d${S}\\d{2}${S}\\d{3}${S}\\d{3}${S}\\d{3}${NUMBER_END}`, 'gu'),
  validate: validateSpi,
  rejectAmounts: true,
  context: /\b(?:fiscal|spi|impots?|nif)\b/,
});
