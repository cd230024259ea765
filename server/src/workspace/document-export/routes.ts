import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { problem } from '../spaces/routes.ts';
import { type DocumentExportDeps, exportDocument, exportSpace } from './document-export.ts';
import { contentDisposition } from '../../platform/http/content-disposition.ts';
import { EXPORT_FORMAT_IDS } from './formats.ts';

/**
 * An export reads and converts a whole document (or space): plenty for a person, a brake on a
 * script. Per agent, so that colleagues behind one address do not share the allowance.
 */
const perAgent = (name: string, max: number) => ({
  max,
  timeWindow: 60_000,
  keyGenerator: async (request: FastifyRequest) => {
    const actor = await request.actor();
    return actor ? `${name}:${actor.principalId}` : `${name}-ip:${request.ip}`;
  },
});
export const DOCUMENT_EXPORT_LIMIT = perAgent('document-export', 30);
export const SPACE_EXPORT_LIMIT = perAgent('space-export', 4);

const formatQuery = z.object({ format: z.enum(EXPORT_FORMAT_IDS).describe('pdf, docx (Word), odt (OpenDocument), md (Markdown) or html') }).strict();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 413: problem, 429: problem };

/** `GET /api/documents/:id/export` and `GET /api/spaces/:id/export`: thin, the use cases decide. */
export function documentExportRoutes(app: FastifyInstance, deps: DocumentExportDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });

  r.get(
    '/api/documents/:documentId/export',
    {
      config: { rateLimit: DOCUMENT_EXPORT_LIMIT },
      schema: {
        tags: ['workspace'],
        summary: 'Download a document as PDF, Word (DOCX), OpenDocument (ODT), Markdown or HTML',
        description: 'Whoever may read the document may export it (readers too), at the space’s level of assurance. A session or a token with api:read.',
        security: [{ session: [] }, { token: [] }] as Record<string, string[]>[],
        params: z.object({ documentId: z.uuid() }).strict(),
        querystring: formatQuery,
        response: { 200: z.any().describe('The file'), ...errors },
      },
    },
    async (request, reply) => {
      const file = await exportDocument(deps, await request.actor(), request.params.documentId, request.query.format, meta(request));
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition('attachment', file.filename))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(file.body);
    },
  );

  r.get(
    '/api/spaces/:spaceId/export',
    {
      config: { rateLimit: SPACE_EXPORT_LIMIT },
      schema: {
        tags: ['workspace'],
        summary: 'Download the documents of a space as a zip, in one format, with their tree as folders',
        description:
          'Each document is a file named after its title; its children are in a folder of the same name. Documents the agent cannot read and the trash are left out; Markdown images are files in `_images/`. A space over the limits answers 413 export-too-large. A session or a token with api:read.',
        security: [{ session: [] }, { token: [] }] as Record<string, string[]>[],
        params: z.object({ spaceId: z.uuid() }).strict(),
        querystring: formatQuery,
        response: { 200: z.any().describe('The zip'), ...errors },
      },
    },
    async (request, reply) => {
      const archive = await exportSpace(deps, await request.actor(), request.params.spaceId, request.query.format, meta(request));
      return reply
        .header('content-type', 'application/zip')
        .header('content-length', String(archive.size))
        .header('content-disposition', contentDisposition('attachment', archive.filename))
        .header('cache-control', 'private, no-store')
        .send(archive.open());
    },
  );
}
