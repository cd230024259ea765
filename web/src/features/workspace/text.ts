import { problemSentence } from '@entente/common/i18n/problem-sentence.ts';
import { fieldIssueMessage } from '@entente/common/field-issue-message.ts';
import type { FieldIssue } from '@entente/common/field-issues.ts';
import type { WorkspaceKey } from '@entente/common/i18n/catalog/workspace.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { useMemo } from 'react';
import { useI18n } from '../../app/i18n.tsx';
import { Problem } from '../../app/api.ts';
import { longDateFormat } from '@entente/common/i18n/long-date.ts';

export interface WorkspaceText {
  locale: Locale;
  /** A message of the `workspace` namespace. */
  w: (key: WorkspaceKey, values?: MessageValues) => string;
  /** « 28 novembre 2026 à 22:41 » in the reader's language and time zone. */
  dateTime: (iso: string) => string;
  /** A failure said in words: the problem's title and detail from the catalog. */
  problem: (error: unknown) => string;
  /** A field error in words: its code made precise by its params (« 200 caractères au plus. »). */
  fieldError: (issue: Pick<FieldIssue, 'code' | 'params'>) => string;
}

/** Problems whose detail carries how long to wait (and why): said with the server's figures. */
const WAITS = new Set(['rate_limited', 'too_many_invitations']);

export function useWorkspaceText(): WorkspaceText {
  const { locale } = useI18n();
  return useMemo(() => {
    const w = (key: WorkspaceKey, values?: MessageValues) => formatMessage(locale, key, values);
    const dateTimeFormat = longDateFormat(locale, { timeStyle: 'short' });
    return {
      locale,
      w,
      dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
      problem: (error) => {
        // A wait or a count only the server knows: its own words (already in the page's language).
        if (error instanceof Problem && WAITS.has(error.slug) && error.title && error.detail) return problemSentence(error.title, error.detail);
        const slug = error instanceof Problem && hasMessage(`errors.${error.slug}.title`) ? error.slug : 'unavailable';
        // Placeholders the client cannot know (request id, limits) are shown as a dash.
        const values = { requestId: (error instanceof Problem && error.requestId) || '—', reason: '—', limit: '—', level: '—', seconds: '—', method: '—', allow: '—' };
        const title = formatMessage(locale, `errors.${slug}.title`, values);
        // A form shows each field's error under it: the detail points there, not to a list it does not show.
        const detailKey = slug === 'validation' && error instanceof Problem && error.fields.size > 0 ? 'errors.validation.detailFields' : `errors.${slug}.detail`;
        return hasMessage(detailKey) ? problemSentence(title, formatMessage(locale, detailKey, values)) : title;
      },
      fieldError: (issue) => fieldIssueMessage(locale, issue),
    };
  }, [locale]);
}
