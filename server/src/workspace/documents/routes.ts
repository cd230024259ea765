import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { ASSURANCE_LEVELS } from '../../identity/federation/upstream.ts';
import type { WorkspaceDeps } from '../spaces/deps.ts';
import { problem } from '../spaces/routes.ts';
import { SPACE_ROLES } from '../workspace.tables.ts';
import { getDocumentAccess, setDocumentAccess } from './document-access.ts';
import {
  createDocument,
  deleteDocument,
  duplicateDocument,
  getDocument,
  listDocuments,
  restoreDocument,
  TITLE_MAX,
  trashDocument,
  updateDocument,
} from './documents.ts';

/** The documents tree (contract: /work/briefs/common.md, "Documents"). Thin: parse, call, present. */
export const documentSummarySchema = z.object({
  id: z.uuid(),
  spaceId: z.uuid(),
  parentId: z.uuid().nullable(),
  title: z.string(),
  position: z.number().int(),
  restricted: z.boolean(),
  trashedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
  role: z.enum(SPACE_ROLES),
});
const documentDetailSchema = documentSummarySchema.extend({
  epoch: z.number().int(),
  jurisdiction: z.enum(['FR', 'QC']),
  spaceName: z.string(),
  minAssurance: z.enum(ASSURANCE_LEVELS),
  insufficientAssurance: z.boolean(),
});
const accessListSchema = z.object({
  restricted: z.boolean(),
  entries: z.array(z.object({ principalId: z.uuid(), role: z.enum(SPACE_ROLES) }).strict()).max(500),
});

const title = z.string().trim().min(1).max(TITLE_MAX);
const documentParams = z.object({ documentId: z.uuid() }).strict();

export function documentRoutes(app: FastifyInstance, deps: WorkspaceDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  // A browser session (with CSRF for changes) or a personal access token (api:read, api:write).
  const read = { security: [{ session: [] }, { token: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[] };
  const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };

  r.get(
    '/api/spaces/:spaceId/documents',
    {
      schema: {
        tags: ['workspace'],
        summary: 'The documents of a space the agent may read (flat; the client builds the tree)',
        ...read,
        params: z.object({ spaceId: z.uuid() }).strict(),
        querystring: z.object({ trash: z.enum(['true', 'false']).default('false') }).strict(),
        response: { 200: z.object({ documents: z.array(documentSummarySchema) }), 400: problem, 401: problem, 404: problem },
      },
    },
    async (request) => ({
      documents: await listDocuments(deps.stores, await request.actor(), request.params.spaceId, request.query.trash === 'true'),
    }),
  );

  r.post(
    '/api/spaces/:spaceId/documents',
    {
      schema: {
        tags: ['workspace'],
        summary: 'Create a document (editors), at the root or under a parent',
        ...change,
        params: z.object({ spaceId: z.uuid() }).strict(),
        body: z.object({ title, parentId: z.uuid().nullable().optional() }).strict(),
        response: { 201: documentSummarySchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createDocument(deps, await request.actor(), request.params.spaceId, request.body, meta(request))),
  );

  r.get(
    '/api/documents/:documentId',
    {
      schema: {
        tags: ['workspace'],
        summary: 'A document’s metadata, with its epoch and whether the session meets the space’s level of assurance',
        ...read,
        params: documentParams,
        response: { 200: documentDetailSchema, 400: problem, 401: problem, 404: problem },
      },
    },
    async (request) => getDocument(deps.stores, await request.actor(), request.params.documentId),
  );

  r.patch(
    '/api/documents/:documentId',
    {
      schema: {
        tags: ['workspace'],
        summary: 'Rename and/or move a document (editors): parent (null: the root) and place among its siblings',
        ...change,
        params: documentParams,
        body: z.object({ title: title.optional(), parentId: z.uuid().nullable().optional(), position: z.number().int().min(0).max(100_000).optional() }).strict(),
        response: { 200: documentSummarySchema, ...errors },
      },
    },
    async (request) => updateDocument(deps, await request.actor(), request.params.documentId, request.body, meta(request)),
  );

  r.post(
    '/api/documents/:documentId/duplicate',
    {
      schema: { tags: ['workspace'], summary: 'Duplicate a document with its content (editors)', ...change, params: documentParams, response: { 201: documentSummarySchema, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await duplicateDocument(deps, await request.actor(), request.params.documentId, meta(request))),
  );

  r.post(
    '/api/documents/:documentId/trash',
    {
      schema: { tags: ['workspace'], summary: 'Send a document and its descendants to the trash (editors)', ...change, params: documentParams, response: { 200: documentSummarySchema, ...errors } },
    },
    async (request) => trashDocument(deps, await request.actor(), request.params.documentId, meta(request)),
  );

  r.post(
    '/api/documents/:documentId/restore',
    {
      schema: { tags: ['workspace'], summary: 'Restore a document and the descendants trashed with it (editors)', ...change, params: documentParams, response: { 200: documentSummarySchema, ...errors } },
    },
    async (request) => restoreDocument(deps, await request.actor(), request.params.documentId, meta(request)),
  );

  r.delete(
    '/api/documents/:documentId',
    {
      schema: { tags: ['workspace'], summary: 'Delete a document for good, from the trash (owners)', ...change, params: documentParams, response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      await deleteDocument(deps, await request.actor(), request.params.documentId, meta(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/documents/:documentId/access',
    {
      schema: { tags: ['workspace'], summary: 'A document’s restriction and access list (owners)', ...read, params: documentParams, response: { 200: accessListSchema, ...errors } },
    },
    async (request) => getDocumentAccess(deps.stores, await request.actor(), request.params.documentId),
  );

  r.put(
    '/api/documents/:documentId/access',
    {
      schema: {
        tags: ['workspace'],
        summary: 'Restrict a document to listed members, or lift the restriction (owners)',
        ...change,
        params: documentParams,
        body: accessListSchema.strict(),
        response: { 200: accessListSchema, ...errors },
      },
    },
    async (request) => setDocumentAccess(deps, await request.actor(), request.params.documentId, request.body, meta(request)),
  );
}
