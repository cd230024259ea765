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
          // Path only: query strings may carry tokens or search terms.
          path: req.url?.split('?')[0],
          route: req.routeOptions?.url,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    },
    destination,
  );
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
