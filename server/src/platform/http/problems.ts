import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { fieldIssueMessage } from '../../../../common/src/field-issue-message.ts';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import { AppError, type FieldError } from '../errors.ts';
import { fieldIssueDetails } from '../field-issues.ts';
import type { Logger } from '../logger.ts';

/** The problem type URI of a slug: stable, documented in docs/architecture.md. */
export function problemType(slug: string): string {
  return `urn:entente:problem:${slug.replaceAll('_', '-')}`;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId: string;
  errors?: FieldError[];
}

/** Renders an AppError as RFC 9457 problem details in the request's language. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const locale = request.locale;
  const params = { requestId: request.id, ...error.params };
  const body: ProblemBody = {
    // Field messages come from the catalog by their code (zod's issue code or a module's) and
    // params (a limit, the values allowed), in this language.
    type: problemType(error.slug),
    title: formatMessage(locale, `errors.${error.slug}.title`, params),
    status: error.status,
    detail: formatMessage(locale, `errors.${error.slug}.detail`, params),
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...error.extensions,
    ...(error.errors
      ? {
          errors: error.errors.map((e) => ({
            path: e.path,
            message: e.code ? fieldIssueMessage(locale, { code: e.code, params: e.params }) : e.message,
            ...(e.code ? { code: e.code } : {}),
            // What a client needs to say the problem in its own words (the skills authoring screens do).
            ...(e.params ? { params: e.params } : {}),
          })),
        }
      : {}),
  };
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply
    .code(error.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('content-language', locale)
    .send(body);
}

/** The parts of a request a route's schema validates, by Fastify's `validationContext`. */
export interface ValidatedParts {
  body?: unknown;
  querystring?: unknown;
  params?: unknown;
  headers?: unknown;
}

/**
 * Maps any error thrown while handling a request to an AppError; unknown ones become 500. With the
 * request's parts, a schema error also says what kind of value it found (`received`: missing,
 * string…), which zod's route issues do not keep: « Ce champ est obligatoire. » for a choice left
 * out, not « Valeur non prévue ».
 */
export function toAppError(error: unknown, bodyLimit: number, parts?: ValidatedParts): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const context = (fastifyError.validationContext ?? 'body') as keyof ValidatedParts;
    return new AppError('validation', {
      errors: fastifyError.validation.map((v) => {
        const segments = (v.instancePath ?? '').split('/').filter(Boolean);
        const found = parts ? valueAt(parts[context], segments) : { known: false as const };
        return {
          path: [context, ...segments].join('.'),
          message: v.message ?? 'invalid',
          ...fieldIssueDetails(v.keyword, found.known ? { ...v.params, input: found.value } : v.params),
        };
      }),
    });
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', { params: { limit: bodyLimit } });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', { params: { reason: 'empty_json_body' } });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('bad_request', { params: { reason: 'invalid_json' } });
  }
  // Errors Fastify (or a plugin) raises for a client mistake carry a 4xx status.
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    if (fastifyError.statusCode === 413) return new AppError('payload_too_large', { params: { limit: bodyLimit } });
    if (fastifyError.statusCode === 415) return new AppError('unsupported_media_type');
    if (fastifyError.statusCode === 429) return new AppError('rate_limited', { params: { seconds: 60 } });
    return new AppError('bad_request', { params: { reason: fastifyError.code ?? 'bad_request' } });
  }
  if (isDatabaseUnavailable(error)) return new AppError('unavailable', { headers: { 'retry-after': '5' } });
  // Input the database cannot keep (a NUL or invalid Unicode in text or JSON, a value over a
  // column's size check) that a route's schema let through: the client's mistake, said as such.
  const sqlState = (error as { code?: unknown })?.code;
  if (sqlState === '22P05' || sqlState === '22021' || sqlState === '22P02' || sqlState === '23514') {
    return new AppError('bad_request', { params: { reason: 'unstorable_input' } });
  }
  if ((error as SyntaxError)?.name === 'SyntaxError' && (error as { statusCode?: number }).statusCode === 400) {
    return new AppError('bad_request', { params: { reason: 'invalid_json' } });
  }
  return new AppError('internal');
}

/** The value at a path in a parsed JSON part; `known: false` when the path runs through a non-object. */
function valueAt(root: unknown, segments: readonly string[]): { known: true; value: unknown } | { known: false } {
  let value = root;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return { known: false };
    value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return { known: true, value };
}

export function errorHandler(logger: Logger, bodyLimit: number) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    // A route with a limit of its own (an import, a presentation) says that limit, not the server's.
    const parts = { body: request.body, querystring: request.query, params: request.params, headers: request.headers };
    const appError = toAppError(error, request.routeOptions?.bodyLimit ?? bodyLimit, parts);
    if (appError.status >= 500) {
      // Logged with its stack (server side only); the client gets the request id to quote.
      logger.error({ err: error, reqId: request.id }, 'request failed');
    }
    request.onProblem?.(appError);
    return sendProblem(request, reply, appError);
  };
}

/** A database that cannot be reached (or dropped the connection) is a 503, not a bug. */
function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  const message = (error as Error)?.message ?? '';
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
    // SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown).
    if (/^08|^57P/.test(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message);
}
