import type { Locale } from '@entente/common/i18n/locales.ts';

/**
 * A signed-in agent's language choice also goes to their profile (`PATCH /api/me`), so that mails
 * and other devices follow it. Cookie-authenticated changes need the session's CSRF token, read
 * from `GET /api/session`. Signed out (401) or offline, the browser's own memory is enough: the
 * failure is silent on purpose, the switch has already worked on this page.
 */
export async function saveProfileLanguage(locale: Locale): Promise<void> {
  try {
    const session = await fetch('/api/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!session.ok) return;
    const { csrfToken } = (await session.json()) as { csrfToken?: unknown };
    if (typeof csrfToken !== 'string') return;
    await fetch('/api/me', {
      method: 'PATCH',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ preferredLanguage: locale }),
    });
  } catch {
    // offline: nothing to do, the choice is remembered locally
  }
}
