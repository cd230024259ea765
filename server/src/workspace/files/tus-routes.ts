import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { AppError } from '../../platform/errors.ts';
import { type FilesDeps, perAgent } from './deps.ts';
import { fileItemSchema, problem } from './routes.ts';
import { appendToUpload, createUpload, terminateUpload, TUS_EXTENSIONS, TUS_VERSION, type UploadPosition, uploadPosition, uploadStatus } from './uploads.ts';

/**
 * tus 1.0.0 at /api/uploads (core protocol; creation, termination and expiration extensions),
 * plus `GET /api/uploads/:id`, a JSON status for the web app. The same session, CSRF and token
 * rules as every route (a token needs api:write to upload). Thin: headers in, use case, headers out.
 * The body parser is scoped to these routes and hands the raw request stream to the use case.
 */
const uploadParams = z.object({ id: z.uuid() }).strict();
const tusHeaders = {
  'tus-resumable': z.string().optional().describe('1.0.0 (every tus request but OPTIONS; anything else: 412)'),
};

/** Per agent: a folder of many small files passes, a loop does not. */
const CREATIONS = { max: 600, timeWindow: 60_000, keyGenerator: perAgent('upload-create') };
const PATCHES = { max: 6000, timeWindow: 60_000, keyGenerator: perAgent('upload-patch') };

function requireTus(request: FastifyRequest): void {
  if (request.headers['tus-resumable'] !== TUS_VERSION) {
    throw new AppError('tus_version_unsupported', { status: 412, headers: { 'tus-version': TUS_VERSION } });
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function withPosition(reply: FastifyReply, at: UploadPosition): FastifyReply {
  return reply.header('upload-offset', String(at.offset)).header('upload-expires', at.expiresAt.toUTCString());
}

export function tusRoutes(app: FastifyInstance, deps: FilesDeps): void {
  app.register(async (scope) => {
    // The PATCH body is the upload's bytes, whatever is declared: the use case checks the type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.setErrorHandler(async (error) => {
      if ((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw new AppError('upload_content_type', { status: 415 });
      throw error;
    });
    scope.addHook('onSend', async (request, reply) => {
      // Every tus answer names the protocol version; none may be cached (offsets move).
      if (request.method !== 'OPTIONS') reply.header('tus-resumable', TUS_VERSION);
      reply.header('cache-control', 'no-store');
      // A PATCH refused before its body was read: close rather than read (and drop) the rest.
      if (request.method === 'PATCH' && !request.raw.complete) reply.header('connection', 'close');
    });

    const r = scope.withTypeProvider<ZodTypeProvider>();
    const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });

    r.options(
      '/api/uploads',
      {
        schema: {
          tags: ['files'],
          summary: 'tus discovery: Tus-Version 1.0.0, Tus-Extension creation,termination,expiration, Tus-Max-Size (the largest file)',
          response: { 204: z.null() },
        },
      },
      async (_request, reply) =>
        reply
          .code(204)
          .header('tus-version', TUS_VERSION)
          .header('tus-extension', TUS_EXTENSIONS)
          .header('tus-max-size', String(deps.limits.maxFileBytes))
          .send(null),
    );

    r.post(
      '/api/uploads',
      {
        config: { rateLimit: CREATIONS },
        schema: {
          tags: ['files'],
          summary:
            'tus creation (editors): Upload-Length, Upload-Metadata spaceId, filename, folderId?, fileId? (a new version), filetype? (ignored). Refused before any byte: 413 quota_exceeded or file_too_large, 409 file_name_taken, 403, 404, 400. 201 with Location /api/uploads/<id> and Upload-Expires',
          security: [{ session: [], csrf: [] }],
          headers: z
            .object({
              ...tusHeaders,
              'upload-length': z.string().optional().describe('Total size in bytes'),
              'upload-metadata': z.string().optional().describe('key base64(value), comma-separated'),
            })
            .loose(),
          response: { 201: z.null(), 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 412: problem, 413: problem, 429: problem },
        },
      },
      async (request, reply) => {
        requireTus(request);
        const created = await createUpload(
          deps,
          await request.actor(),
          { uploadLength: header(request, 'upload-length'), uploadDeferLength: header(request, 'upload-defer-length'), uploadMetadata: header(request, 'upload-metadata') },
          meta(request),
        );
        return withPosition(reply.code(201).header('location', `/api/uploads/${created.id}`), created).send(null);
      },
    );

    // Declared before the GET: Fastify would otherwise make this HEAD from the GET's handler.
    r.head(
      '/api/uploads/:id',
      {
        // The tus HEAD is part of the protocol: listed in the OpenAPI document (other HEADs are not).
        config: { swagger: { exposeHeadRoute: true } },
        schema: {
          tags: ['files'],
          summary: 'tus: where an upload stands (Upload-Offset, Upload-Length, Upload-Expires); only its creator, 404 for anyone else',
          security: [{ session: [] }],
          params: uploadParams,
          headers: z.object(tusHeaders).loose(),
          response: { 200: z.null(), 401: problem, 404: problem, 412: problem },
        },
      },
      async (request, reply) => {
        requireTus(request);
        const at = await uploadPosition(deps, await request.actor(), request.params.id);
        return withPosition(reply.header('upload-length', String(at.length)), at).send(null);
      },
    );

    r.get(
      '/api/uploads/:id',
      {
        schema: {
          tags: ['files'],
          summary: 'An upload’s status as JSON (not tus): uploading, complete or quarantined (with the signature), and the file once created',
          security: [{ session: [] }],
          params: uploadParams,
          response: {
            200: z.object({
              status: z.enum(['uploading', 'complete', 'quarantined']),
              offset: z.number().int(),
              length: z.number().int(),
              file: fileItemSchema.nullable(),
              signature: z.string().optional(),
            }),
            401: problem,
            404: problem,
          },
        },
      },
      async (request) => uploadStatus(deps, await request.actor(), request.params.id),
    );

    r.patch(
      '/api/uploads/:id',
      {
        config: { rateLimit: PATCHES },
        schema: {
          tags: ['files'],
          summary:
            'tus: bytes from Upload-Offset (Content-Type application/offset+octet-stream, else 415; offset mismatch 409; beyond Upload-Length 413). The last one finishes the upload (type from the bytes, malware scan: 503 scanner_unavailable) before the answer: 204 with the new Upload-Offset',
          security: [{ session: [], csrf: [] }],
          params: uploadParams,
          headers: z.object({ ...tusHeaders, 'upload-offset': z.string().optional().describe('Where these bytes start') }).loose(),
          response: { 204: z.null(), 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 412: problem, 413: problem, 415: problem, 429: problem, 503: problem },
        },
      },
      async (request, reply) => {
        requireTus(request);
        const at = await appendToUpload(
          deps,
          await request.actor(),
          request.params.id,
          {
            contentType: header(request, 'content-type'),
            uploadOffset: header(request, 'upload-offset'),
            contentLength: header(request, 'content-length'),
            body: (request.body as Readable | undefined) ?? null,
          },
          meta(request),
        );
        return withPosition(reply.code(204), at).send(null);
      },
    );

    r.delete(
      '/api/uploads/:id',
      {
        schema: {
          tags: ['files'],
          summary: 'tus termination: the upload and its stored parts go, its quota reservation is released',
          security: [{ session: [], csrf: [] }],
          params: uploadParams,
          headers: z.object(tusHeaders).loose(),
          response: { 204: z.null(), 401: problem, 404: problem, 412: problem },
        },
      },
      async (request, reply) => {
        requireTus(request);
        await terminateUpload(deps, await request.actor(), request.params.id);
        return reply.code(204).send(null);
      },
    );
  });
}
