import { validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldIssueDetails } from './field-issues.ts';
import { toAppError } from './http/problems.ts';

const item = z
  .object({
    level: z.number().int().min(1).max(8),
    stem: z.string().max(1000),
    kind: z.enum(['single', 'multiple']),
    key: z.string().regex(/^[a-z]+$/),
    options: z.array(z.string()).max(2),
    a: z.number().gt(0),
    text: z.string().refine(() => false, { message: 'control characters', params: { code: 'invalid_text' } }),
  })
  .strict();

const detailsOf = (input: unknown, reportInput = false) => {
  const parsed = item.safeParse(input, { reportInput });
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error.issues.map(({ code, path, message: _english, ...rest }) => ({ path: path.join('.'), ...fieldIssueDetails(code, rest) }));
};

describe('zod issues as stable codes and params', () => {
  it('keeps limits, values, keys and formats, never the input nor zod’s English', () => {
    const found = detailsOf({ level: 9, stem: 'x'.repeat(1001), kind: 'choice', key: 'A', options: ['a', 'b', 'c'], a: 0, text: 'ok', extra: 'secret value' });
    expect(found).toEqual([
      { path: 'level', code: 'too_big', params: { origin: 'number', maximum: 8, inclusive: true } },
      { path: 'stem', code: 'too_big', params: { origin: 'string', maximum: 1000, inclusive: true } },
      { path: 'kind', code: 'invalid_value', params: { values: ['single', 'multiple'] } },
      { path: 'key', code: 'invalid_format', params: { format: 'regex' } },
      { path: 'options', code: 'too_big', params: { origin: 'array', maximum: 2, inclusive: true } },
      { path: 'a', code: 'too_small', params: { origin: 'number', minimum: 0, inclusive: false } },
      // A refinement's own code replaces zod's `custom`.
      { path: 'text', code: 'invalid_text' },
      { path: '', code: 'unrecognized_keys', params: { keys: ['extra'] } },
    ]);
    expect(JSON.stringify(found)).not.toContain('secret value');
    expect(JSON.stringify(found)).not.toMatch(/Invalid|Too big|expected/);
  });

  it('tells a missing field from one of the wrong kind when the parse reported the input', () => {
    const found = detailsOf({ level: 'trois', kind: 'single', key: 'a', options: [], a: 1, text: 'x' }, true);
    expect(found.slice(0, 2)).toEqual([
      { path: 'level', code: 'invalid_type', params: { expected: 'number', received: 'string' } },
      { path: 'stem', code: 'invalid_type', params: { expected: 'string', received: 'missing' } },
    ]);
    expect(detailsOf({ level: 2.5, stem: '', kind: 'single', key: 'a', options: [], a: 1, text: 'x' }, true)[0]).toEqual({
      path: 'level',
      code: 'invalid_type',
      params: { expected: 'int', received: 'number' },
    });
    // Without the input, only what was expected.
    expect(detailsOf({ level: 'trois', stem: '', kind: 'single', key: 'a', options: [], a: 1, text: 'x' })[0]).toEqual({
      path: 'level',
      code: 'invalid_type',
      params: { expected: 'number' },
    });
  });

  it('bounds the keys and values it repeats', () => {
    const keys = Array.from({ length: 50 }, (_, i) => `${'k'.repeat(100)}${i}`);
    const listed = fieldIssueDetails('unrecognized_keys', { keys }).params?.keys as string[];
    expect(listed).toHaveLength(20);
    expect(listed.every((k) => k.length <= 64)).toBe(true);
  });

  it('gives a route’s schema errors the same codes and params in problem+json', () => {
    // As Fastify validates a route's body with the zod type provider.
    const validate = validatorCompiler({ schema: item, method: 'POST', url: '/items', httpPart: 'body' });
    const { error: validation } = validate({ level: 0, stem: '', kind: 'single', key: 'a', options: [], a: 1, text: 'x' }) as { error?: unknown };
    const error = toAppError(Object.assign(new Error('invalid'), { validation, validationContext: 'body' }), 1024);
    expect(error.slug).toBe('validation');
    expect(error.errors?.map(({ path, code, params }) => ({ path, code, params }))).toEqual([
      { path: 'body.level', code: 'too_small', params: { origin: 'number', minimum: 1, inclusive: true } },
      { path: 'body.text', code: 'invalid_text', params: undefined },
    ]);
  });

  it('says what kind of value a route’s schema found, from the request’s part, never the value', () => {
    const validate = validatorCompiler({ schema: item, method: 'POST', url: '/items', httpPart: 'body' });
    const body = { level: 'trois', stem: 'x', key: 'a', options: [], a: 1, text: 'x', nested: { secret: 'secret value' } };
    const { error: validation } = validate(body) as { error?: unknown };
    const error = toAppError(Object.assign(new Error('invalid'), { validation, validationContext: 'body' }), 1024, { body });
    const byPath = new Map(error.errors?.map(({ path, code, params }) => [path, { code, params }]));
    expect(byPath.get('body.level')).toEqual({ code: 'invalid_type', params: { expected: 'number', received: 'string' } });
    // The choice left out is said as missing (« obligatoire »), with the values allowed kept.
    expect(byPath.get('body.kind')).toEqual({ code: 'invalid_value', params: { values: ['single', 'multiple'], received: 'missing' } });
    // A value given but not allowed stays a value not allowed.
    const wrong = { ...body, kind: 'choice' };
    const { error: second } = validate(wrong) as { error?: unknown };
    const again = toAppError(Object.assign(new Error('invalid'), { validation: second, validationContext: 'body' }), 1024, { body: wrong });
    expect(again.errors?.find((e) => e.path === 'body.kind')?.params).toEqual({ values: ['single', 'multiple'] });
    expect(JSON.stringify(error.errors)).not.toContain('secret value');
    expect(JSON.stringify(error.errors)).not.toContain('trois');
  });
});
