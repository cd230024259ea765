import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { QUESTION_MAX_CHARS } from './question.ts';
import { askDocuments, PASSAGES_DEFAULT, PASSAGES_MAX, type RetrievalDeps, summariseDocument } from './retrieval.ts';
import type { GenerateDeps } from './generate.ts';
import { streamGeneratedAnswer } from './stream.ts';

/**
 * Per agent, like search (colleagues behind one address do not share it): a person asks a few
 * questions a minute; each question scores up to 1,500 passages, so a script gets a firm brake.
 */
export const RETRIEVAL_RATE_LIMIT = {
  max: 60,
  timeWindow: 60_000,
  keyGenerator: async (request: FastifyRequest) => {
    const actor = await request.actor();
    return actor ? `assistant-retrieval:${actor.principalId}` : `assistant-retrieval-ip:${request.ip}`;
  },
};

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const segments = z.array(z.object({ text: z.string(), match: z.boolean() }));
const extractiveLabel = z
  .string()
  .describe('Message key (common/src/i18n) of the label shown with the answer: extractive, no model involved, AI-assisted content per EU AI Act art. 50');

const askBody = z
  .object({
    question: z.string().max(QUESTION_MAX_CHARS).regex(/\S/u).describe('A question in natural language (French or English words); question words and stop words are ignored'),
    spaceId: z.uuid().optional().describe('Only this space'),
    limit: z.number().int().min(1).max(PASSAGES_MAX).default(PASSAGES_DEFAULT),
    model: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('A chat model alias (/ai/v1/models): with `Accept: text/event-stream`, a generated answer citing the passages [n], streamed as SSE (passages, delta…, done | error)'),
  })
  .strict();
const retrievalMode = z
  .object({ mode: z.enum(['full-text', 'hybrid']), embeddingModel: z.string().nullable(), reason: z.string().nullable() })
  .describe('Which retrieval found the passages: `hybrid` (French full text + embeddings, reciprocal rank fusion) when an embedding model is configured and took part');
const passage = z.object({
  n: z.number().int().describe('Citation number, from 1'),
  documentId: z.uuid(),
  spaceId: z.uuid(),
  jurisdiction: z.enum(['FR', 'QC']),
  title: z.string(),
  text: z.string(),
  highlight: segments.describe('The passage in plain-text segments; `match` ones are words of the question (render them in <mark>, never as HTML)'),
  offset: z.number().int().describe('Start of the passage in the document’s plain text (content/text.ts)'),
  length: z.number().int(),
  quote: z.string().describe('The passage’s first words: a text-quote anchor to find it in the live document'),
  score: z.number(),
});
const summariseBody = z.object({ documentId: z.uuid() }).strict();

export function retrievalRoutes(app: FastifyInstance, deps: RetrievalDeps & Partial<GenerateDeps>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  r.post(
    '/api/assistant/ask',
    {
      config: { rateLimit: RETRIEVAL_RATE_LIMIT },
      schema: {
        tags: ['assistant'],
        summary: 'Ask my documents: the most relevant passages of the documents the agent may read, with citations (extractive, no model); with `model`, a generated answer citing them (SSE)',
        description:
          'French full text over the documents the agent may read now (member spaces at the session’s level of assurance, not in the trash, not under a restricted page they are not listed on), passages ranked by BM25, at most two per document. Nothing is generated: `mode` is `extractive`. A session or a token with api:read.',
        security: [{ session: [] }],
        body: askBody,
        response: {
          200: z.object({ mode: z.literal('extractive'), label: extractiveLabel, retrieval: retrievalMode, passages: z.array(passage) }),
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          406: problem,
          429: problem,
          502: problem,
        },
      },
    },
    async (request, reply) => {
      // ── generated answer (helper E, contracts C4) ──
      if (request.body.model !== undefined) return streamGeneratedAnswer(request, reply, deps, { ...request.body, model: request.body.model }, meta(request));
      // ── end generated answer ──
      const answer = await askDocuments(deps, await request.actor(), request.body, meta(request));
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );
  r.post(
    '/api/assistant/summarise',
    {
      config: { rateLimit: RETRIEVAL_RATE_LIMIT },
      schema: {
        tags: ['assistant'],
        summary: 'Summarise a document: its own key sentences, in document order (extractive, no model)',
        description:
          'TF-IDF sentence scoring with a position bonus (server/src/assistant/retrieval/summary.ts). Whoever may read the document may summarise it; 404 otherwise, and for a document in the trash. A session or a token with api:read.',
        security: [{ session: [] }],
        body: summariseBody,
        response: {
          200: z.object({
            mode: z.literal('extractive'),
            label: extractiveLabel,
            documentId: z.uuid(),
            title: z.string(),
            indexed: z.boolean().describe('False for a document not indexed yet (seconds after its creation): no sentences then'),
            sentences: z.array(z.object({ text: z.string(), offset: z.number().int(), length: z.number().int() })),
          }),
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          429: problem,
        },
      },
    },
    async (request, reply) => {
      const answer = await summariseDocument(deps, await request.actor(), request.body.documentId, meta(request));
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );
}
