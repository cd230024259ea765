import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { perAgent } from '../files/deps.ts';
import { problem } from '../spaces/routes.ts';
import {
  createThread,
  deleteComment,
  editComment,
  listDocumentComments,
  mentionCandidates,
  replyToThread,
  setReaction,
  setThreadResolved,
} from './comments.ts';
import { ANCHOR_MAX, BODY_MAX, QUOTE_MAX, REACTIONS } from './comments.tables.ts';
import type { CommentsDeps } from './deps.ts';

/**
 * Comments of a document (workspace/comments/README.md). Every route names the document, and
 * every id is looked up within it. Thin: parse, call the use case, present.
 */

/** Writing: a discussion at a sustained pace passes, a script does not. Per agent. */
const WRITES = { max: 60, timeWindow: 60_000, keyGenerator: perAgent('comment-write') };
/** Reading: the panel polls every few seconds in each open tab. */
const READS = { max: 600, timeWindow: 60_000, keyGenerator: perAgent('comment-read') };
/** The mention autocomplete asks at each keystroke after `@`. */
const LOOKUPS = { max: 300, timeWindow: 60_000, keyGenerator: perAgent('comment-mention') };

const person = z.object({ principalId: z.uuid(), givenName: z.string().nullable(), familyName: z.string().nullable() });
const reaction = z.object({ emoji: z.enum(REACTIONS), count: z.number().int(), mine: z.boolean() });
const comment = z.object({
  id: z.uuid(),
  threadId: z.uuid(),
  authorId: z.uuid(),
  body: z.string(),
  createdAt: z.iso.datetime(),
  editedAt: z.iso.datetime().nullable(),
  deleted: z.boolean(),
  reactions: z.array(reaction),
  canEdit: z.boolean(),
  canDelete: z.boolean(),
});
const thread = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  anchor: z.object({ start: z.string(), end: z.string() }),
  quote: z.string(),
  createdBy: z.uuid(),
  createdAt: z.iso.datetime(),
  resolvedAt: z.iso.datetime().nullable(),
  resolvedBy: z.uuid().nullable(),
  comments: z.array(comment),
});
const written = z.object({ thread, comment, unreachableMentions: z.array(person) });

/** Plain text, trimmed, not empty, at most 10 000 characters (a longer one is a 400, not cut). */
const body = z.string().trim().min(1).max(BODY_MAX);
const anchorPart = z.string().min(4).max(ANCHOR_MAX);

const documentParams = z.object({ documentId: z.uuid() }).strict();
const threadParams = z.object({ documentId: z.uuid(), threadId: z.uuid() }).strict();
const commentParams = z.object({ documentId: z.uuid(), commentId: z.uuid() }).strict();
const reactionParams = z.object({ documentId: z.uuid(), commentId: z.uuid(), emoji: z.enum(REACTIONS) }).strict();

export function commentRoutes(app: FastifyInstance, deps: CommentsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  // A browser session (with CSRF for changes) or a personal access token (api:read, api:write).
  const read = { security: [{ session: [] }, { token: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[] };
  const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 413: problem, 423: problem, 429: problem };

  r.get(
    '/api/documents/:documentId/comments',
    {
      config: { rateLimit: READS },
      schema: {
        tags: ['workspace'],
        summary: 'The comment threads of a document, open and resolved, with the names of the agents in them (whoever reads the document)',
        ...read,
        params: documentParams,
        response: { 200: z.object({ canComment: z.boolean(), threads: z.array(thread), people: z.array(person) }), 400: problem, 401: problem, 403: problem, 404: problem, 429: problem },
      },
    },
    async (request) => listDocumentComments(deps, await request.actor(), request.params.documentId),
  );

  r.post(
    '/api/documents/:documentId/comments',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags: ['workspace'],
        summary: 'Open a thread on a range of the text (commenters, editors, owners): its anchor is two Yjs relative positions (base64)',
        ...change,
        params: documentParams,
        body: z.object({ anchor: z.object({ start: anchorPart, end: anchorPart }).strict(), quote: z.string().max(QUOTE_MAX), body }).strict(),
        response: { 201: written, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createThread(deps, await request.actor(), request.params.documentId, request.body, meta(request))),
  );

  r.post(
    '/api/documents/:documentId/comment-threads/:threadId/replies',
    {
      config: { rateLimit: WRITES },
      schema: { tags: ['workspace'], summary: 'Reply in a thread (commenters, editors, owners)', ...change, params: threadParams, body: z.object({ body }).strict(), response: { 201: written, ...errors } },
    },
    async (request, reply) =>
      reply.code(201).send(await replyToThread(deps, await request.actor(), request.params.documentId, request.params.threadId, request.body, meta(request))),
  );

  r.patch(
    '/api/documents/:documentId/comment-threads/:threadId',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags: ['workspace'],
        summary: 'Resolve or reopen a thread (commenters, editors, owners)',
        ...change,
        params: threadParams,
        body: z.object({ resolved: z.boolean() }).strict(),
        response: { 200: thread, ...errors },
      },
    },
    async (request) => setThreadResolved(deps, await request.actor(), request.params.documentId, request.params.threadId, request.body.resolved, meta(request)),
  );

  r.patch(
    '/api/documents/:documentId/comments/:commentId',
    {
      config: { rateLimit: WRITES },
      schema: { tags: ['workspace'], summary: 'Edit one’s own comment', ...change, params: commentParams, body: z.object({ body }).strict(), response: { 200: comment, ...errors } },
    },
    async (request) => editComment(deps, await request.actor(), request.params.documentId, request.params.commentId, request.body, meta(request)),
  );

  r.delete(
    '/api/documents/:documentId/comments/:commentId',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags: ['workspace'],
        summary: 'Delete a comment: one’s own, or anyone’s for the space’s owners (moderation, audited); « message deleted » stays in the thread',
        ...change,
        params: commentParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteComment(deps, await request.actor(), request.params.documentId, request.params.commentId, meta(request));
      return reply.code(204).send(null);
    },
  );

  for (const [method, on] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    r[method](
      '/api/documents/:documentId/comments/:commentId/reactions/:emoji',
      {
        config: { rateLimit: WRITES },
        schema: {
          tags: ['workspace'],
          summary: on ? 'Add one’s reaction to a comment (from a fixed set of emoji)' : 'Take back one’s reaction to a comment',
          ...change,
          params: reactionParams,
          response: { 200: z.object({ reactions: z.array(reaction) }), ...errors },
        },
      },
      async (request) => ({
        reactions: await setReaction(deps, await request.actor(), request.params.documentId, request.params.commentId, request.params.emoji, on),
      }),
    );
  }

  r.get(
    '/api/documents/:documentId/mentionable',
    {
      config: { rateLimit: LOOKUPS },
      schema: {
        tags: ['workspace'],
        summary:
          'Members of the space one may mention in a comment, matching q; canRead false for those outside a restricted document; canShare and canInvite: whether the actor may share the document and invite by address (owners)',
        ...read,
        params: documentParams,
        querystring: z.object({ q: z.string().max(100).default('') }).strict(),
        response: {
          200: z.object({
            agents: z.array(person.extend({ canRead: z.boolean() })),
            canShare: z.boolean(),
            // Decided by the actor's role only, never by q: an address typed tells nobody anything.
            canInvite: z.boolean(),
          }),
          ...errors,
        },
      },
    },
    async (request) => mentionCandidates(deps, await request.actor(), request.params.documentId, request.query.q),
  );
}
