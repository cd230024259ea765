import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * Québec health insurance number (RAMQ, on the « carte d'assurance maladie »): the first three
 * letters of the family name, the first letter of the given name, then YYMMDD of the birth date —
 * the month plus 50 for women — and two administrative digits: « TREM 5401 1512 ». There is no
 * published check digit: what is checked is the shape and a plausible birth date (month 01–12 or
 * 51–62, a day that exists in that month, 29 February allowed as the century is not written).
 */
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function validateRamq(value: string): string | null {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  const match = /^([A-Z]{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(compact);
  if (!match) return null;
  const rawMonth = Number(match[3]);
  const month = rawMonth > 50 ? rawMonth - 50 : rawMonth;
  const day = Number(match[4]);
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > (DAYS[month - 1] as number)) return null;
  return compact;
}

export const ramqRecogniser = scanner({
  category: 'ramq',
  pattern: new RegExp(`${NUMBER_START}[A-Z]{4}([ \\u00a0\\-]?)\\d{4}\\1\\d{4}${NUMBER_END}`, 'gu'),
  validate: validateRamq,
  context: /\b(?:ramq|assurance maladie|carte soleil)\b/,
});
