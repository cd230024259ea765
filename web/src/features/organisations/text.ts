import type { AdminKey } from '@entente/common/i18n/catalog/admin.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import { useI18n } from '../../app/i18n.tsx';
import { Problem } from '../../app/api.ts';

/** The `admin.*` messages in the page's language, and a problem said in plain words. */
export function useAdminText() {
  const { locale } = useI18n();
  const m = (key: AdminKey, values?: MessageValues) => formatMessage(locale, key, values);
  const problem = (error: unknown): string => {
    if (error instanceof Problem && error.title && error.detail) return m('admin.failed', { title: error.title, detail: error.detail });
    const slug = error instanceof Problem && hasMessage(`errors.${error.slug}.title`) ? error.slug : 'unavailable';
    return formatMessage(locale, `errors.${slug}.title`);
  };
  return { m, problem, locale };
}
