import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import { problemType } from '../../platform/http/problems.ts';
import { errorBody, GatewayError } from '../gateway/errors.ts';
import { askWithModel, type GenerateDeps, GENERATED_ASK_LABEL } from './generate.ts';
import type { AskParams } from './retrieval.ts';

/**
 * HTTP side of the generated answer (contracts C4): `POST /api/assistant/ask` with `model` and
 * `Accept: text/event-stream` streams `passages` (first, always), `delta`… and `done`, or `error`
 * (a problem object) and the end. A refusal before anything was sent (policy, unknown model, scope,
 * quota) is an ordinary problem+json answer with the gateway's status.
 */
export async function streamGeneratedAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Partial<GenerateDeps> & Pick<GenerateDeps, 'stores' | 'audit'>,
  params: AskParams & { model: string },
  meta: RequestMeta,
): Promise<FastifyReply> {
  if (!/text\/event-stream/i.test(request.headers.accept ?? '')) {
    return sendAskProblem(request, reply, 406, 'not-acceptable', formatMessage(request.locale, 'assistantAsk.notAcceptable'));
  }
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client went away'));
  });
  let answer: Awaited<ReturnType<typeof askWithModel>>;
  try {
    answer = await askWithModel(
      { stores: deps.stores, audit: deps.audit, hybrid: deps.hybrid ?? null, gateway: deps.gateway ?? (() => null) },
      await request.actor(),
      params,
      meta,
      controller.signal,
      (error) => errorBody(request, error),
      request.locale,
    );
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    for (const [name, value] of Object.entries(error.headers)) if (name !== 'www-authenticate') reply.header(name, value);
    return sendAskProblem(request, reply, error.status, `ai-${error.code}`, errorBody(request, error).error.message, error.code);
  }
  // The client may have gone while the answer was being prepared (askWithModel audits and asks the
  // policy after the model's stream opened): the listener above has fired already, and a stream
  // that is never read never runs its `finally`. Close it now — the replica is released and the
  // request gets its ai.request audit and usage row — or when the connection closes later.
  if (controller.signal.aborted) answer.close();
  else reply.raw.once('close', answer.close);
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const problemOf = (error: GatewayError) => ({
    type: problemType(`ai_${error.code}`),
    title: formatMessage(request.locale, 'assistantAsk.problemTitle'),
    status: error.status,
    detail: error.rawMessage ?? errorBody(request, error).error.message,
    code: error.code,
    requestId: request.id,
  });
  const body = (async function* (): AsyncGenerator<string> {
    try {
      yield event('passages', { passages: answer.passages, retrieval: answer.retrieval });
      for await (const e of answer.events) {
        if (e.event === 'error') {
          yield event('error', problemOf(e.error));
          return;
        }
        yield event('delta', { text: e.text });
      }
      yield event('done', { model: params.model, generated: answer.generated, redacted: answer.redacted, label: GENERATED_ASK_LABEL, retrieval: answer.retrieval });
    } finally {
      answer.close();
    }
  })();
  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-store')
    .header('x-accel-buffering', 'no')
    .send(Readable.from(body, { objectMode: false }));
}

function sendAskProblem(request: FastifyRequest, reply: FastifyReply, status: number, slug: string, detail: string, code?: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('content-language', request.locale)
    .header('cache-control', 'no-store')
    .send({
      type: problemType(slug),
      title: formatMessage(request.locale, 'assistantAsk.problemTitle'),
      status,
      detail,
      ...(code ? { code } : {}),
      instance: request.url.split('?')[0],
      requestId: request.id,
    });
}
