import type { FieldIssue, FieldParams } from './field-issues.ts';
import type { SkillsAuthoringKey } from './i18n/catalog/skills-authoring.ts';
import { formatMessage, hasMessage, type MessageValues } from './i18n/format.ts';
import type { Locale } from './i18n/locales.ts';

/**
 * A field error of the skills authoring screens (item editor, import report, organisation's
 * framework) in the reader's language. The server sends stable codes, paths and params
 * (field-issues.ts); the words are here, from the catalogue:
 * - where: the editor's own labels (`fr.options.1` → « Réponse 2 en français (France) »);
 * - what: the code, made precise by its params (`too_big` of a text, maximum 1000 → « 1 000
 *   caractères au plus. »), else the code's message, else a generic one.
 */
export function fieldMessage(locale: Locale, issue: Pick<FieldIssue, 'code' | 'params'> & { path?: string }): string {
  const a = (key: SkillsAuthoringKey, values?: MessageValues) => formatMessage(locale, key, values);
  const params: FieldParams = issue.params ?? {};
  const text = (name: string) => (typeof params[name] === 'string' ? params[name] : undefined);
  const list = (name: string) => {
    const value = params[name];
    return Array.isArray(value) && value.length > 0 ? value : undefined;
  };
  switch (issue.code) {
    case 'invalid_type': {
      const expected = text('expected');
      const received = text('received');
      if (received === 'missing') return a('skillsAuthoring.field.required');
      if (expected === undefined) return a('skillsAuthoring.field.invalid_type');
      if (received === undefined || received === expected) return a('skillsAuthoring.field.invalid_type.expected', { expected });
      // A number where a whole number is due is a decimal one: « et non un nombre » would puzzle.
      return a('skillsAuthoring.field.invalid_type.received', { expected, received: expected === 'int' && received === 'number' ? 'decimal' : received });
    }
    case 'too_small':
    case 'too_big': {
      const limit = params[issue.code === 'too_small' ? 'minimum' : 'maximum'];
      const origin = text('origin');
      const variant = origin === 'number' ? (params.inclusive === false ? 'number_exclusive' : 'number') : origin === 'string' || origin === 'array' ? origin : undefined;
      if (typeof limit !== 'number' || variant === undefined) return a(`skillsAuthoring.field.${issue.code}`);
      return a(`skillsAuthoring.field.${issue.code}.${variant}`, { limit });
    }
    case 'invalid_value': {
      const values = list('values');
      if (!values) return a('skillsAuthoring.field.invalid_value');
      return a('skillsAuthoring.field.invalid_value.values', { count: values.length, values: joined(locale, values, 'disjunction') });
    }
    case 'unrecognized_keys': {
      const keys = list('keys');
      if (!keys) return a('skillsAuthoring.field.unrecognized_keys');
      return a('skillsAuthoring.field.unrecognized_keys.keys', { count: keys.length, keys: joined(locale, keys, 'conjunction') });
    }
    case 'invalid_format': {
      // A pattern says nothing to a trainer: the rule of the field it guards does.
      const name = issue.path?.split('.').at(-1);
      if (name === 'competence') return a('skillsAuthoring.field.invalid_format.competence');
      if (name === 'key') return a('skillsAuthoring.field.invalid_format.key');
      if (text('format') === 'uuid') return a('skillsAuthoring.field.invalid_format.uuid');
      return a('skillsAuthoring.field.invalid_format');
    }
    default: {
      const key = `skillsAuthoring.field.${issue.code}`;
      return hasMessage(key) ? formatMessage(locale, key) : a('skillsAuthoring.field.invalid');
    }
  }
}

/** Values or keys quoted the reader's way and joined: « a », « b » ou « c ». */
function joined(locale: Locale, values: readonly string[], type: 'conjunction' | 'disjunction'): string {
  const quoted = values.map((text) => formatMessage(locale, 'skillsAuthoring.field.quoted', { text }));
  return new Intl.ListFormat(locale, { type }).format(quoted);
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
