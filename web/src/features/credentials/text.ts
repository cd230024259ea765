import type { CredentialsKey } from '@entente/common/i18n/catalog/credentials.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { useMemo } from 'react';
import { Problem } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { useFrameworkNames } from './framework-names.ts';
import { longDateFormat } from '@entente/common/i18n/long-date.ts';

export interface CredentialsText {
  locale: Locale;
  c: (key: CredentialsKey, values?: MessageValues) => string;
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
  /** The time of day alone (« 17:11 »): for what expires within minutes, read « jusqu’à 17:11 ». */
  time: (iso: string) => string;
  /** « Attestation d’agent public », from the type code. */
  typeName: (type: string | null) => string;
  /** A claim's label from its path (`organisation.name`, `competences.1.1`), or the path itself. */
  claimLabel: (path: string) => string;
  /** A claim's value in words (France, « substantiel », « 4 sur 8 »…). */
  claimValue: (path: string, value: unknown) => string;
  /** A refusal code in plain words. */
  reason: (code: string) => string;
  problem: (error: unknown) => string;
}

const LEVEL_CLAIMS = new Set(['overall_level']);
const DATE_CLAIMS = new Set(['assessed_at', 'iat', 'nbf', 'exp']);

export function useCredentialsText(): CredentialsText {
  const { locale } = useI18n();
  const framework = useFrameworkNames(locale);
  return useMemo(() => {
    const c = (key: CredentialsKey, values?: MessageValues) => formatMessage(locale, key, values);
    const known = (key: string) => hasMessage(key);
    const dateFormat = longDateFormat(locale);
    const dateTimeFormat = longDateFormat(locale, { timeStyle: 'short' });
    const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
    const asDate = (value: unknown): Date | null => {
      const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
      return date && !Number.isNaN(date.getTime()) ? date : null;
    };
    const claimLabel = (path: string): string => {
      if (known(`credentials.claim.${path}`)) return formatMessage(locale, `credentials.claim.${path}`);
      const [head, ...rest] = path.split('.');
      const name = head === 'areas' || head === 'competences' ? framework.name(path) : undefined;
      if (head === 'areas' && rest.length) return name ? c('credentials.claim.areaNamed', { key: rest.join('.'), name }) : c('credentials.claim.area', { key: rest.join('.') });
      if (head === 'competences' && rest.length) {
        return name ? c('credentials.claim.competenceNamed', { key: rest.join('.'), name }) : c('credentials.claim.competence', { key: rest.join('.') });
      }
      return path;
    };
    const claimValue = (path: string, value: unknown): string => {
      const name = path.split('.')[0] ?? path;
      if (value === true) return c('credentials.value.yes');
      if (value === false) return c('credentials.value.no');
      if (name === 'jurisdiction' && (value === 'FR' || value === 'QC')) return c(`credentials.value.jurisdiction.${value}`);
      if (name === 'assurance_level' && typeof value === 'string' && known(`credentials.value.assurance.${value}`)) {
        return formatMessage(locale, `credentials.value.assurance.${value}`);
      }
      if (name === 'role' && Array.isArray(value)) {
        return value
          .map((role) => (known(`credentials.value.role.${String(role)}`) ? formatMessage(locale, `credentials.value.role.${String(role)}`) : String(role)))
          .join(', ');
      }
      if (DATE_CLAIMS.has(name)) {
        const date = asDate(value);
        if (date) return dateFormat.format(date);
      }
      if ((LEVEL_CLAIMS.has(name) || ((name === 'areas' || name === 'competences') && path.includes('.'))) && typeof value === 'number') {
        return c('credentials.value.level', { level: value });
      }
      if (value !== null && typeof value === 'object') {
        return Object.entries(value as Record<string, unknown>)
          .map(([key, inner]) => `${claimLabel(`${path}.${key}`)}${locale === 'en' ? ': ' : ' : '}${claimValue(`${path}.${key}`, inner)}`)
          .join(locale === 'en' ? '; ' : ' ; ');
      }
      return String(value);
    };
    return {
      locale,
      c,
      date: (iso) => dateFormat.format(new Date(iso)),
      dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
      time: (iso) => timeFormat.format(new Date(iso)),
      typeName: (type) =>
        type === 'public-agent' || type === 'digital-skills' ? c(`credentials.type.${type}`) : c('credentials.type.unknown'),
      claimLabel,
      claimValue,
      reason: (code) => (known(`credentials.reason.${code}`) ? formatMessage(locale, `credentials.reason.${code}`) : c('credentials.reason.other', { code })),
      problem: (error) => {
        if (error instanceof Problem && error.title) return error.detail ? `${error.title} — ${error.detail}` : error.title;
        if (error instanceof Problem && hasMessage(`errors.${error.slug}.title`)) return formatMessage(locale, `errors.${error.slug}.title`);
        if (error instanceof Error && error.message) return error.message;
        return formatMessage(locale, 'errors.unavailable.title');
      },
    };
  }, [locale, framework]);
}
