import type { NotificationsKey } from '@entente/common/i18n/catalog/notifications.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useCallback } from 'react';
import { useI18n } from '../../app/i18n.tsx';

/** A message of the `notifications` namespace, in the page's language. */
export function useNotificationsText(): (key: NotificationsKey, values?: MessageValues) => string {
  const { locale } = useI18n();
  return useCallback((key, values) => formatMessage(locale, key, values), [locale]);
}
