import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type Gateway, authorizeAi, type CallContext, createChatCompletion, createEmbeddings, listModels } from './gateway.ts';
import { errorBody, GatewayError, platformDenial, sendGatewayError, toGatewayError } from './errors.ts';
import { chatCompletionRequest, embeddingsRequest } from './schemas.ts';
import { DOCUMENTS_HEADER, documentsFromHeader } from '../policy/gateway-policy.ts'; // classification & residency (helper B)

/**
 * `/ai/v1`, OpenAI-compatible: `GET /models`, `POST /chat/completions` (JSON or SSE),
 * `POST /embeddings`. Authenticated by a personal access token of scope `ai` (`Authorization:
 * Bearer ent_pat_…`) or by the agent's browser session (with the app's CSRF rule, enforced
 * before the route). Every error, the platform's included (authentication, CSRF, rate limit,
 * body size), is answered in OpenAI's format by this scope's own error handler.
 */
export const AI_PREFIX = '/ai/v1';

/** Chat requests carry whole conversations and documents: larger than the API's default limit. */
export const AI_BODY_LIMIT = 8 * 1024 * 1024;

/**
 * Per agent (colleagues behind one address do not share it), per address when signed out. A
 * brake on runaway scripts, not the quotas (requests and tokens per minute and per day), which
 * come with usage accounting.
 */
export const AI_RATE_LIMIT = {
  max: 600,
  timeWindow: 60_000,
  keyGenerator: async (request: FastifyRequest) => {
    const actor = await request.actor();
    return actor ? `ai:${actor.principalId}` : `ai-ip:${request.ip}`;
  },
};

/**
 * Requests one agent may have under way at once (streams included): each holds a replica, and a
 * whole answer is buffered (up to 64 MiB), so a few parallel scripts must not take the gateway's
 * memory or every replica for themselves.
 */
export const AI_MAX_IN_FLIGHT_PER_AGENT = 8;

/** Counts an agent's requests under way until their response ends (or the client goes away). */
function inFlightLimiter(max: number) {
  const counts = new Map<string, number>();
  return (principalId: string, reply: FastifyReply) => {
    const now = counts.get(principalId) ?? 0;
    if (now >= max) {
      throw new GatewayError(429, { type: 'rate_limit_error', code: 'too_many_concurrent_requests', messageKey: 'too_many_concurrent', params: { max }, headers: { 'retry-after': '1' } });
    }
    counts.set(principalId, now + 1);
    reply.raw.once('close', () => {
      const left = (counts.get(principalId) ?? 1) - 1;
      if (left <= 0) counts.delete(principalId);
      else counts.set(principalId, left);
    });
  };
}

const ROUTES: Record<string, string> = {
  [`${AI_PREFIX}/models`]: 'GET',
  [`${AI_PREFIX}/chat/completions`]: 'POST',
  [`${AI_PREFIX}/embeddings`]: 'POST',
};

export function aiGatewayRoutes(app: FastifyInstance, deps: { gateway: Gateway }): void {
  const { gateway } = deps;
  // Audit records of the last requests are written before the stores close.
  app.addHook('onClose', async () => gateway.flush());
  app.register(
    async (scope) => {
      scope.setErrorHandler((error, request, reply) => {
        // Denials (a token without the `ai` scope, CSRF) are audited like the rest of the app's.
        const denial = platformDenial(error);
        if (denial) request.onProblem?.(denial);
        const answer = toGatewayError(error, AI_BODY_LIMIT);
        if (answer.status >= 500 && answer.code === 'internal') gateway.logger.error({ err: error, reqId: request.id }, 'AI request failed');
        if (reply.raw.headersSent) {
          reply.raw.destroy();
          return;
        }
        return sendGatewayError(request, reply, answer);
      });

      scope.setNotFoundHandler({ preHandler: scope.rateLimit?.(AI_RATE_LIMIT) }, async (request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        const allow = ROUTES[path.replace(/\/+$/, '')];
        if (allow && allow !== request.method && !(allow === 'GET' && request.method === 'HEAD')) {
          return sendGatewayError(
            request,
            reply,
            new GatewayError(405, {
              type: 'invalid_request_error',
              code: 'method_not_allowed',
              params: { method: request.method, allow },
              headers: { allow },
            }),
          );
        }
        return sendGatewayError(
          request,
          reply,
          new GatewayError(404, {
            type: 'invalid_request_error',
            code: 'unknown_url',
            params: { method: request.method, path: path.slice(0, 200) },
          }),
        );
      });

      const options = { schema: { hide: true }, config: { rateLimit: AI_RATE_LIMIT } };
      // Who first, before the body is read: nobody parses megabytes of JSON for an anonymous caller.
      const admit = inFlightLimiter(AI_MAX_IN_FLIGHT_PER_AGENT);
      const authorizedBody = {
        ...options,
        bodyLimit: AI_BODY_LIMIT,
        preParsing: async (request: FastifyRequest, reply: FastifyReply, payload: NodeJS.ReadableStream) => {
          admit(authorizeAi(await request.actor()).principalId, reply);
          return payload;
        },
      };

      scope.get('/models', options, async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return listModels(gateway, await request.actor());
      });

      scope.post('/chat/completions', authorizedBody, async (request, reply) => {
        const actor = await request.actor();
        authorizeAi(actor); // who first: an anonymous caller learns nothing of the request's faults
        const body = parse(chatCompletionRequest, request);
        const result = await createChatCompletion(gateway, actor, body, callContext(request, reply));
        reply.header('cache-control', 'no-store');
        if (result.kind === 'json') return reply.send(result.body);
        reply.raw.once('close', result.close);
        reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-store')
          // Reverse proxies (nginx) must pass each event on at once rather than buffer them.
          .header('x-accel-buffering', 'no');
        // The gateway pushes each event as it arrives; the response asks for more (read) once it
        // has drained. A plain Readable rather than Readable.from over a generator: no promise
        // per event, and Fastify's onSend hooks still see the reply.
        let relay: { resume(): void } | null = null;
        const out = new Readable({ read: () => relay?.resume() });
        relay = result.start({ write: (text) => out.push(text), end: () => out.push(null) });
        return reply.send(out);
      });

      scope.post('/embeddings', authorizedBody, async (request, reply) => {
        const actor = await request.actor();
        authorizeAi(actor);
        const body = parse(embeddingsRequest, request);
        reply.header('cache-control', 'no-store');
        return reply.send(await createEmbeddings(gateway, actor, body, callContext(request, reply)));
      });
    },
    { prefix: AI_PREFIX },
  );
}

/** Aborts when the client goes away before the answer is complete (the upstream is aborted). */
function callContext(request: FastifyRequest, reply: FastifyReply): CallContext {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client went away'));
  });
  return {
    requestId: request.id,
    ip: request.ip || null,
    signal: controller.signal,
    errorBody: (error) => errorBody(request, error),
    // ── classification & residency (helper B): contract C1 ──
    content: { documentIds: documentsFromHeader(request.headers[DOCUMENTS_HEADER]) },
    locale: request.locale,
    // ── end classification & residency ──
  };
}

/** The body against its schema; the first problem is reported with OpenAI's `param` (a.b[0].c). */
function parse<S extends z.ZodType>(schema: S, request: FastifyRequest): z.infer<S> {
  // Fastify also parses text/plain: only JSON is OpenAI's.
  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    throw new GatewayError(415, { type: 'invalid_request_error', code: 'unsupported_media_type' });
  }
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GatewayError(400, { type: 'invalid_request_error', code: 'invalid_json' });
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = (issue?.path ?? []).reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
  return fail(param, issue?.message ?? 'invalid');
}

function fail(param: string, reason: string): never {
  throw new GatewayError(400, { type: 'invalid_request_error', code: 'invalid_value', param: param || null, messageKey: 'invalid_request', params: { param: param || 'body', reason } });
}
