import type { ImportsKey } from '@entente/common/i18n/catalog/imports.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useMemo } from 'react';
import { useWorkspaceText, type WorkspaceText } from '../text.ts';

export interface ImportsText extends WorkspaceText {
  /** A message of the `imports` namespace. */
  m: (key: ImportsKey, values?: MessageValues) => string;
  /** Why a file or an import failed, from the server's stable reason. */
  reason: (code: string | null | undefined) => string;
  /** What was left out of an imported file, one phrase per kind. */
  dropped: (counts: Record<string, number> | undefined) => string[];
}

export function useImportsText(): ImportsText {
  const text = useWorkspaceText();
  return useMemo(() => {
    const m = (key: ImportsKey, values?: MessageValues) => formatMessage(text.locale, key, values);
    const reason = (code: string | null | undefined) => (code && hasMessage(`imports.reason.${code}`) ? formatMessage(text.locale, `imports.reason.${code}`) : m('imports.reason.unknown'));
    const dropped = (counts: Record<string, number> | undefined) =>
      Object.entries(counts ?? {})
        .filter(([kind, count]) => count > 0 && hasMessage(`imports.dropped.${kind}`))
        .map(([kind, count]) => formatMessage(text.locale, `imports.dropped.${kind}`, { count }));
    return { ...text, m, reason, dropped };
  }, [text]);
}
