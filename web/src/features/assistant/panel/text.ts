import type { AssistantPanelKey } from '@entente/common/i18n/catalog/assistant-panel.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useMemo } from 'react';
import { Problem } from '../../../app/api.ts';
import { useI18n } from '../../../app/i18n.tsx';

export interface PanelText {
  t: (key: AssistantPanelKey, values?: MessageValues) => string;
  /** A message of another namespace (the content-logging notice of `aiUsage.*`). */
  any: (key: string, values?: MessageValues) => string;
  /** A failure in words: the server's detail when it gave one (already in the page's language), else the catalog's title. */
  reason: (error: unknown) => string;
}

export function usePanelText(): PanelText {
  const { locale } = useI18n();
  return useMemo(() => {
    const any = (key: string, values?: MessageValues) => formatMessage(locale, key, values);
    return {
      t: (key, values) => any(key, values),
      any,
      reason: (error) => {
        if (error instanceof Problem) {
          if (error.detail) return error.detail;
          const key = `errors.${error.slug}.title`;
          return any(hasMessage(key) ? key : 'errors.unavailable.title', { requestId: error.requestId ?? '—', reason: '—', limit: '—', level: '—', seconds: '—' });
        }
        return any('errors.unavailable.title', { requestId: '—' });
      },
    };
  }, [locale]);
}
