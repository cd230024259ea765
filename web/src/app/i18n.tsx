import type { UiKey } from '@entente/common/i18n/catalog/ui.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { applyDocumentLocale, followProfileLocale, initialLocale, languageWasChosen, rememberLocale } from './locale-preference.ts';
import { loadProfileLanguage, saveProfileLanguage } from './profile-language.ts';

export type Translate = (key: UiKey, values?: MessageValues) => string;

export interface I18n {
  locale: Locale;
  /** Switches the interface language and remembers the choice. */
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  // Before paint, so <html lang> never disagrees with the text on screen.
  useLayoutEffect(() => applyDocumentLocale(locale), [locale]);

  // An agent who never chose a language in this browser gets their profile's, once signed in.
  // Checked again when the answer comes: a choice made meanwhile wins.
  useEffect(() => {
    if (languageWasChosen()) return;
    const abort = new AbortController();
    void loadProfileLanguage(abort.signal).then((preferred) => {
      if (!preferred || abort.signal.aborted || languageWasChosen()) return;
      followProfileLocale(preferred);
      setLocaleState(preferred);
    });
    return () => abort.abort();
  }, []);

  const setLocale = useCallback((next: Locale) => {
    rememberLocale(next);
    setLocaleState(next);
    void saveProfileLanguage(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({ locale, setLocale, t: (key, values) => formatMessage(locale, key, values) }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n() needs an <I18nProvider> above it.');
  return i18n;
}
