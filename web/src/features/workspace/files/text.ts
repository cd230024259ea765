import { problemSentence } from '@entente/common/i18n/problem-sentence.ts';
import type { FilesKey } from '@entente/common/i18n/catalog/files.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useMemo } from 'react';
import { Problem } from '../../../app/api.ts';
import { useWorkspaceText, type WorkspaceText } from '../text.ts';
import { formatSize, formatSizesApart } from './sizes.ts';
import type { UploadFailure } from './uploads.ts';

export interface FilesText extends WorkspaceText {
  /** A message of the `files` namespace. */
  f: (key: FilesKey, values?: MessageValues) => string;
  size: (bytes: number) => string;
  /** A failure of a files action or upload (of `fileName`), in words: the quota named, what is free. */
  failure: (error: unknown, fileName?: string) => string;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function useFilesText(): FilesText {
  const text = useWorkspaceText();
  return useMemo(() => {
    const { locale } = text;
    const f = (key: FilesKey, values?: MessageValues) => formatMessage(locale, key, values);
    const size = (bytes: number) => formatSize(locale, bytes);
    // Shorter than the workspace's long dates: a listing has a column for them.
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const dateTime = (iso: string) => dateFormat.format(new Date(iso));

    const fromProblem = (status: number, slug: string, title: string | null, detail: string | null, members: Readonly<Record<string, unknown>>, original: unknown) => {
      if (slug === 'quota_exceeded') {
        const used = num(members.used);
        const limit = num(members.limit);
        const needed = num(members.needed);
        const scope = members.scope === 'organisation' ? 'organisation' : 'space';
        if (used !== null && limit !== null && needed !== null) {
          const [freeText, neededText] = formatSizesApart(locale, Math.max(0, limit - used), needed);
          return f(`files.problem.quota_exceeded.${scope}`, { free: freeText, limit: size(limit), needed: neededText });
        }
      }
      if (slug === 'file_too_large') {
        const limit = num(members.limit);
        return limit !== null ? f('files.problem.file_too_large.limit', { limit: size(limit) }) : f('files.problem.file_too_large');
      }
      if (hasMessage(`files.problem.${slug}`)) return formatMessage(locale, `files.problem.${slug}`);
      if (status === 403 && slug === 'forbidden') return f('files.problem.forbidden');
      // A slug the catalog knows is said from it; one it does not, with the server's own words
      // (already in the page's language).
      if (hasMessage(`errors.${slug}.title`) || !title) return text.problem(original instanceof Problem ? original : new Problem(status, slug));
      return problemSentence(title, detail);
    };

    const failure = (error: unknown, fileName = ''): string => {
      if (error instanceof Problem) return fromProblem(error.status, error.slug, error.title, error.detail, {}, error);
      const upload = error as UploadFailure | null;
      switch (upload?.kind) {
        case 'quota': {
          const [sizeText, freeText] = formatSizesApart(locale, upload.size, upload.free);
          return upload.scope === 'space'
            ? f('files.quota.tooBig.space', { name: fileName, size: sizeText, free: freeText, limit: size(upload.limit) })
            : f('files.quota.tooBig.organisation', { name: fileName, size: sizeText, free: freeText, limit: size(upload.limit), organisation: upload.organisation ?? '' });
        }
        case 'problem':
          return fromProblem(upload.status, upload.slug, upload.title, upload.detail, upload.members, null);
        case 'network':
          return f('files.problem.network');
        case 'incomplete':
          return f('files.problem.incomplete');
        default:
          return text.problem(error);
      }
    };
    return { ...text, f, size, failure, dateTime };
  }, [text]);
}
