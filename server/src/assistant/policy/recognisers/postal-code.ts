/**
 * Postal codes, used by the address recogniser (a postal code alone identifies a neighbourhood, not
 * a person). France: 5 digits, département 01–95 (20 for Corsica) or 97/98 overseas. Canada:
 * « A1A 1A1 », without D, F, I, O, Q, U, and without W or Z in first position.
 */
export const POSTAL_CODE_FR = '(?:0[1-9]|[1-8]\\d|9[0-5]|97|98)\\d{3}';
export const POSTAL_CODE_CA = '[ABCEGHJ-NPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z][ \\u00a0]?\\d[ABCEGHJ-NPRSTV-Z]\\d';

export function isPostalCodeFr(value: string): boolean {
  return new RegExp(`^${POSTAL_CODE_FR}$`).test(value);
}

export function isPostalCodeCa(value: string): boolean {
  return new RegExp(`^${POSTAL_CODE_CA}$`).test(value.toUpperCase());
}
