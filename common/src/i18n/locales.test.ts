import { describe, expect, it } from 'vitest';
import { defaultUiLocale, negotiateLocale } from './locales.ts';

describe('negotiateLocale (server messages)', () => {
  it('prefers an explicit choice, then Accept-Language by weight', () => {
    expect(negotiateLocale('en-GB,en;q=0.9', 'fr-CA')).toBe('fr-CA');
    expect(negotiateLocale('de;q=1, en;q=0.8, fr-CA;q=0.9')).toBe('fr-CA');
    expect(negotiateLocale('fr-BE')).toBe('fr-FR');
    expect(negotiateLocale('en-US')).toBe('en');
    expect(negotiateLocale('de-DE')).toBe('fr-FR');
    expect(negotiateLocale(undefined)).toBe('fr-FR');
  });
  it('ignores junk and unknown choices', () => {
    expect(negotiateLocale(';;;,q=abc', 'xx')).toBe('fr-FR');
    expect(negotiateLocale('en;q=0')).toBe('fr-FR');
  });
});

describe('defaultUiLocale (the interface before any choice)', () => {
  it('is French first, Québec French for Canadian browsers', () => {
    expect(defaultUiLocale(['en-GB', 'en'])).toBe('fr-FR');
    expect(defaultUiLocale(['en-CA'])).toBe('fr-CA');
    expect(defaultUiLocale(['fr-CA', 'fr'])).toBe('fr-CA');
    expect(defaultUiLocale(['fr-FR'])).toBe('fr-FR');
    expect(defaultUiLocale([])).toBe('fr-FR');
  });
});
