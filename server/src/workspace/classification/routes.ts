import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { problem } from '../spaces/routes.ts';
import { type ClassificationDeps, getDocumentClassification, getSpaceClassification, setDocumentClassification, setSpaceClassification } from './classification.ts';

/**
 * Classification labels (issue 7): `GET|PUT /api/spaces/:spaceId/classification` and
 * `GET|PUT /api/documents/:documentId/classification`, body `{ level: "<level id>" | null }`
 * (null: not set — a space falls back to its workspace label and the default, a document to its
 * space). Raising: editors and owners; lowering (the own label taken down or off included): owners;
 * in a session only (a personal access token: 403), at the space's level of assurance (a step-up
 * below it) — classification.ts. Thin: parse, call.
 */
const levelView = z.object({ id: z.string(), name: z.string() });
const labelView = z.object({
  jurisdiction: z.enum(['FR', 'QC']),
  own: levelView.nullable(),
  effective: levelView,
  levels: z.array(levelView),
  canRaise: z.boolean(),
  canLower: z.boolean(),
});

export function classificationRoutes(app: FastifyInstance, deps: ClassificationDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const read = { security: [{ session: [] }] };
  const change = { security: [{ session: [], csrf: [] }] };
  // The level must be one of the configured scale: anything else is a 400 before the use case.
  const body = z.object({ level: z.enum(deps.scale.ids as [string, ...string[]]).nullable() }).strict();
  const spaceParams = z.object({ spaceId: z.uuid() }).strict();
  const documentParams = z.object({ documentId: z.uuid() }).strict();

  r.get(
    '/api/spaces/:spaceId/classification',
    { schema: { tags: ['workspace'], summary: 'A space’s classification level on the configured scale', ...read, params: spaceParams, response: { 200: labelView, 401: problem, 404: problem } } },
    async (request) => getSpaceClassification(deps, await request.actor(), request.params.spaceId, request.locale),
  );
  r.put(
    '/api/spaces/:spaceId/classification',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags: ['workspace'],
        summary: 'Set a space’s classification level (raise: editors, owners; lower: owners), audited',
        ...change,
        params: spaceParams,
        body,
        response: { 200: labelView, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => setSpaceClassification(deps, await request.actor(), request.params.spaceId, request.body.level, request.locale, meta(request)),
  );
  r.get(
    '/api/documents/:documentId/classification',
    {
      schema: {
        tags: ['workspace'],
        summary: 'A document’s classification: its own level, its space’s, the effective one',
        ...read,
        params: documentParams,
        response: { 200: labelView.extend({ space: levelView }), 401: problem, 404: problem },
      },
    },
    async (request) => getDocumentClassification(deps, await request.actor(), request.params.documentId, request.locale),
  );
  r.put(
    '/api/documents/:documentId/classification',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags: ['workspace'],
        summary: 'Set a document’s own classification level (raise: editors, owners; lower: owners), audited',
        ...change,
        params: documentParams,
        body,
        response: { 200: labelView.extend({ space: levelView }), 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => setDocumentClassification(deps, await request.actor(), request.params.documentId, request.body.level, request.locale, meta(request)),
  );
}
