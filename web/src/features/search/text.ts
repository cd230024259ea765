import type { SearchKey } from '@entente/common/i18n/catalog/search.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useCallback } from 'react';
import { useI18n } from '../../app/i18n.tsx';

/** A message of the `search` namespace in the page's language. */
export function useSearchText(): (key: SearchKey, values?: MessageValues) => string {
  const { locale } = useI18n();
  return useCallback((key: SearchKey, values?: MessageValues) => formatMessage(locale, key, values), [locale]);
}
