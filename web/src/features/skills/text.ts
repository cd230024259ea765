import type { SkillsKey } from '@entente/common/i18n/catalog/skills.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import type { TargetProfileView } from '@entente/common/skills.ts';
import { useMemo } from 'react';
import { Problem } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { longDateFormat } from '@entente/common/i18n/long-date.ts';

export interface SkillsText {
  locale: Locale;
  s: (key: SkillsKey, values?: MessageValues) => string;
  /** A level 1–8 with its DigComp band (« 4 sur 8 (intermédiaire) »), or « non mesuré ». */
  level: (level: number | null) => string;
  /** A level alone (« 4 sur 8 »), for tables where the band would repeat. */
  levelShort: (level: number | null) => string;
  /** A team's mean level, one decimal (« 3,4 sur 8 »). */
  mean: (value: number | null) => string;
  /** A timestamp as a date in the reader's way. */
  date: (iso: string) => string;
  duration: (minutes: number) => string;
  /** A failure said in plain words: the server's localised title and detail when it gave them. */
  problem: (error: unknown) => string;
}

/** The DigComp 2.2 band of a level: 1–2 foundation, 3–4 intermediate, 5–6 advanced, 7–8 highly specialised. */
export function bandKey(level: number): SkillsKey {
  if (level <= 2) return 'skills.band.foundation';
  if (level <= 4) return 'skills.band.intermediate';
  if (level <= 6) return 'skills.band.advanced';
  return 'skills.band.specialised';
}

/** A target profile in a list: its name, with its role when the name does not already say it. */
export function profileLabel(text: SkillsText, profile: TargetProfileView): string {
  const role = text.s(`skills.profile.role.${profile.role}`);
  return profile.name.toLocaleLowerCase(text.locale).includes(role.toLocaleLowerCase(text.locale))
    ? profile.name
    : text.s('skills.profile.option', { name: profile.name, role });
}

export function useSkillsText(): SkillsText {
  const { locale } = useI18n();
  return useMemo(() => {
    const s = (key: SkillsKey, values?: MessageValues) => formatMessage(locale, key, values);
    const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const dateFormat = longDateFormat(locale);
    return {
      locale,
      s,
      level: (level) =>
        level === null ? s('skills.notMeasured') : s('skills.level.withBand', { level, band: s(bandKey(Math.round(level))) }),
      levelShort: (level) => (level === null ? s('skills.notMeasured') : s('skills.level.value', { level })),
      mean: (value) => (value === null ? s('skills.notMeasured') : s('skills.level.mean', { value: oneDecimal.format(value) })),
      date: (iso) => dateFormat.format(new Date(iso)),
      duration: (minutes) =>
        minutes < 60
          ? s('skills.path.minutes', { count: minutes })
          : s('skills.path.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 }).trim(),
      problem: (error) => {
        if (error instanceof Problem && error.title) return error.detail ? `${error.title} — ${error.detail}` : error.title;
        const slug = error instanceof Problem && hasMessage(`errors.${error.slug}.title`) ? error.slug : 'unavailable';
        return formatMessage(locale, `errors.${slug}.title`);
      },
    };
  }, [locale]);
}
