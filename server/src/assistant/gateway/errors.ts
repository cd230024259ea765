import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import { AppError } from '../../platform/errors.ts';
import { toAppError } from '../../platform/http/problems.ts';

/**
 * Errors of `/ai/v1`, in OpenAI's format rather than problem+json (DESIGN.md, contracts):
 * `{ "error": { "message", "type", "param", "code" } }`, so that the `openai` client and the
 * tools built on it show them as they are. `code` is stable (docs/ai.md); `message` is localised
 * from `aiGateway.errors.<messageKey>` in the request's language.
 */
export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error';

export interface GatewayErrorOptions {
  type: OpenAiErrorType;
  code: string;
  param?: string | null;
  /** Key under `aiGateway.errors.`; by default the code. */
  messageKey?: string;
  params?: Record<string, string | number>;
  headers?: Record<string, string>;
  /** A message that is not ours (an upstream's refusal), shown as it is. */
  rawMessage?: string;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: OpenAiErrorType;
  readonly code: string;
  readonly param: string | null;
  readonly messageKey: string;
  readonly params: Record<string, string | number>;
  readonly headers: Record<string, string>;
  readonly rawMessage: string | null;
  constructor(status: number, options: GatewayErrorOptions) {
    super(options.code);
    this.name = 'GatewayError';
    this.status = status;
    this.type = options.type;
    this.code = options.code;
    this.param = options.param ?? null;
    this.messageKey = options.messageKey ?? options.code;
    this.params = options.params ?? {};
    this.headers = options.headers ?? {};
    this.rawMessage = options.rawMessage ?? null;
  }
}

export interface OpenAiErrorBody {
  error: { message: string; type: OpenAiErrorType; param: string | null; code: string };
}

export function errorBody(request: FastifyRequest, error: GatewayError): OpenAiErrorBody {
  // ── AI quotas (helper A): a message key with a dot is a full key of another namespace (`aiQuota.…`) ──
  const key = error.messageKey.includes('.') ? error.messageKey : `aiGateway.errors.${error.messageKey}`;
  // ── end AI quotas ──
  const message = error.rawMessage ?? formatMessage(request.locale, key, { requestId: request.id, ...error.params });
  return { error: { message, type: error.type, param: error.param, code: error.code } };
}

export function sendGatewayError(request: FastifyRequest, reply: FastifyReply, error: GatewayError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply
    .code(error.status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('content-language', request.locale)
    .send(errorBody(request, error));
}

/** The platform's errors (authentication, CSRF, rate limits, body parsing) in OpenAI's terms. */
export function toGatewayError(error: unknown, bodyLimit: number): GatewayError {
  if (error instanceof GatewayError) return error;
  const app = toAppError(error, bodyLimit);
  return fromAppError(app, bodyLimit);
}

function fromAppError(error: AppError, bodyLimit: number): GatewayError {
  switch (error.slug) {
    case 'unauthenticated':
      return new GatewayError(401, { type: 'authentication_error', code: 'invalid_api_key', headers: { 'www-authenticate': 'Bearer' } });
    case 'insufficient_scope':
      return new GatewayError(403, { type: 'permission_error', code: 'insufficient_scope' });
    case 'csrf':
      return new GatewayError(403, { type: 'permission_error', code: 'csrf' });
    case 'rate_limited':
      return new GatewayError(429, {
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        messageKey: 'rate_limited',
        params: { seconds: Number(error.params.seconds ?? 60) },
        headers: error.headers,
      });
    case 'payload_too_large':
      return new GatewayError(413, { type: 'invalid_request_error', code: 'request_too_large', params: { limit: bodyLimit } });
    case 'unsupported_media_type':
      return new GatewayError(415, { type: 'invalid_request_error', code: 'unsupported_media_type' });
    case 'bad_request':
      return new GatewayError(400, { type: 'invalid_request_error', code: 'invalid_json' });
    case 'unavailable':
      return new GatewayError(503, { type: 'server_error', code: 'unavailable', headers: error.headers });
    case 'internal':
      return new GatewayError(500, { type: 'server_error', code: 'internal' });
    default:
      if (error.status === 403) return new GatewayError(403, { type: 'permission_error', code: 'forbidden' });
      if (error.status === 401) return new GatewayError(401, { type: 'authentication_error', code: 'invalid_api_key' });
      if (error.status >= 500) return new GatewayError(500, { type: 'server_error', code: 'internal' });
      return new GatewayError(400, { type: 'invalid_request_error', code: 'invalid_json' });
  }
}

/** The AppError to report to the platform's denial auditing (`onProblem`), for 403s. */
export function platformDenial(error: unknown): AppError | null {
  return error instanceof AppError && error.status === 403 ? error : null;
}
