import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError } from '../../platform/errors.ts';
import { problem } from '../spaces/routes.ts';
import { QUERY_MAX_CHARS } from './query.ts';
import { decodeCursor, SEARCH_LIMIT_MAX, searchDocuments } from './search.ts';

/**
 * Per agent (colleagues behind one address do not share it): typing sends a request per pause,
 * a few a second at most; a script gets a brake. Falls back to the address when signed out.
 */
export const SEARCH_RATE_LIMIT = {
  max: 240,
  timeWindow: 60_000,
  keyGenerator: async (request: FastifyRequest) => {
    const actor = await request.actor();
    return actor ? `search:${actor.principalId}` : `search-ip:${request.ip}`;
  },
};

const segments = z.array(z.object({ text: z.string(), match: z.boolean() }));
const hitSchema = z.object({
  documentId: z.uuid(),
  spaceId: z.uuid(),
  spaceName: z.string(),
  jurisdiction: z.enum(['FR', 'QC']),
  title: z.string(),
  titleHighlight: segments.describe('The title in segments; `match` ones are the matched words (render them in <mark>)'),
  snippet: segments.describe('Extracts of the text around the matches, as plain-text segments (never HTML)'),
  author: z.object({ id: z.uuid(), name: z.string().nullable() }),
  changedAt: z.iso.datetime(),
  score: z.number(),
});
const searchQuery = z
  .object({
    // Not trimmed: a blank after the last word says it is complete (no prefix match).
    q: z.string().max(QUERY_MAX_CHARS).regex(/\S/u).describe('Words (French stemming, accents ignored), "phrases", -excluded, a OR b; the last word is a prefix unless followed by a space'),
    space: z.uuid().optional(),
    author: z.uuid().optional(),
    from: z.iso.date().optional().describe('Changed on or after this day (UTC)'),
    to: z.iso.date().optional().describe('Changed on or before this day (UTC)'),
    limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(20),
    cursor: z.string().max(40).optional(),
  })
  .strict();

export function searchRoutes(app: FastifyInstance, deps: { stores: Stores }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/search',
    {
      config: { rateLimit: SEARCH_RATE_LIMIT },
      schema: {
        tags: ['workspace'],
        summary: 'Search the titles and text of every document the agent may read, in all their spaces and both cells',
        description:
          'Results ranked by relevance across cells, with highlighted extracts. Only documents the agent may read now: member spaces at the session’s level of assurance, not in the trash, not under a restricted page they are not listed on. A session or a token with api:read.',
        security: [{ session: [] }, { token: [] }] as Record<string, string[]>[],
        querystring: searchQuery,
        response: {
          200: z.object({ results: z.array(hitSchema), nextCursor: z.string().nullable() }),
          400: problem,
          401: problem,
          403: problem,
          429: problem,
        },
      },
    },
    async (request, reply) => {
      const { q, space, author, from, to, limit, cursor } = request.query;
      const offset = cursor === undefined ? 0 : decodeCursor(cursor);
      if (offset === null) throw new AppError('validation', { errors: [{ path: 'cursor', message: 'Invalid cursor', code: 'invalid_cursor' }] });
      const toDay = to ? new Date(`${to}T00:00:00Z`) : undefined;
      if (toDay) toDay.setUTCDate(toDay.getUTCDate() + 1);
      const answer = await searchDocuments(deps.stores, await request.actor(), {
        q,
        spaceId: space,
        authorId: author,
        from: from ? new Date(`${from}T00:00:00Z`) : undefined,
        to: toDay,
        limit,
        offset,
      });
      // Titles and extracts of documents: never kept by a shared cache.
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );
}
