import pino, { type Logger } from 'pino';
import type { Config } from '../config.ts';

export type { Logger };

/**
 * Structured JSON logs. What may appear: ids (request, principal, session, document), routes,
 * status codes, durations, error types. What may not: tokens, cookies, authorization headers,
 * query strings (they can carry tokens), IP addresses, names, emails, document content. The
 * request serializer below is an allow-list; `redact` is the safety net for anything passed by
 * hand under a known-sensitive key.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'entente' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'token',
          'password',
          'secret',
          'email',
          'ip',
          '*.token',
          '*.password',
          '*.secret',
          '*.email',
          '*.authorization',
          '*.cookie',
          'req.headers',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string; routeOptions?: { url?: string } }) => ({
          id: req.id,
          method: req.method,
          // Path only: query strings may carry tokens or search terms; so may some paths.
          path: req.url === undefined ? undefined : loggablePath(req.url),
          route: req.routeOptions?.url,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    },
    destination,
  );
}

/** Share links carry their secret in the path: `/p/<token>` (public pages), `/partage/<token>` (the app). */
const SECRET_IN_PATH = /^\/(p|partage)\/[^/]+/;
/** Any other segment that looks like a random secret (≥ 32 URL-safe characters, not a UUID). */
const RANDOM_SEGMENT = /^[A-Za-z0-9_-]{32,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The request's path as it may be logged: without its query string, with a share link's token
 * masked, and with any segment that looks like a token masked too (a safety net for routes to
 * come). Ids (UUIDs) stay: they are what makes a log line useful.
 */
export function loggablePath(url: string): string {
  const path = (url.split('?')[0] ?? '').replace(SECRET_IN_PATH, '/$1/[redacted]');
  return path
    .split('/')
    .map((segment) => (RANDOM_SEGMENT.test(segment) && !UUID.test(segment) ? '[redacted]' : segment))
    .join('/');
}

/**
 * Errors are logged by name, code, message and stack only. Drivers add fields that may quote
 * data: PostgreSQL's `detail` repeats the conflicting row (`Key (lower(email))=(…)`), `where`,
 * `parameters`… Those stay out of the logs.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: error.stack,
    ...(error.cause instanceof Error ? { cause: serializeError(error.cause) } : {}),
  };
}
