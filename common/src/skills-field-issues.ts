import { fieldIssueMessage } from './field-issue-message.ts';
import type { FieldIssue } from './field-issues.ts';
import type { SkillsAuthoringKey } from './i18n/catalog/skills-authoring.ts';
import { formatMessage, hasMessage, type MessageValues } from './i18n/format.ts';
import type { Locale } from './i18n/locales.ts';

/**
 * A field error of the skills authoring screens (item editor, import report, organisation's
 * framework) in the reader's language. The server sends stable codes, paths and params
 * (field-issues.ts); the words are from the catalogue:
 * - where: the editor's own labels (`fr.options.1` → « Réponse 2 en français (France) »);
 * - what: the screens' own codes and formats (`skillsAuthoring.field.*`: `stem_too_long`, a
 *   competence id's rule…), else every field's words (field-issue-message.ts: `too_big` of a text,
 *   maximum 1000 → « 1 000 caractères au plus. »).
 */
export function fieldMessage(locale: Locale, issue: Pick<FieldIssue, 'code' | 'params'> & { path?: string }): string {
  if (issue.code === 'invalid_format') {
    // A pattern says nothing to a trainer: the rule of the field it guards does.
    const name = issue.path?.split('.').at(-1);
    if (name === 'competence') return formatMessage(locale, 'skillsAuthoring.field.invalid_format.competence');
    if (name === 'key') return formatMessage(locale, 'skillsAuthoring.field.invalid_format.key');
  }
  const own = `skillsAuthoring.field.${issue.code}`;
  if (/^[a-z_]+$/.test(issue.code) && hasMessage(own)) return formatMessage(locale, own);
  return fieldIssueMessage(locale, issue);
}

const LANGS = ['fr', 'frCA', 'en'] as const;
type PathLang = (typeof LANGS)[number];
const isLang = (part: string | undefined): part is PathLang => (LANGS as readonly string[]).includes(part ?? '');
const isIndex = (part: string | undefined): part is string => part !== undefined && /^\d+$/.test(part);

/**
 * Where a field error is, in words: `fr.options.1` → « Réponse 2 en français (France) »,
 * `parameters.a` → « Discrimination (a) », an empty path (the whole item) → « Question ». A path
 * the screens do not know is shown as its parts: `a.b` → « a › b ».
 */
export function fieldPlace(locale: Locale, path: string): string {
  const a = (key: SkillsAuthoringKey, values?: MessageValues) => formatMessage(locale, key, values);
  const parts = path.split('.').filter((part) => part !== '');
  const [head, name, index] = parts;
  const asIs = parts.join(' › ');
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
              ? isIndex(index)
                ? a('skillsAuthoring.path.acceptedOne', { n: Number(index) + 1 })
                : a('skillsAuthoring.path.accepted')
              : name === 'explanation'
                ? a('skillsAuthoring.path.explanation')
                : null;
    return what === null ? asIs : a('skillsAuthoring.path.inLanguage', { field: what, language: a(`skillsAuthoring.path.lang.${head}`) });
  }
  if (head === 'parameters' && name !== undefined) return a('skillsAuthoring.path.parameter', { name });
  const key = TOP_LEVEL.get(head);
  return key === undefined ? asIs : a(key);
}

/** An item's fields (the editor's labels) and an import file's. A Map: `constructor` is no field. */
const TOP_LEVEL = new Map<string, SkillsAuthoringKey>([
  ['competence', 'skillsAuthoring.filters.competence'],
  ['level', 'skillsAuthoring.path.level'],
  ['kind', 'skillsAuthoring.editor.kind'],
  ['correct', 'skillsAuthoring.editor.correct'],
  ['key', 'skillsAuthoring.col.key'],
  ['status', 'skillsAuthoring.filters.status'],
  ['parameters', 'skillsAuthoring.path.parameters'],
  ['items', 'skillsAuthoring.path.items'],
  ['format', 'skillsAuthoring.path.format'],
  ['version', 'skillsAuthoring.path.version'],
  ['organisationId', 'skillsAuthoring.path.organisation'],
  ['exportedAt', 'skillsAuthoring.path.exportedAt'],
]);
