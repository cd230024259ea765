import type { AiDashboardKey } from '@entente/common/i18n/catalog/ai-dashboard.ts';
import type { AiRegisterKey } from '@entente/common/i18n/catalog/ai-register.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { useMemo } from 'react';
import { Problem } from '../../../app/api.ts';
import { useI18n } from '../../../app/i18n.tsx';

export interface DashboardText {
  locale: Locale;
  d: (key: AiDashboardKey, values?: MessageValues) => string;
  /** A message of the register's namespace (`aiRegister.*`). */
  r: (key: AiRegisterKey, values?: MessageValues) => string;
  /** Whole numbers in the reader's way (« 12 345 » in French, « 12,345 » in English). */
  count: (value: number) => string;
  /** Estimates: at most two decimals, at least one significant digit for small values. */
  estimate: (value: number) => string;
  /** A UTC day (`2026-11-29`) as the reader writes it. */
  day: (isoDay: string) => string;
  seconds: (ms: number | null) => string;
  problem: (error: unknown) => string;
}

export function useDashboardText(): DashboardText {
  const { locale } = useI18n();
  return useMemo(() => {
    const d = (key: AiDashboardKey, values?: MessageValues) => formatMessage(locale, key, values);
    const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const twoDecimals = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    const small = new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 });
    const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return {
      locale,
      d,
      r: (key: AiRegisterKey, values?: MessageValues) => formatMessage(locale, key, values),
      count: (value) => whole.format(value),
      estimate: (value) => (value !== 0 && Math.abs(value) < 0.01 ? small.format(value) : twoDecimals.format(value)),
      day: (isoDay) => dayFormat.format(new Date(`${isoDay}T00:00:00Z`)),
      seconds: (ms) => (ms === null ? d('aiDashboard.notAvailable') : d('aiDashboard.seconds', { value: oneDecimal.format(ms / 1000) })),
      problem: (error) => {
        if (error instanceof Problem && error.title) return error.detail ? `${error.title} — ${error.detail}` : error.title;
        const slug = error instanceof Problem && hasMessage(`errors.${error.slug}.title`) ? error.slug : 'unavailable';
        return formatMessage(locale, `errors.${slug}.title`);
      },
    };
  }, [locale]);
}
