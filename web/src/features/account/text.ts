import { fieldIssueMessage } from '@entente/common/field-issue-message.ts';
import type { FieldIssue } from '@entente/common/field-issues.ts';
import type { AccountKey } from '@entente/common/i18n/catalog/account.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { parseUserAgent } from '@entente/common/user-agent.ts';
import { useMemo } from 'react';
import { useI18n } from '../../app/i18n.tsx';
import type { Problem } from '../../app/api.ts';
import { longDateFormat } from '@entente/common/i18n/long-date.ts';

export interface AccountText {
  locale: Locale;
  /** A message of the `account` namespace. */
  a: (key: AccountKey, values?: MessageValues) => string;
  /** A date and time in the reader's language and time zone (« 28 novembre 2026 à 22:41 »). */
  dateTime: (iso: string) => string;
  date: (iso: string) => string;
  /** « Firefox sur Linux », « Navigateur inconnu sur système inconnu ». */
  device: (userAgent: string | null) => string;
  /** A problem's title and detail from the catalog (`errors.<slug>.*`), in the page's language. */
  problem: (error: Problem) => { title: string; detail: string };
  /** A field error in words: its code made precise by its params (« 200 caractères au plus. »). */
  fieldError: (issue: Pick<FieldIssue, 'code' | 'params'>) => string;
}

export function useAccountText(): AccountText {
  const { locale } = useI18n();
  return useMemo(() => {
    const a = (key: AccountKey, values?: MessageValues) => formatMessage(locale, key, values);
    const dateTimeFormat = longDateFormat(locale, { timeStyle: 'short' });
    const dateFormat = longDateFormat(locale);
    return {
      locale,
      a,
      dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
      date: (iso) => dateFormat.format(new Date(iso)),
      device: (userAgent) => {
        const { browser, system } = parseUserAgent(userAgent);
        return a('account.sessions.device', {
          browser: a(browser ? `account.browser.${browser}` : 'account.browser.unknown'),
          system: a(system ? `account.system.${system}` : 'account.system.unknown'),
        });
      },
      problem: (error) => {
        const slug = hasMessage(`errors.${error.slug}.title`) ? error.slug : 'internal';
        // Placeholders the client cannot know (request id, limits) are shown as a dash.
        const values = { requestId: error.requestId ?? '—', reason: '—', limit: '—', level: '—', seconds: '—', method: '—', allow: '—' };
        return {
          title: formatMessage(locale, `errors.${slug}.title`, values),
          detail: formatMessage(locale, `errors.${slug}.detail`, values),
        };
      },
      fieldError: (issue) => fieldIssueMessage(locale, issue),
    };
  }, [locale]);
}
