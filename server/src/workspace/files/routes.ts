import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { AppError } from '../../platform/errors.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { contentDisposition } from '../../platform/http/content-disposition.ts';
import { isInlineType } from './content-types.ts';
import { type FilesDeps, perAgent } from './deps.ts';
import { auditDownload, DownloadAudits, openContent, openForReading, openThumbnail, parseRange } from './download.ts';
import { createFolder, deleteFile, listFiles, listFileVersions, restoreFile, restoreFileVersion, trashFile, updateFile } from './files.ts';
import { FILE_KINDS, FILE_STATUSES } from './files.tables.ts';
import { getStorageQuota, setStorageQuota } from './quotas.ts';

/**
 * The files area's REST routes (contract: /work/briefs/common.md §1; uploads are tus-routes.ts).
 * Thin: parse with zod, call the use case (which authorises and audits), present. Content is
 * served with the type read from the bytes, `nosniff`, a sandboxing CSP, and inline only for
 * raster images, PDF and plain text.
 */
export const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const person = z.object({ id: z.uuid(), name: z.string() });
export const fileItemSchema = z.object({
  id: z.uuid(),
  kind: z.enum(FILE_KINDS),
  name: z.string(),
  parentId: z.uuid().nullable(),
  size: z.number().int().nullable(),
  contentType: z.string().nullable(),
  status: z.enum(FILE_STATUSES),
  versionCount: z.number().int(),
  updatedAt: z.iso.datetime(),
  updatedBy: person.nullable(),
  trashedAt: z.iso.datetime().nullable(),
  thumbnailUrl: z.string().nullable(),
  downloadUrl: z.string().nullable(),
});
const quotaSchema = z.object({
  space: z.object({ used: z.number().int(), limit: z.number().int() }),
  organisation: z.object({ id: z.uuid(), name: z.string(), used: z.number().int(), limit: z.number().int() }).nullable(),
});
const listingSchema = z.object({
  folder: z.object({ id: z.uuid(), name: z.string(), parentId: z.uuid().nullable() }).nullable(),
  path: z.array(z.object({ id: z.uuid(), name: z.string() })),
  items: z.array(fileItemSchema),
  quota: quotaSchema,
  canEdit: z.boolean(),
});
const versionSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  size: z.number().int(),
  contentType: z.string(),
  status: z.enum(FILE_STATUSES),
  createdAt: z.iso.datetime(),
  createdBy: person.nullable(),
  current: z.boolean(),
});
const quotaSettingSchema = z.object({
  scope: z.enum(['space', 'organisation']),
  ownerId: z.uuid(),
  limitBytes: z.number().int().nullable(),
  effectiveLimit: z.number().int(),
  used: z.number().int(),
});

/** Names are checked by the use case (file_name_invalid); the schema only bounds the input. */
const name = z.string().max(1024);
const fileParams = z.object({ id: z.uuid() }).strict();
const bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Per agent (many agents may share an address): a folder of previews passes, a scraper does not. */
const READS = { max: 1200, timeWindow: 60_000, keyGenerator: perAgent('file-read') };

export function fileRoutes(app: FastifyInstance, deps: FilesDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const read = { security: [{ session: [] }] };
  const change = { security: [{ session: [], csrf: [] }] };
  const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
  const downloads = new DownloadAudits();

  r.get(
    '/api/spaces/:spaceId/files',
    {
      schema: {
        tags: ['files'],
        summary: 'A folder of the space’s files (the root without folderId), or its trash (view=trash), with the quotas',
        ...read,
        params: z.object({ spaceId: z.uuid() }).strict(),
        querystring: z.object({ folderId: z.uuid().optional(), view: z.enum(['trash']).optional() }).strict(),
        response: { 200: listingSchema, 400: problem, 401: problem, 404: problem },
      },
    },
    async (request) => listFiles(deps, await request.actor(), request.params.spaceId, request.query),
  );

  r.post(
    '/api/spaces/:spaceId/folders',
    {
      schema: {
        tags: ['files'],
        summary: 'Create a folder (editors); 409 file_name_taken when the folder already holds that name',
        ...change,
        params: z.object({ spaceId: z.uuid() }).strict(),
        body: z.object({ name, parentId: z.uuid().nullable() }).strict(),
        response: { 201: fileItemSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createFolder(deps, await request.actor(), request.params.spaceId, request.body, meta(request))),
  );

  r.patch(
    '/api/files/:id',
    {
      schema: {
        tags: ['files'],
        summary: 'Rename and/or move a file or folder (editors); parentId null: the root; never into itself',
        ...change,
        params: fileParams,
        body: z.object({ name: name.optional(), parentId: z.uuid().nullable().optional() }).strict(),
        response: { 200: fileItemSchema, ...errors },
      },
    },
    async (request) => updateFile(deps, await request.actor(), request.params.id, request.body, meta(request)),
  );

  for (const [verb, action, summary] of [
    ['trash', trashFile, 'Put a file or folder (with its content) in the trash (editors)'],
    ['restore', restoreFile, 'Restore from the trash, into its folder or the root (editors)'],
  ] as const) {
    r.post(
      `/api/files/:id/${verb}`,
      { schema: { tags: ['files'], summary, ...change, params: fileParams, response: { 200: fileItemSchema, ...errors } } },
      async (request) => action(deps, await request.actor(), request.params.id, meta(request)),
    );
  }

  r.delete(
    '/api/files/:id',
    {
      schema: {
        tags: ['files'],
        summary: 'Delete for good, from the trash only (owners, or whoever created it all): every version’s bytes go',
        ...change,
        params: fileParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteFile(deps, await request.actor(), request.params.id, meta(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/files/:id/versions',
    {
      schema: {
        tags: ['files'],
        summary: 'The versions of a file, latest first',
        ...read,
        params: fileParams,
        response: { 200: z.object({ versions: z.array(versionSchema) }), 400: problem, 401: problem, 404: problem },
      },
    },
    async (request) => listFileVersions(deps, await request.actor(), request.params.id),
  );

  r.post(
    '/api/files/:id/versions/:versionId/restore',
    {
      schema: {
        tags: ['files'],
        summary: 'Make an earlier version current again, as a new version (editors); every version stays',
        ...change,
        params: z.object({ id: z.uuid(), versionId: z.uuid() }).strict(),
        response: { 200: fileItemSchema, ...errors },
      },
    },
    async (request) => restoreFileVersion(deps, await request.actor(), request.params.id, request.params.versionId, meta(request)),
  );

  r.get(
    '/api/files/:id/content',
    {
      config: { rateLimit: READS },
      schema: {
        tags: ['files'],
        summary:
          'The bytes of a file (a version of it with version=): Range requests (206, 416), ETag (the version id), inline only for raster images, PDF and plain text, attachment otherwise and with download=1; 403 file_quarantined',
        ...read,
        params: fileParams,
        querystring: z.object({ version: z.uuid().optional(), download: z.enum(['0', '1', 'true', 'false']).optional() }).strict(),
        response: { 304: z.null(), 400: problem, 401: problem, 403: problem, 404: problem, 416: problem, 429: problem },
      },
    },
    async (request, typedReply) => {
      // The body is the file's bytes (a stream), not a JSON answer the schema would describe.
      const reply = typedReply as FastifyReply;
      const actor = await request.actor();
      const readable = await openForReading(deps, actor, request.params.id, request.query.version);
      const { item, version } = readable;
      const size = Number(version.size);
      const etag = `"${version.id}"`;
      const download = request.query.download === '1' || request.query.download === 'true';
      const inline = isInlineType(version.content_type) && !download;
      reply
        .header('etag', etag)
        .header('last-modified', version.created_at.toUTCString())
        .header('accept-ranges', 'bytes')
        // Access is checked again at every request (the ETag spares the bytes).
        .header('cache-control', 'private, no-cache')
        .header('x-content-type-options', 'nosniff')
        // Even a file opened on its own is no page: no script, no plugin, a unique origin.
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('cross-origin-resource-policy', 'same-origin')
        .header('vary', 'cookie, authorization');
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
      let range = parseRange(request.headers.range, size);
      const ifRange = request.headers['if-range'];
      if (range !== null && ifRange !== undefined && ifRange !== etag) range = null; // changed since: the whole file
      if (range === 'unsatisfiable') {
        throw new AppError('range_not_satisfiable', { status: 416, params: { size }, headers: { 'content-range': `bytes */${size}` } });
      }
      reply
        .header('content-type', version.content_type === 'text/plain' ? 'text/plain; charset=utf-8' : version.content_type)
        .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', item.name));
      if (request.method === 'HEAD') return reply.header('content-length', String(size)).send();
      const opened = await openContent(deps, readable, range);
      if (actor && downloads.shouldRecord(actor, version.id, range)) await auditDownload(deps, actor, readable, meta(request), range);
      reply.header('content-length', String(opened.contentLength));
      if (range && opened.range) reply.code(206).header('content-range', `bytes ${opened.range.start}-${opened.range.end}/${size}`);
      return reply.send(opened.body);
    },
  );

  r.get(
    '/api/files/:id/thumbnail',
    {
      config: { rateLimit: READS },
      schema: {
        tags: ['files'],
        summary: 'The WebP thumbnail (at most 256 px) of an image file; 404 when it has none',
        ...read,
        params: fileParams,
        querystring: z.object({ version: z.uuid().optional() }).strict(),
        response: { 304: z.null(), 400: problem, 401: problem, 403: problem, 404: problem, 429: problem },
      },
    },
    async (request, typedReply) => {
      const reply = typedReply as FastifyReply;
      const { versionId, body } = await openThumbnail(deps, await request.actor(), request.params.id, request.query.version);
      const etag = `"t-${versionId}"`;
      reply
        .header('etag', etag)
        // A thumbnail asked by version never changes; the current one may.
        .header('cache-control', request.query.version ? 'private, max-age=3600' : 'private, no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('cross-origin-resource-policy', 'same-origin')
        .header('vary', 'cookie, authorization');
      if (matchesEtag(request.headers['if-none-match'], etag)) {
        body.body.destroy();
        return reply.code(304).send();
      }
      return reply.header('content-type', 'image/webp').header('content-length', String(body.contentLength)).send(body.body);
    },
  );

  // ── operators: quotas ──
  const quotaParams = z.object({ scope: z.enum(['space', 'organisation']), ownerId: z.uuid() }).strict();
  r.get(
    '/api/admin/storage-quotas/:scope/:ownerId',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags: ['operations'],
        summary: 'The storage quota of a space or an organisation, and its usage (operators)',
        ...read,
        params: quotaParams,
        response: { 200: quotaSettingSchema, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => getStorageQuota(deps, await request.actor(), request.params.scope, request.params.ownerId),
  );
  r.put(
    '/api/admin/storage-quotas/:scope/:ownerId',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags: ['operations'],
        summary: 'Set the storage quota of a space or an organisation in bytes, or null for the configured default (operators, audited)',
        ...change,
        params: quotaParams,
        body: z.object({ limitBytes: bytes.nullable() }).strict(),
        response: { 200: quotaSettingSchema, 400: problem, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => setStorageQuota(deps, await request.actor(), request.params.scope, request.params.ownerId, request.body.limitBytes, meta(request)),
  );
}

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === etag;
  });
}
