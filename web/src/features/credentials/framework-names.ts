import type { Locale } from '@entente/common/i18n/locales.ts';
import type { FrameworkView } from '@entente/common/skills.ts';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { getJson } from '../../app/api.ts';

/** Area and competence names by claim path (`areas.1`, `competences.1.1`), in one language. */
export type FrameworkNames = ReadonlyMap<string, string>;

// One request per language and page load, made only when a label needs a name: the framework
// answers signed-in agents only, and a page that shows no skills claim (a signed-out visitor's)
// must not ask it and log a 401.
const names = new Map<Locale, FrameworkNames | null>();
const asked = new Set<Locale>();
const listeners = new Set<() => void>();

function ask(locale: Locale): void {
  if (asked.has(locale)) return;
  asked.add(locale);
  void getJson<FrameworkView>('/api/skills/framework')
    .then((framework) => new Map([...framework.areas.map((a) => [`areas.${a.id}`, a.name] as const), ...framework.competences.map((c) => [`competences.${c.id}`, c.name] as const)]))
    // Signed out (a verifier's page may be), or the skills module unreachable: labels keep their numbers.
    .catch(() => null)
    .then((found) => {
      names.set(locale, found);
      for (const listener of listeners) listener();
    });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The framework's names, so that a skills credential's claims read « Domaine 1 — Littératie de
 * l'information et des données » rather than « Domaine 1 »: `name(path)` answers the name when it
 * is loaded (undefined meanwhile, or when it cannot be), and asks for the names the first time.
 */
export function useFrameworkNames(locale: Locale): { loaded: FrameworkNames | null | undefined; name: (path: string) => string | undefined } {
  const loaded = useSyncExternalStore(subscribe, () => names.get(locale));
  const name = useCallback(
    (path: string) => {
      if (loaded === undefined) ask(locale);
      return loaded?.get(path);
    },
    [loaded, locale],
  );
  return useMemo(() => ({ loaded, name }), [loaded, name]);
}
