import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import { clientIp } from '../../identity/http-session.ts';
import type { AppError } from '../../platform/errors.ts';
import { problemType } from '../../platform/http/problems.ts';
import { errorBody } from '../gateway/errors.ts';
import { ACTIONS, TARGETS, TEXT_MAX_CHARS } from './prompts.ts';
import { type ActionsDeps, type TransformEvent, transformText } from './transform.ts';

/**
 * Per agent: a person runs a few actions a minute; each one occupies a model for seconds. The
 * gateway's own rate limits and quotas apply on top (the actions go through its use cases).
 */
export const ACTIONS_RATE_LIMIT = {
  max: 30,
  timeWindow: 60_000,
  keyGenerator: async (request: FastifyRequest) => {
    const actor = await request.actor();
    return actor ? `assistant-actions:${actor.principalId}` : `assistant-actions-ip:${request.ip}`;
  },
};

/** The longest text (100,000 characters) in JSON, with room for escapes and multibyte letters. */
const BODY_LIMIT = 1024 * 1024;

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();

export const transformBody = z
  .object({
    documentId: z.uuid().describe('The document the text comes from: its classification decides which models may receive it'),
    action: z.enum(ACTIONS),
    target: z.enum(TARGETS).optional().describe('Language of the translation (translate only, required there)'),
    text: z
      .string()
      .max(Math.max(...Object.values(TEXT_MAX_CHARS)))
      .optional()
      .describe(
        'The selection as plain text, 20,000 characters at most: it must be a passage of the document’s current text (whitespace aside), else 422 ai-text-not-in-document. ' +
          'Required but for summarise, which reads the whole document itself (a text sent with it is not used)',
      ),
    model: z.string().min(1).max(256).optional().describe('A chat model alias of the gateway; by default the first one configured'),
  })
  .strict();

export function actionsRoutes(app: FastifyInstance, deps: ActionsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/assistant/transform',
    {
      bodyLimit: BODY_LIMIT,
      config: { rateLimit: ACTIONS_RATE_LIMIT },
      schema: {
        tags: ['assistant'],
        summary: 'An AI action on a text of a document: summarise, plain language, translate, correct (a proposal, streamed)',
        description:
          'With a model: Server-Sent Events `delta` ({ text }), then `done` ({ model, generated: true, redacted, action, target }) or `error` (a problem). ' +
          'Without a model configured: summarise answers the extractive summary (JSON, as POST /api/assistant/summarise, over the document’s current text); the other actions answer 409 ai-no-model. ' +
          'Summarise needs the right to read the document, the other actions the right to edit it. A gateway refusal (policy, quota, unknown model) is a problem `ai-refused` with the gateway’s `code`. A session, or a token with api:write and ai.',
        security: [{ session: [] }],
        body: transformBody,
        response: {
          200: z
            .unknown()
            .describe('text/event-stream with a model; the extractive summary (application/json) without one, for summarise'),
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          413: problem,
          422: problem,
          429: problem,
          502: problem,
          504: problem,
        },
      },
    },
    async (request, reply) => {
      const controller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort(new Error('client went away'));
      });
      const result = await transformText(deps, await request.actor(), request.body, {
        ip: clientIp(request),
        requestId: request.id,
        signal: controller.signal,
        gatewayMessage: (error) => errorBody(request, error).error.message,
        locale: request.locale,
      });
      reply.header('cache-control', 'no-store');
      if (result.kind === 'extractive') return reply.send(result.body);
      reply.raw.once('close', result.close);
      const render = (item: TransformEvent): string => {
        const data = item.event === 'delta' ? { text: item.text } : item.event === 'done' ? item.data : problemBody(request, item.error);
        return `event: ${item.event}\ndata: ${JSON.stringify(data)}\n\n`;
      };
      const lines = (async function* () {
        for await (const item of result.events) yield render(item);
      })();
      reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-store')
        .header('x-accel-buffering', 'no');
      return reply.send(Readable.from(lines, { objectMode: false }));
    },
  );
}

/** A problem inside the stream (the status line is long gone): the same body as problem+json. */
function problemBody(request: FastifyRequest, error: AppError) {
  const params = { requestId: request.id, ...error.params };
  return {
    type: problemType(error.slug),
    title: formatMessage(request.locale, `errors.${error.slug}.title`, params),
    status: error.status,
    detail: formatMessage(request.locale, `errors.${error.slug}.detail`, params),
    requestId: request.id,
    ...error.extensions,
  };
}
