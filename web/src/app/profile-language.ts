import { isLocale, type Locale } from '@entente/common/i18n/locales.ts';
import { send } from './api.ts';
import { fetchMe } from './me.ts';

/**
 * A signed-in agent's language choice also goes to their profile (`PATCH /api/me`), so that mails
 * and other devices follow it. Signed out (401) or offline, the browser's own memory is enough:
 * the failure is silent on purpose, the switch has already worked on this page.
 */
export async function saveProfileLanguage(locale: Locale): Promise<void> {
  try {
    await send('PATCH', '/api/me', { preferredLanguage: locale });
  } catch {
    // signed out or offline: nothing to do, the choice is remembered locally
  }
}

/**
 * The signed-in agent's preferred language from their profile (`GET /api/me`), or undefined when
 * nobody is signed in or the server cannot say.
 */
export async function loadProfileLanguage(signal?: AbortSignal): Promise<Locale | undefined> {
  try {
    const { preferredLanguage } = await fetchMe<{ preferredLanguage?: unknown }>(signal);
    return isLocale(preferredLanguage) ? preferredLanguage : undefined;
  } catch {
    return undefined;
  }
}
