import type { UiKey } from '@entente/common/i18n/catalog/ui.ts';
import { formatMessage } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';

/** Every page of the web app, with the catalog keys of its tab title and main heading. */
export const PAGES: readonly { name: string; path: string; title: UiKey; heading: UiKey }[] = [
  { name: 'home', path: '/', title: 'ui.home.title', heading: 'ui.home.heading' },
  {
    name: 'collaboration',
    path: '/domaines/collaboration',
    title: 'ui.domain.collaboration.title',
    heading: 'ui.domain.collaboration.title',
  },
  { name: 'identity', path: '/domaines/identite', title: 'ui.domain.identity.title', heading: 'ui.domain.identity.title' },
  { name: 'ai', path: '/domaines/ia', title: 'ui.domain.ai.title', heading: 'ui.domain.ai.title' },
  {
    name: 'infrastructure',
    path: '/domaines/infrastructure',
    title: 'ui.domain.infrastructure.title',
    heading: 'ui.domain.infrastructure.title',
  },
  { name: 'skills', path: '/domaines/competences', title: 'ui.domain.skills.title', heading: 'ui.domain.skills.title' },
  { name: 'accessibility', path: '/accessibilite', title: 'ui.a11y.title', heading: 'ui.a11y.title' },
  { name: 'legal', path: '/mentions-legales', title: 'ui.legal.title', heading: 'ui.legal.title' },
  { name: 'not-found', path: '/cette-page-n-existe-pas', title: 'ui.notFound.title', heading: 'ui.notFound.title' },
];

/** The text a user sees for `key` in `locale`. */
export function text(locale: Locale, key: UiKey, values?: Record<string, string>): string {
  return formatMessage(locale, key, values);
}

/** The tab title of a page, « {page} — Entente ». */
export function tabTitle(locale: Locale, key: UiKey): string {
  return text(locale, 'ui.title.template', { page: text(locale, key) });
}
