import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { perAgent } from '../files/deps.ts';
import { getImport, type ImportDeps, ImportRunner, startImport } from './imports.ts';
import { IMPORT_STATUSES } from './imports.tables.ts';

/**
 * `POST /api/spaces/:spaceId/imports?name=…[&parentId=…]` (the raw file as the body: .md,
 * .markdown, .html, .htm, .docx or a .zip of them) and `GET /api/imports/:importId` (progress and
 * report). Thin: parse, call the use case, present. The body parser is scoped to the upload route:
 * it hands the raw request stream to the use case, which counts it against the limit as it streams.
 */

/** An agent dropping a dozen files sends a dozen uploads; a loop does not get far. */
const UPLOADS = { max: 30, timeWindow: 60_000, keyGenerator: perAgent('document-import') };
/** The page polls about once a second while an import runs. */
const READS = { max: 300, timeWindow: 60_000, keyGenerator: perAgent('document-import-read') };

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const reportEntry = z.object({
  path: z.string(),
  status: z.enum(['imported', 'failed', 'skipped']),
  title: z.string().optional(),
  documentId: z.uuid().optional(),
  reason: z.string().optional(),
  dropped: z.record(z.string(), z.number().int()).optional(),
});
const importSchema = z.object({
  id: z.uuid(),
  spaceId: z.uuid(),
  parentId: z.uuid().nullable(),
  fileName: z.string(),
  status: z.enum(IMPORT_STATUSES),
  total: z.number().int(),
  processed: z.number().int(),
  imported: z.number().int(),
  failed: z.number().int(),
  error: z.string().nullable(),
  report: z.array(reportEntry),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});

export function importRoutes(app: FastifyInstance, deps: ImportDeps): ImportRunner {
  const runner = new ImportRunner(deps.logger);
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    // A refused upload is answered before its body is read: close the connection rather than
    // read (and drop) what the client may still be sending.
    scope.addHook('onSend', async (request, reply) => {
      if (request.method === 'POST' && !request.raw.complete) reply.header('connection', 'close');
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/spaces/:spaceId/imports',
      {
        config: { rateLimit: UPLOADS },
        schema: {
          tags: ['workspace'],
          summary:
            'Import a Markdown, HTML or DOCX file, or a zip of them keeping its folders as the documents tree, into a space (its editors and owners): the raw file as the body, 50 MiB at most; answers 202 with the import to follow at GET /api/imports/{importId}',
          security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[],
          params: z.object({ spaceId: z.uuid() }).strict(),
          querystring: z
            .object({
              name: z.string().min(1).max(255).describe('The file name (its extension says how it is read: .md, .markdown, .html, .htm, .docx, .zip)'),
              parentId: z.uuid().optional().describe('The document to import under (the root of the space when absent)'),
            })
            .strict(),
          response: { 202: importSchema, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 413: problem, 415: problem, 423: problem, 429: problem },
        },
      },
      async (request, reply) => {
        const length = request.headers['content-length'];
        const view = await startImport(
          deps,
          runner,
          await request.actor(),
          request.params.spaceId,
          {
            fileName: request.query.name,
            parentId: request.query.parentId ?? null,
            declaredLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
            body: (request.body as Readable | undefined) ?? null,
          },
          { ip: clientIp(request), requestId: request.id },
        );
        return reply.code(202).header('location', `/api/imports/${view.id}`).send(view);
      },
    );
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/imports/:importId',
    {
      config: { rateLimit: READS },
      schema: {
        tags: ['workspace'],
        summary: 'An import: its progress and, once ended, the report of every file (the agent who started it, while an editor of the space)',
        security: [{ session: [] }, { token: [] }] as Record<string, string[]>[],
        params: z.object({ importId: z.uuid() }).strict(),
        response: { 200: importSchema, 401: problem, 404: problem, 429: problem },
      },
    },
    async (request) => getImport(deps, await request.actor(), request.params.importId),
  );
  return runner;
}
