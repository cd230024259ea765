import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import type { WorkspaceDeps } from '../spaces/deps.ts';
import { problem } from '../spaces/routes.ts';
import { SPACE_ROLES } from '../workspace.tables.ts';
import { addDocumentAccessEntry } from './document-access.ts';

/**
 * `POST /api/documents/:documentId/access/entries`: one member added to a restricted document's
 * access list, atomically (the comments panel's « share with » a mentioned agent). The whole list
 * stays `PUT /api/documents/:documentId/access` (routes.ts). Thin: parse, call, present.
 */
const accessListSchema = z.object({
  restricted: z.boolean(),
  entries: z.array(z.object({ principalId: z.uuid(), role: z.enum(SPACE_ROLES) })),
  added: z.boolean(),
});

export function documentAccessEntryRoutes(app: FastifyInstance, deps: WorkspaceDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/documents/:documentId/access/entries',
    {
      schema: {
        tags: ['workspace'],
        summary: 'Add one member to a restricted document’s access list (owners); already listed: unchanged, 200',
        // A browser session (with CSRF) or a personal access token (api:write), as the whole list's PUT.
        security: [{ session: [], csrf: [] }, { token: [] }],
        params: z.object({ documentId: z.uuid() }).strict(),
        body: z.object({ principalId: z.uuid(), role: z.enum(SPACE_ROLES).default('reader') }).strict(),
        response: { 200: accessListSchema, 201: accessListSchema, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 423: problem },
      },
    },
    async (request, reply) => {
      const result = await addDocumentAccessEntry(deps, await request.actor(), request.params.documentId, request.body, {
        ip: clientIp(request),
        requestId: request.id,
      });
      return reply.code(result.added ? 201 : 200).send(result);
    },
  );
}
