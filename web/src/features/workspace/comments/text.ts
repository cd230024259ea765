import type { CommentsKey } from '@entente/common/i18n/catalog/comments.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useMemo } from 'react';
import { useWorkspaceText, type WorkspaceText } from '../text.ts';

export interface CommentsText extends WorkspaceText {
  /** A message of the `comments` namespace. */
  c: (key: CommentsKey, values?: MessageValues) => string;
}

export function useCommentsText(): CommentsText {
  const text = useWorkspaceText();
  return useMemo(() => ({ ...text, c: (key: CommentsKey, values?: MessageValues) => formatMessage(text.locale, key, values) }), [text]);
}
