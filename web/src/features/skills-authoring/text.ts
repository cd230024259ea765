import type { SkillsAuthoringKey } from '@entente/common/i18n/catalog/skills-authoring.ts';
import { formatMessage, hasMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { useMemo } from 'react';
import { Problem } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { AuthoringProblem, type LocalisedText } from './api.ts';

export interface AuthoringText {
  locale: Locale;
  a: (key: SkillsAuthoringKey, values?: MessageValues) => string;
  /** The message of a field code (`correct_single`…), or the generic one. */
  field: (code: string) => string;
  /** A failure said in plain words: the server's localised title and detail when it gave them. */
  problem: (error: unknown) => string;
  /** A { fr, frCA?, en } text in the page's language. */
  local: (text: LocalisedText) => string;
  /** Where a field error is, in words (`fr.options.1` → « Réponse 2 en français (France) »); an unknown path as it is. */
  place: (path: string) => string;
}

const LANGS = ['fr', 'frCA', 'en'] as const;
type PathLang = (typeof LANGS)[number];
const isLang = (part: string | undefined): part is PathLang => (LANGS as readonly string[]).includes(part ?? '');
const isIndex = (part: string | undefined): part is string => part !== undefined && /^\d+$/.test(part);

export function useAuthoringText(): AuthoringText {
  const { locale } = useI18n();
  return useMemo(() => {
    const a = (key: SkillsAuthoringKey, values?: MessageValues) => formatMessage(locale, key, values);
    return {
      locale,
      a,
      field: (code) => {
        const key = `skillsAuthoring.field.${code}`;
        return hasMessage(key) ? formatMessage(locale, key) : a('skillsAuthoring.field.invalid');
      },
      problem: (error) => {
        const problem = error instanceof AuthoringProblem ? error.problem : error;
        if (problem instanceof Problem && problem.title) return problem.detail ? `${problem.title} — ${problem.detail}` : problem.title;
        const slug = problem instanceof Problem && hasMessage(`errors.${problem.slug}.title`) ? problem.slug : 'unavailable';
        return formatMessage(locale, `errors.${slug}.title`);
      },
      local: (text) => (locale === 'en' ? text.en : locale === 'fr-CA' && text.frCA ? text.frCA : text.fr),
      place: (path) => {
        const [head, name, index] = path.split('.').filter((part) => part !== '');
        if (head === undefined) return a('skillsAuthoring.path.item');
        if (isLang(head)) {
          const what =
            name === undefined
              ? a('skillsAuthoring.path.content')
              : name === 'stem'
                ? a('skillsAuthoring.editor.stem')
                : name === 'options'
                  ? isIndex(index)
                    ? a('skillsAuthoring.editor.option', { n: Number(index) + 1 })
                    : a('skillsAuthoring.editor.options')
                  : name === 'accepted'
                    ? a('skillsAuthoring.path.accepted')
                    : name === 'explanation'
                      ? a('skillsAuthoring.path.explanation')
                      : null;
          return what === null ? path : a('skillsAuthoring.path.inLanguage', { field: what, language: a(`skillsAuthoring.path.lang.${head}`) });
        }
        const top: Record<string, string> = {
          competence: a('skillsAuthoring.filters.competence'),
          level: a('skillsAuthoring.path.level'),
          kind: a('skillsAuthoring.editor.kind'),
          correct: a('skillsAuthoring.editor.correct'),
          key: a('skillsAuthoring.col.key'),
          status: a('skillsAuthoring.filters.status'),
          parameters: a('skillsAuthoring.path.parameters'),
          items: a('skillsAuthoring.path.items'),
        };
        return top[head] ?? path;
      },
    };
  }, [locale]);
}
