import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { appendMessage, type ConversationsDeps, contentLoggingNotice, createConversation, deleteConversation, getConversation, listConversations } from './conversations.ts';
import { CITATION_TEXT_MAX, CITATIONS_MAX, MESSAGE_MAX, TITLE_MAX } from './conversations.tables.ts';

/**
 * The assistant's conversations, `/api/assistant/conversations…` (README.md here). Thin: parse,
 * call the use case (which authorises), present. Session or token scopes as every `/api/` route.
 */
const perAgent = (name: string) => async (request: FastifyRequest) => {
  const actor = await request.actor();
  return actor ? `${name}:${actor.principalId}` : `${name}-ip:${request.ip}`;
};
/** Writing: a question and its answer every few seconds passes, a script does not. */
const WRITES = { max: 120, timeWindow: 60_000, keyGenerator: perAgent('assistant-conversation-write') };
const READS = { max: 600, timeWindow: 60_000, keyGenerator: perAgent('assistant-conversation-read') };

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 413: problem, 423: problem, 429: problem };

const citation = z
  .object({
    n: z.number().int().min(1).max(99),
    documentId: z.uuid(),
    title: z.string().max(300),
    offset: z.number().int().min(0).max(10_000_000),
    length: z.number().int().min(0).max(100_000),
    quote: z.string().max(300),
    text: z.string().max(CITATION_TEXT_MAX).optional(),
  })
  .strict();
const summary = z.object({
  id: z.uuid(),
  spaceId: z.uuid(),
  documentId: z.uuid().nullable(),
  title: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
const message = z.object({
  id: z.uuid(),
  role: z.enum(['user', 'assistant']),
  mode: z.enum(['generated', 'extractive']).nullable().describe('How an assistant message was made: by a model, or passages extracted without one'),
  model: z.string().nullable().describe('The model alias that generated it'),
  content: z.string(),
  citations: z.array(citation).describe('Citations of documents the agent may still read ([n] in the content)'),
  createdAt: z.iso.datetime(),
});

const listQuery = z.object({ spaceId: z.uuid() }).strict();
const idParams = z.object({ conversationId: z.uuid() }).strict();
const createBody = z
  .object({
    spaceId: z.uuid(),
    documentId: z.uuid().nullable().optional().describe('The document the conversation was started from'),
    title: z.string().trim().min(1).max(TITLE_MAX),
  })
  .strict();
const messageBody = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.string().min(1).max(MESSAGE_MAX),
    mode: z.enum(['generated', 'extractive']).nullable().optional(),
    model: z.string().min(1).max(200).nullable().optional(),
    citations: z.array(citation).max(CITATIONS_MAX).optional(),
  })
  .strict();

export function conversationRoutes(app: FastifyInstance, deps: ConversationsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const read = { security: [{ session: [] }] };
  const change = { security: [{ session: [], csrf: [] }] };
  const tags = ['assistant'];

  r.get(
    '/api/assistant/conversations',
    {
      config: { rateLimit: READS },
      schema: {
        tags,
        ...read,
        summary: 'The agent’s own assistant conversations in a space, most recent first (at most 100)',
        description: 'Only a member of the space, at its level of assurance; a conversation started from a document the agent can no longer read is not listed.',
        querystring: listQuery,
        response: {
          200: z.object({
            conversations: z.array(summary),
            contentLogging: z.object({ on: z.boolean(), retentionDays: z.number().int() }).describe('Whether the agent’s organisation keeps the text of their AI requests (shown in the panel)'),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const actor = await request.actor();
      const conversations = await listConversations(deps, actor, request.query.spaceId);
      return reply.header('cache-control', 'no-store').send({ conversations, contentLogging: await contentLoggingNotice(deps, actor) });
    },
  );
  r.post(
    '/api/assistant/conversations',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Start an assistant conversation about a space (or one of its documents)',
        description: 'Kept in the space’s cell, sealed with the space’s key; audited (ids only). 409 beyond 500 conversations of the agent in the space.',
        body: createBody,
        response: { 201: summary, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createConversation(deps, await request.actor(), request.body, meta(request));
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );
  r.get(
    '/api/assistant/conversations/:conversationId',
    {
      config: { rateLimit: READS },
      schema: {
        tags,
        ...read,
        summary: 'One of the agent’s conversations with its messages',
        description: '404 for another agent’s conversation, and once the agent is no longer a member of its space.',
        params: idParams,
        response: { 200: summary.extend({ messages: z.array(message) }), ...errors },
      },
    },
    async (request, reply) => {
      const conversation = await getConversation(deps, await request.actor(), request.params.conversationId);
      return reply.header('cache-control', 'no-store').send(conversation);
    },
  );
  r.post(
    '/api/assistant/conversations/:conversationId/messages',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Add a message (the agent’s question, or the answer they received) to their conversation',
        description: `At most ${MESSAGE_MAX} characters and ${CITATIONS_MAX} citations, each of a document the agent may read now; 409 beyond 200 messages.`,
        params: idParams,
        body: messageBody,
        response: { 201: message, ...errors },
      },
    },
    async (request, reply) => {
      const added = await appendMessage(deps, await request.actor(), request.params.conversationId, request.body);
      return reply.code(201).header('cache-control', 'no-store').send(added);
    },
  );
  r.delete(
    '/api/assistant/conversations/:conversationId',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Delete one of the agent’s conversations, with its messages (audited)',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteConversation(deps, await request.actor(), request.params.conversationId, meta(request));
      return reply.code(204).send(null);
    },
  );
}
