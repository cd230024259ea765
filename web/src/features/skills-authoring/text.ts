import type { FieldIssue } from '@entente/common/field-issues.ts';
import type { SkillsAuthoringKey } from '@entente/common/i18n/catalog/skills-authoring.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { fieldMessage, fieldPlace } from '@entente/common/skills-field-issues.ts';
import { useMemo } from 'react';
import { Problem } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { AuthoringProblem, type LocalisedText } from './api.ts';

export interface AuthoringText {
  locale: Locale;
  a: (key: SkillsAuthoringKey, values?: MessageValues) => string;
  /**
   * What is wrong with a field, from the server's code and params (`correct_single`, zod's
   * `too_big` with its limit…), or the generic message: common/src/skills-field-issues.ts.
   */
  field: (issue: string | Pick<FieldIssue, 'code' | 'params'> & { path?: string }) => string;
  /** A failure said in plain words: the server's localised title and detail when it gave them. */
  problem: (error: unknown) => string;
  /** A { fr, frCA?, en } text in the page's language. */
  local: (text: LocalisedText) => string;
  /** Where a field error is, in words (`fr.options.1` → « Réponse 2 en français (France) »); an unknown path as its parts. */
  place: (path: string) => string;
}

export function useAuthoringText(): AuthoringText {
  const { locale } = useI18n();
  return useMemo(() => {
    const a = (key: SkillsAuthoringKey, values?: MessageValues) => formatMessage(locale, key, values);
    return {
      locale,
      a,
      field: (issue) => fieldMessage(locale, typeof issue === 'string' ? { code: issue } : issue),
      problem: (error) => {
        const problem = error instanceof AuthoringProblem ? error.problem : error;
        if (problem instanceof Problem && problem.title) return problem.detail ? `${problem.title} — ${problem.detail}` : problem.title;
        const slug = problem instanceof Problem && hasMessage(`errors.${problem.slug}.title`) ? problem.slug : 'unavailable';
        return formatMessage(locale, `errors.${slug}.title`);
      },
      local: (text) => (locale === 'en' ? text.en : locale === 'fr-CA' && text.frCA ? text.frCA : text.fr),
      place: (path) => fieldPlace(locale, path),
    };
  }, [locale]);
}
