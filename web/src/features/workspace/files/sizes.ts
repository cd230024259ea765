import { formatMessage } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';

const UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/**
 * A size in the reader's units: « 1,5 Mo » in French, "1.5 MB" in English. Binary multiples
 * (1 Mo = 1 024 ko), as file managers show them; under 1 ko, the exact count of bytes in words.
 */
export function formatSize(locale: Locale, bytes: number, fractionDigits?: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return formatMessage(locale, 'files.size.bytes', { count: Math.max(0, Math.round(bytes || 0)) });
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: UNITS[unit], unitDisplay: 'short', maximumFractionDigits: fractionDigits ?? (value < 100 ? 1 : 0) }).format(value);
}

/**
 * Two sizes a sentence compares (a file and the room left): shown with as many decimals as it
 * takes for different sizes to read differently — « 14,31 Mo » against « 14,29 Mo », never
 * « 14,3 Mo » against « 14,3 Mo » —, and in bytes when three decimals are not enough.
 */
export function formatSizesApart(locale: Locale, a: number, b: number): [string, string] {
  let pair: [string, string] = [formatSize(locale, a), formatSize(locale, b)];
  for (let digits = 2; digits <= 3 && a !== b && pair[0] === pair[1]; digits++) pair = [formatSize(locale, a, digits), formatSize(locale, b, digits)];
  if (a !== b && pair[0] === pair[1]) {
    const bytes = (n: number) => formatMessage(locale, 'files.size.bytes', { count: Math.round(n) });
    pair = [bytes(a), bytes(b)];
  }
  return pair;
}
