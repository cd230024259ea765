import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * French telephone numbers: « 01 23 45 67 89 », « 06.12.34.56.78 », « 0612345678 », « +33 6 12 34 56
 * 78 », « +33 (0)1 23 45 67 89 », « 0033 1 … »: a 0 or the +33 / 0033 prefix, then 9 digits, the
 * first not 0, in pairs. The key is the national form (0 + 9 digits), so every writing of one number
 * gets one placeholder. Bad lengths (9 or 11 digits in pairs) are not phone numbers.
 */
export function validatePhoneFr(value: string): string | null {
  let digits = value.replace(/\(0\)/, '').replace(/\D/g, '');
  if (digits.startsWith('0033')) digits = digits.slice(4);
  else if (value.trimStart().startsWith('+33')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  else return null;
  return /^[1-9]\d{8}$/.test(digits) ? `0${digits}` : null;
}

const S = '[ \\u00a0\\u202f.\\-]?';
export const phoneFrRecogniser = scanner({
  category: 'phone',
  pattern: new RegExp(`${NUMBER_START.replace('_]', '_+]')}(?:(?:\\+|00)33${S}(?:\\(0\\)${S})?[1-9]|0[1-9])(?:${S}\\d{2}){4}${NUMBER_END}`, 'gu'),
  validate: validatePhoneFr,
  rejectAmounts: true,
  context: /\b(?:tel|telephone|portable|mobile|fax|appeler|joindre)\b/,
});
