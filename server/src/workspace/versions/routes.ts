import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { createNamedVersion, diffVersion, getVersion, listVersions, restoreVersion, VERSION_NAME_MAX, type VersionsDeps } from './versions.ts';

/**
 * History of a document (contract "History"): list, name, view, compare with now, restore.
 * Thin: parse with zod, call the use case (which authorises and audits), present.
 */

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const documentParams = z.object({ documentId: z.uuid() }).strict();
const versionParams = z.object({ documentId: z.uuid(), versionId: z.uuid() }).strict();
const version = z.object({
  id: z.uuid(),
  kind: z.enum(['auto', 'named', 'before_restore']),
  name: z.string().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: z.object({ principalId: z.uuid(), givenName: z.string(), familyName: z.string() }).nullable(),
});
/** ProseMirror JSON, as stored: checked for shape when written, not re-validated when served. */
const content = z.object({ type: z.string().optional() }).loose();
const errors = { 401: problem, 403: problem, 404: problem };

export function versionRoutes(app: FastifyInstance, deps: VersionsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  // A browser session (with CSRF for changes) or a personal access token (api:read, api:write).
  const read = { security: [{ session: [] }, { token: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }, { token: [] }] as Record<string, string[]>[] };
  // Decrypting and converting whole documents: plenty for a person, a brake on a script.
  const heavy = { rateLimit: LIMITS.adminChanges };

  r.get(
    '/api/documents/:documentId/versions',
    {
      schema: {
        tags: ['documents'],
        summary: 'Versions of a document, newest first (automatic, named, saved before a restore)',
        ...read,
        params: documentParams,
        response: { 200: z.object({ versions: z.array(version) }), ...errors },
      },
    },
    async (request) => ({ versions: await listVersions(deps, await request.actor(), request.params.documentId, meta(request)) }),
  );

  r.post(
    '/api/documents/:documentId/versions',
    {
      config: heavy,
      schema: {
        tags: ['documents'],
        summary: 'Name the document as it is now (editors and owners)',
        ...change,
        params: documentParams,
        body: z.object({ name: z.string().trim().min(1).max(VERSION_NAME_MAX) }).strict(),
        response: { 201: version, 400: problem, 409: problem, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createNamedVersion(deps, await request.actor(), request.params.documentId, request.body.name, meta(request))),
  );

  r.get(
    '/api/documents/:documentId/versions/:versionId',
    {
      config: heavy,
      schema: {
        tags: ['documents'],
        summary: 'A version’s content (ProseMirror JSON)',
        ...read,
        params: versionParams,
        response: { 200: z.object({ version, content }), ...errors },
      },
    },
    async (request) => {
      const found = await getVersion(deps, await request.actor(), request.params.documentId, request.params.versionId, meta(request));
      return { version: found.version, content: found.content as z.infer<typeof content> };
    },
  );

  r.get(
    '/api/documents/:documentId/versions/:versionId/diff',
    {
      config: heavy,
      schema: {
        tags: ['documents'],
        summary: 'What changed from the version to the document now, block by block',
        ...read,
        params: versionParams,
        response: { 200: z.object({ blocks: z.array(z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() })) }), ...errors },
      },
    },
    async (request) => ({ blocks: await diffVersion(deps, await request.actor(), request.params.documentId, request.params.versionId, meta(request)) }),
  );

  r.post(
    '/api/documents/:documentId/versions/:versionId/restore',
    {
      config: heavy,
      schema: {
        tags: ['documents'],
        summary: 'Bring a version back as a new change everyone sees live (what was there is saved first)',
        ...change,
        params: versionParams,
        response: { 200: z.object({ restored: version, beforeRestore: version }), 409: problem, ...errors },
      },
    },
    async (request) => restoreVersion(deps, await request.actor(), request.params.documentId, request.params.versionId, meta(request)),
  );
}
