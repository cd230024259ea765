import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { messages, namespaces } from './catalog/index.ts';
import { formatMessage, hasMessage, MESSAGE_FORMAT_OPTIONS } from './format.ts';
import { LOCALES, type Locale } from './locales.ts';

// The parts of the ICU AST we look at (types from @formatjs/icu-messageformat-parser).
const ARGUMENT_TYPES: Record<number, string> = {
  1: 'argument',
  2: 'number',
  3: 'date',
  4: 'time',
  5: 'select',
  6: 'plural',
  8: 'tag',
};
interface AstElement {
  type: number;
  value?: unknown;
  options?: Record<string, { value: AstElement[] }>;
  children?: AstElement[];
}

/** The placeholders of a message as sorted `name:type` strings, from every branch of it. */
function placeholders(ast: AstElement[], found = new Set<string>()): Set<string> {
  for (const element of ast) {
    const kind = ARGUMENT_TYPES[element.type];
    if (kind) found.add(`${String(element.value)}:${kind}`);
    for (const option of Object.values(element.options ?? {})) placeholders(option.value, found);
    if (element.children) placeholders(element.children, found);
  }
  return found;
}

function parse(source: string, locale: Locale): AstElement[] {
  return new IntlMessageFormat(source, locale, undefined, MESSAGE_FORMAT_OPTIONS).getAst() as AstElement[];
}

function signature(source: string, locale: Locale): string[] {
  return [...placeholders(parse(source, locale))].sort();
}

/** The signature, or undefined for a message that does not parse (reported by its own test). */
function signatureIfValid(source: string, locale: Locale): string[] | undefined {
  try {
    return signature(source, locale);
  } catch {
    return undefined;
  }
}

const entries = Object.entries(namespaces);

describe('message catalog', () => {
  it.each(entries)('namespace %s has the same keys in fr-FR and en', (_name, namespace) => {
    const fr = Object.keys(namespace['fr-FR']);
    const en = Object.keys(namespace.en);
    expect(
      fr.filter((key) => !(key in namespace.en)),
      'keys in fr-FR missing in en',
    ).toEqual([]);
    expect(
      en.filter((key) => !(key in namespace['fr-FR'])),
      'keys in en missing in fr-FR',
    ).toEqual([]);
  });

  it.each(entries)('namespace %s overrides in fr-CA only keys that exist in fr-FR', (_name, namespace) => {
    expect(Object.keys(namespace['fr-CA']).filter((key) => !(key in namespace['fr-FR']))).toEqual([]);
  });

  it.each(entries)('namespace %s prefixes every key with its name', (name, namespace) => {
    const keys = LOCALES.flatMap((locale) => Object.keys(namespace[locale]));
    expect(keys.filter((key) => !key.startsWith(`${name}.`))).toEqual([]);
  });

  it('no key is defined by two namespaces', () => {
    const owners = new Map<string, string>();
    const clashes: string[] = [];
    for (const [name, namespace] of entries) {
      for (const key of Object.keys(namespace['fr-FR'])) {
        const owner = owners.get(key);
        if (owner) clashes.push(`${key} (${owner}, ${name})`);
        owners.set(key, name);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('every message parses as ICU MessageFormat', () => {
    const broken: string[] = [];
    for (const [name, namespace] of entries) {
      for (const locale of LOCALES) {
        for (const [key, source] of Object.entries(namespace[locale])) {
          try {
            parse(source, locale);
          } catch (error) {
            broken.push(`${name} ${locale} ${key}: ${(error as Error).message}`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('every message has the same placeholders in every locale', () => {
    const differing: string[] = [];
    for (const [key, source] of Object.entries(messages['fr-FR'])) {
      const reference = signatureIfValid(source, 'fr-FR');
      for (const locale of ['fr-CA', 'en'] as const) {
        const other = messages[locale][key];
        if (other === undefined) continue; // reported by the key tests
        const found = signatureIfValid(other, locale);
        if (!reference || !found) continue; // reported by the parse test
        // `nameElides` (elision.ts) is grammar only French needs, beside the `name` it elides before:
        // another locale may leave it out, never `name` itself, and never keep it without `name`.
        const meaning = (names: string[]) => names.filter((name) => !name.startsWith('nameElides:')).join();
        const elisionAlone = [reference, found].some((names) => names.includes('nameElides:select') && !names.includes('name:argument'));
        if (elisionAlone || meaning(found) !== meaning(reference)) {
          differing.push(`${key}: fr-FR {${reference.join(', ')}} ≠ ${locale} {${found.join(', ')}}`);
        }
      }
    }
    expect(differing).toEqual([]);
  });

  it('fr-CA is fr-FR overlaid with the Québec overrides', () => {
    expect(Object.keys(messages['fr-CA']).sort()).toEqual(Object.keys(messages['fr-FR']).sort());
    expect(messages['fr-CA']['ui.legal.cookies.heading']).toBe('Témoins et traceurs');
    expect(messages['fr-CA']['ui.home.title']).toBe(messages['fr-FR']['ui.home.title']);
  });
});

describe('formatMessage', () => {
  it('formats placeholders with the locale’s rules', () => {
    const date = new Date(Date.UTC(2026, 2, 31, 12));
    expect(formatMessage('fr-FR', 'ui.a11y.establishment.date', { date })).toContain('31 mars 2026');
    expect(formatMessage('en', 'ui.a11y.establishment.date', { date })).toContain('March 31, 2026');
    expect(formatMessage('en', 'ui.session.signedIn', { name: 'Camille Roy' })).toBe('Signed in: Camille Roy');
  });

  it('uses the Québec override, and fr-FR where there is none', () => {
    expect(formatMessage('fr-CA', 'ui.legal.cookies.heading')).toBe('Témoins et traceurs');
    expect(formatMessage('fr-CA', 'ui.home.heading')).toBe(formatMessage('fr-FR', 'ui.home.heading'));
  });

  it('returns the key itself only when no locale has the message', () => {
    expect(hasMessage('ui.does.not.exist')).toBe(false);
    expect(formatMessage('fr-CA', 'ui.does.not.exist')).toBe('ui.does.not.exist');
    expect(hasMessage('ui.home.title')).toBe(true);
  });

  it('formats every message of every locale without error', () => {
    const sample = { date: new Date(Date.UTC(2026, 0, 1, 12)) };
    for (const locale of LOCALES) {
      for (const [key, source] of Object.entries(messages[locale])) {
        const values: Record<string, string | number | Date> = {};
        for (const placeholder of signature(source, locale)) {
          const [name = '', kind] = placeholder.split(':');
          values[name] = kind === 'date' || kind === 'time' ? sample.date : kind === 'argument' ? 'x' : 1;
        }
        expect(() => formatMessage(locale, key, values), `${locale} ${key}`).not.toThrow();
      }
    }
  });
});
