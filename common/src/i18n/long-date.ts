/**
 * Long dates as each language writes them: French puts the ordinal on the first of the month
 * (« 1er mars 2026 », where Intl gives « 1 mars 2026 »); everything else as Intl formats it.
 * Takes the same options as Intl.DateTimeFormat, `dateStyle: 'long'` by default.
 */
export function longDateFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): { format(date: Date | number): string } {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', ...options });
  if (!locale.toLowerCase().startsWith('fr')) return format;
  return {
    format: (date) =>
      format
        .formatToParts(date)
        .map((part) => (part.type === 'day' && part.value === '1' ? '1er' : part.value))
        .join(''),
  };
}
