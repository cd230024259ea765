import { defaultUiLocale, isLocale, type Locale, LOCALE_COOKIE } from '@entente/common/i18n/locales.ts';

/** One year, in seconds: how long the language cookie lasts. */
const COOKIE_MAX_AGE = 365 * 24 * 60 * 60;
/**
 * Set in localStorage while the cookie holds a language nobody chose (the French-first default,
 * or the signed-in agent's profile language): then the profile's language may still replace it.
 */
const NOT_CHOSEN_KEY = `${LOCALE_COOKIE}_not_chosen`;

function markNotChosen(): void {
  try {
    window.localStorage.setItem(NOT_CHOSEN_KEY, '1');
  } catch {
    // storage disabled: the cookie then counts as a choice, as before
  }
}

function markedNotChosen(): boolean {
  try {
    return window.localStorage.getItem(NOT_CHOSEN_KEY) === '1';
  } catch {
    return false;
  }
}

function storedInLocalStorage(): Locale | undefined {
  try {
    const value = window.localStorage.getItem(LOCALE_COOKIE);
    return isLocale(value) ? value : undefined;
  } catch {
    return undefined; // storage disabled (private mode, policies): the cookie still works
  }
}

function storedInCookie(): Locale | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === LOCALE_COOKIE && isLocale(value)) return value;
  }
  return undefined;
}

function writeCookie(locale: Locale): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox and Safari.
  document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${COOKIE_MAX_AGE}; SameSite=Lax${secure}`;
}

/**
 * The language to start with: the agent's earlier choice (localStorage, then the cookie the
 * server also reads), else French — Québec French when the browser points to Canada.
 */
export function initialLocale(): Locale {
  const chosen = storedInLocalStorage() ?? storedInCookie();
  const locale = chosen ?? defaultUiLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
  // The cookie always holds the page's language, chosen or default, so that what the server
  // renders or answers (error messages, the demo identity providers' pages, ui_locales sent to a
  // federation) is in the same language as the page — not in the browser's Accept-Language.
  if (storedInCookie() !== locale) {
    writeCookie(locale);
    if (!chosen) markNotChosen();
  }
  return locale;
}

/**
 * Whether the agent chose a language in this browser (the switch; or a cookie set by someone
 * else than this page, e.g. a test or another Entente page). If not, the signed-in agent's
 * profile language applies.
 */
export function languageWasChosen(): boolean {
  return storedInLocalStorage() !== undefined || (storedInCookie() !== undefined && !markedNotChosen());
}

/** Follows the signed-in agent's profile language, without counting it as a choice here. */
export function followProfileLocale(locale: Locale): void {
  writeCookie(locale);
  markNotChosen();
}

/** Remembers an explicit choice, for this browser (localStorage) and for the server (cookie). */
export function rememberLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(LOCALE_COOKIE, locale);
    window.localStorage.removeItem(NOT_CHOSEN_KEY);
  } catch {
    // storage disabled: the cookie alone remembers the choice
  }
  writeCookie(locale);
}

/** Declares the page's language, for assistive technologies, hyphenation and translation tools. */
export function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale;
}
