import { describe, expect, it } from 'vitest';
import { longDateFormat } from './long-date.ts';

describe('long dates', () => {
  const first = new Date(Date.UTC(2026, 2, 1, 12));
  const second = new Date(Date.UTC(2026, 2, 2, 12));

  it('writes the first of the month « 1er » in French (France and Québec), other days as Intl does', () => {
    for (const locale of ['fr-FR', 'fr-CA']) {
      expect(longDateFormat(locale, { timeZone: 'UTC' }).format(first)).toBe('1er mars 2026');
      expect(longDateFormat(locale, { timeZone: 'UTC' }).format(second)).toBe('2 mars 2026');
    }
    // With the time too, and never « 11er » or « 21er ».
    expect(longDateFormat('fr-FR', { timeZone: 'UTC', timeStyle: 'short' }).format(first)).toMatch(/^1er mars 2026 à 12:00$/);
    expect(longDateFormat('fr-FR', { timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 2, 11, 12)))).toBe('11 mars 2026');
    expect(longDateFormat('fr-FR', { timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 2, 21, 12)))).toBe('21 mars 2026');
  });

  it('leaves English as Intl writes it', () => {
    expect(longDateFormat('en', { timeZone: 'UTC' }).format(first)).toBe('March 1, 2026');
  });
});
