import type { FrameworkView } from '@entente/common/skills.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { useEffect, useState } from 'react';
import { getJson } from '../../app/api.ts';

/** Area and competence names by id (`areas.1`, `competences.1.1`), in one language. */
export type FrameworkNames = ReadonlyMap<string, string>;

// One request per language and page load: every claim label of the page reads the same names.
const loaded = new Map<Locale, Promise<FrameworkNames | null>>();

function load(locale: Locale): Promise<FrameworkNames | null> {
  let names = loaded.get(locale);
  if (!names) {
    names = getJson<FrameworkView>('/api/skills/framework')
      .then((framework) => new Map([...framework.areas.map((a) => [`areas.${a.id}`, a.name] as const), ...framework.competences.map((c) => [`competences.${c.id}`, c.name] as const)]))
      // Signed out (a verifier's page may be), or the skills module unreachable: labels keep their numbers.
      .catch(() => null);
    loaded.set(locale, names);
  }
  return names;
}

/**
 * The framework's names, so that a skills credential's claims read « Domaine 1 : Information et
 * données » rather than « Domaine 1 »; null until loaded, or when they cannot be.
 */
export function useFrameworkNames(locale: Locale): FrameworkNames | null {
  const [names, setNames] = useState<FrameworkNames | null>(null);
  useEffect(() => {
    let current = true;
    setNames(null);
    void load(locale).then((found) => {
      if (current) setNames(found);
    });
    return () => {
      current = false;
    };
  }, [locale]);
  return names;
}
