import type { ExportsKey } from '@entente/common/i18n/catalog/exports.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useMemo } from 'react';
import { useI18n } from '../../../app/i18n.tsx';

/** Messages of the `exports` namespace in the reader's language. */
export function useExportsText(): (key: ExportsKey, values?: MessageValues) => string {
  const { locale } = useI18n();
  return useMemo(() => (key: ExportsKey, values?: MessageValues) => formatMessage(locale, key, values), [locale]);
}
