import type { SharingKey } from '@entente/common/i18n/catalog/sharing.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useMemo } from 'react';
import { useI18n } from '../../../app/i18n.tsx';

/** Messages of the `sharing` namespace in the reader's language. */
export function useSharingText(): (key: SharingKey, values?: MessageValues) => string {
  const { locale } = useI18n();
  return useMemo(() => (key: SharingKey, values?: MessageValues) => formatMessage(locale, key, values), [locale]);
}
