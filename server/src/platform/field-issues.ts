import type { FieldParams } from '../../../common/src/field-issues.ts';

/**
 * A zod issue as the stable part of a field error (common/src/field-issues.ts): its code and the
 * few details a client needs to say it in its own language — a limit, the values allowed, the
 * keys not known, the kind of value received. Never zod's English message, never the input
 * itself (only its kind). A refinement names its own code in `params.code` (skills/text.ts:
 * `invalid_text`), which replaces zod's `custom`.
 *
 * `issue` is the issue's own fields beside `code` and `path`: the issue itself for a use case that
 * parses (it sees `input` when it parses with `reportInput`), or the `params` that
 * fastify-type-provider-zod keeps of it for a route's schema.
 */
export function fieldIssueDetails(code: string, issue: Readonly<Record<string, unknown>>): { code: string; params?: FieldParams } {
  switch (code) {
    case 'invalid_type': {
      if (typeof issue.expected !== 'string') return { code };
      return { code, params: { expected: issue.expected, ...('input' in issue ? { received: kindOf(issue.input) } : {}) } };
    }
    case 'too_small':
      return withLimit(code, issue, 'minimum');
    case 'too_big':
      return withLimit(code, issue, 'maximum');
    case 'invalid_value': {
      // A choice left out is said as such (« obligatoire »), not as a value not allowed.
      const params: Record<string, string | string[]> = {};
      if (Array.isArray(issue.values) && issue.values.length > 0) params.values = listed(issue.values);
      if ('input' in issue && issue.input === undefined) params.received = 'missing';
      return Object.keys(params).length > 0 ? { code, params } : { code };
    }
    case 'unrecognized_keys': {
      const keys = Array.isArray(issue.keys) ? listed(issue.keys) : [];
      return keys.length > 0 ? { code, params: { keys } } : { code };
    }
    case 'invalid_format':
      return typeof issue.format === 'string' ? { code, params: { format: issue.format } } : { code };
    case 'custom': {
      const own = (issue.params as { code?: unknown } | undefined)?.code;
      return typeof own === 'string' ? { code: own } : { code };
    }
    default:
      return { code };
  }
}

function withLimit(code: string, issue: Readonly<Record<string, unknown>>, name: 'minimum' | 'maximum'): { code: string; params?: FieldParams } {
  const limit = typeof issue[name] === 'bigint' ? Number(issue[name]) : issue[name];
  if (typeof issue.origin !== 'string' || typeof limit !== 'number' || !Number.isFinite(limit)) return { code };
  return { code, params: { origin: issue.origin, [name]: limit, inclusive: issue.inclusive !== false } };
}

/** The values or keys a client is told: a few, short (keys come from the client's own input). */
const MAX_LISTED = 20;
const MAX_LENGTH = 64;
function listed(values: readonly unknown[]): string[] {
  return values.slice(0, MAX_LISTED).map((v) => String(v).slice(0, MAX_LENGTH));
}

/** The kind of a JSON value, as `received` says it. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
