import type { FieldIssue, FieldParams } from './field-issues.ts';
import { formatMessage, hasMessage } from './i18n/format.ts';
import type { Locale } from './i18n/locales.ts';

/**
 * A field error (field-issues.ts) in the reader's language, from the `errors.field.*` messages:
 * the code made precise by its params (`too_big` of a text, maximum 1000 → « 1 000 caractères au
 * plus. »), else the code's own message (a module's code: `answer_required`…), else a generic one.
 * The server writes problem+json `errors[].message` with it; the skills authoring screens say
 * their own codes first (skills-field-issues.ts), then these.
 */
export function fieldIssueMessage(locale: Locale, issue: Pick<FieldIssue, 'code' | 'params'>): string {
  const f = (key: string, values?: Record<string, string | number>) => formatMessage(locale, `errors.field.${key}`, values);
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
      if (received === 'missing') return f('required');
      if (expected === undefined) return f('invalid_type');
      if (received === undefined || received === expected) return f('invalid_type.expected', { expected });
      // A number where a whole number is due is a decimal one: « et non un nombre » would puzzle.
      return f('invalid_type.received', { expected, received: expected === 'int' && received === 'number' ? 'decimal' : received });
    }
    case 'too_small':
    case 'too_big': {
      const limit = params[issue.code === 'too_small' ? 'minimum' : 'maximum'];
      const origin = text('origin');
      const variant = origin === 'number' ? (params.inclusive === false ? 'number_exclusive' : 'number') : origin === 'string' || origin === 'array' ? origin : undefined;
      if (typeof limit !== 'number' || variant === undefined) return f(issue.code);
      // An empty text or an empty list where one is due: plainer said as what is needed.
      if (issue.code === 'too_small' && limit === 1 && params.inclusive !== false) {
        if (variant === 'string') return f('required');
        if (variant === 'array') return f('required.choice');
      }
      return f(`${issue.code}.${variant}`, { limit });
    }
    case 'invalid_value': {
      if (text('received') === 'missing') return f('required');
      const values = list('values');
      if (!values) return f('invalid_value');
      return f('invalid_value.values', { count: values.length, values: joined(locale, values, 'disjunction') });
    }
    case 'unrecognized_keys': {
      const keys = list('keys');
      if (!keys) return f('unrecognized_keys');
      return f('unrecognized_keys.keys', { count: keys.length, keys: joined(locale, keys, 'conjunction') });
    }
    case 'invalid_format':
      return text('format') === 'uuid' ? f('invalid_format.uuid') : f('invalid_format');
    default:
      // Only a code with a message of its own: never a key made of whatever the code holds.
      return /^[a-z_]+$/.test(issue.code) && hasMessage(`errors.field.${issue.code}`) ? f(issue.code) : f('invalid');
  }
}

/** Values or keys quoted the reader's way and joined: « a », « b » ou « c ». */
function joined(locale: Locale, values: readonly string[], type: 'conjunction' | 'disjunction'): string {
  const quoted = values.map((text) => formatMessage(locale, 'errors.quotedValue', { text }));
  return new Intl.ListFormat(locale, { type }).format(quoted);
}
