import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * Québec driver's licence number (SAAQ): a letter (the family name's initial) and 12 digits, usually
 * written « T6524-150688-05 ». Format only: the SAAQ publishes no check digit and no description of
 * the digits we could check, so a compact letter + 12 digits is recognised as such (upper case).
 */
export function validateDriverLicenceQc(value: string): string | null {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z]\d{12}$/.test(compact) ? compact : null;
}

export const driverLicenceQcRecogniser = scanner({
  category: 'driverLicenceQc',
  pattern: new RegExp(`${NUMBER_START}[A-Z]\\d{4}([ \\u00a0\\-]?)\\d{6}\\1\\d{2}${NUMBER_END}`, 'gu'),
  validate: validateDriverLicenceQc,
  context: /\b(?:permis|licence|saaq)\b/,
});
