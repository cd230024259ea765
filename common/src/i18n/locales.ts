/** The languages of Entente: French of France first, Québec French where usage differs, English. */
export const LOCALES = ['fr-FR', 'fr-CA', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr-FR';
/** Name of the cookie (and localStorage key) that remembers the agent's language choice. */
export const LOCALE_COOKIE = 'entente_lang';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Picks the locale for a request: an explicit choice (cookie) wins, then the Accept-Language
 * header in order of preference (fr-CA/fr-QC → fr-CA, other fr-* → fr-FR, en-* → en), else fr-FR.
 */
export function negotiateLocale(acceptLanguage: string | undefined, chosen?: string): Locale {
  if (isLocale(chosen)) return chosen;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number.parseFloat(q.slice(2)) : 1;
      return { tag: tag.toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'fr-ca' || tag === 'fr-qc') return 'fr-CA';
    if (tag === 'fr' || tag.startsWith('fr-')) return 'fr-FR';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LOCALE;
}

/**
 * The interface's language before the agent chooses one: French first (public services of both
 * states are in French by default), in its Québec variant when the browser points to Canada
 * (fr-CA, fr-QC, or any *-CA language such as en-CA). English only by explicit choice.
 */
export function defaultUiLocale(browserLanguages: readonly string[]): Locale {
  const canadian = browserLanguages.some((tag) => /^[a-z]{2,3}-(ca|qc)$/i.test(tag.trim()));
  return canadian ? 'fr-CA' : DEFAULT_LOCALE;
}
