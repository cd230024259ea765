/**
 * Formats a catalog message for a locale, in Node (the server) and in the browser (the web app).
 *
 * Lookup order: the locale itself, then fr-FR (so fr-CA falls back to fr-FR), then English;
 * the key itself is returned only when no locale has the message, so a missing message shows up
 * instead of crashing a page. A message found in another locale is formatted with that locale’s
 * rules (plurals, dates), which is what its text was written for.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { messages } from './catalog/index.ts';
import { DEFAULT_LOCALE, type Locale } from './locales.ts';

/** Values for a message’s placeholders. */
export type MessageValues = Readonly<Record<string, string | number | boolean | Date | null | undefined>>;

/**
 * Tags such as `<b>` are plain text: catalog messages are text, never markup, so a stray `<` can
 * neither break a message nor call for a rich-text value.
 */
export const MESSAGE_FORMAT_OPTIONS = { ignoreTag: true } as const;

const LOOKUP_ORDER: Readonly<Record<Locale, readonly Locale[]>> = {
  'fr-FR': ['fr-FR', 'en'],
  'fr-CA': ['fr-CA', DEFAULT_LOCALE, 'en'],
  en: ['en', DEFAULT_LOCALE],
};

// Compiled formats, by locale and key; bounded by the size of the catalog.
const compiled = new Map<string, IntlMessageFormat>();

/** The compiled message for `key` in the first locale that has it, or undefined. */
function lookup(locale: Locale, key: string): IntlMessageFormat | undefined {
  for (const candidate of LOOKUP_ORDER[locale]) {
    const source = messages[candidate][key];
    if (source === undefined) continue;
    const cacheKey = `${candidate}\u0000${key}`;
    let format = compiled.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(source, candidate, undefined, MESSAGE_FORMAT_OPTIONS);
      compiled.set(cacheKey, format);
    }
    return format;
  }
  return undefined;
}

/** Whether some locale of the catalog has a message for `key`. */
export function hasMessage(key: string): boolean {
  return LOOKUP_ORDER['fr-CA'].some((locale) => messages[locale][key] !== undefined);
}

/**
 * The message `key` for `locale`, its placeholders filled with `values`. Throws when a value the
 * message needs is missing (a programming error the catalog tests and type checks should catch).
 */
export function formatMessage(locale: Locale, key: string, values?: MessageValues): string {
  const format = lookup(locale, key);
  if (!format) return key;
  const result = format.format(values);
  return Array.isArray(result) ? result.join('') : String(result);
}

/** A formatter bound to one locale, e.g. for one request or one render. */
export function translator(locale: Locale): (key: string, values?: MessageValues) => string {
  return (key, values) => formatMessage(locale, key, values);
}
