import { NUMBER_END, NUMBER_START, scanner } from './recogniser.ts';

/**
 * North American numbers (Québec, Canada, United States): area code and exchange of three digits,
 * each starting 2–9 and not N11 (411, 911…), then four digits: « (514) 873-2111 », « 418 643-1344 »,
 * « 1 800 363-1363 », « +1 514.873.2111 ». Ten bare digits are only taken after +1: without
 * separators or prefix they are too often some other number.
 */
export function validatePhoneNanp(value: string): string | null {
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return null;
  if (digits.slice(1, 3) === '11' || digits.slice(4, 6) === '11') return null;
  return `+1${digits}`;
}

const S = '[ \\u00a0\\u202f.\\-]';
export const phoneNanpRecogniser = scanner({
  category: 'phone',
  pattern: new RegExp(
    `${NUMBER_START.replace('_]', '_+]')}(?:\\+1${S}?\\d{10}|(?:\\+?1${S}?)?(?:\\(\\d{3}\\)[ \\u00a0]?|\\d{3}${S})\\d{3}${S}\\d{4})${NUMBER_END}`,
    'gu',
  ),
  validate: validatePhoneNanp,
  rejectAmounts: true,
  context: /\b(?:tel|telephone|cell|cellulaire|phone|poste|appeler|joindre)\b/,
});
