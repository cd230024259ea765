import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { AppError } from '../../platform/errors.ts';
import { perAgent } from '../files/deps.ts';
import { findReadableImage, type ImageDeps, openImage, uploadImage } from './images.ts';
import { IMAGE_TYPES } from './images.tables.ts';

/**
 * `POST /api/documents/:documentId/images` (the raw image as the body) and `GET /api/images/:imageId`.
 * Thin: parse, call the use case, present. The body parser is scoped to these routes: it hands
 * the raw request stream to the use case, which reads only as far as it must (the global body
 * limit of JSON routes stays as it is).
 */

/** Per agent (many agents may share an address behind a gateway): a pasted batch passes, a loop does not. */
const UPLOADS = { max: 60, timeWindow: 60_000, keyGenerator: perAgent('image-upload') };
/** A document with many images opened in several tabs, reloaded: generous. */
const READS = { max: 1200, timeWindow: 60_000, keyGenerator: perAgent('image-read') };

/** Browsers cache an image briefly; access is re-checked at each revalidation (ETag). */
const CACHE_CONTROL = 'private, max-age=600';
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const imageSchema = z.object({ id: z.uuid(), url: z.string(), contentType: z.enum(IMAGE_TYPES), size: z.number().int() });

export function imageRoutes(app: FastifyInstance, deps: ImageDeps): void {
  app.register(async (scope) => {
    // The body is the image itself, whatever its declared type: the use case decides on it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.setErrorHandler(async (error) => {
      // A Content-Type header that does not parse: say what this route accepts (the parent
      // handler answers everything else).
      if ((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw new AppError('image_type_unsupported');
      throw error;
    });
    // A refused upload is answered before its body is read: close the connection rather than
    // let the server read (and drop) up to gigabytes the client may still be sending.
    scope.addHook('onSend', async (request, reply) => {
      if (request.method === 'POST' && !request.raw.complete) reply.header('connection', 'close');
    });

    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/documents/:documentId/images',
      {
        config: { rateLimit: UPLOADS },
        schema: {
          tags: ['workspace'],
          summary: 'Upload an image into a document (its editors and owners; not in the trash): the raw PNG, JPEG, GIF or WebP as the body, 10 MiB at most',
          security: [{ session: [], csrf: [] }],
          params: z.object({ documentId: z.uuid() }).strict(),
          response: { 201: imageSchema, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 413: problem, 415: problem, 429: problem },
        },
      },
      async (request, reply) => {
        const length = request.headers['content-length'];
        const image = await uploadImage(
          deps,
          await request.actor(),
          request.params.documentId,
          {
            declaredType: request.headers['content-type'],
            declaredLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
            body: (request.body as Readable | undefined) ?? null,
          },
          { ip: clientIp(request), requestId: request.id },
        );
        return reply.code(201).header('location', image.url).send(image);
      },
    );

    r.get(
      '/api/images/:imageId',
      {
        config: { rateLimit: READS },
        schema: {
          tags: ['workspace'],
          summary: 'An image of a document (whoever reaches the document; 404 for anyone else)',
          security: [{ session: [] }],
          params: z.object({ imageId: z.uuid() }).strict(),
          response: { 401: problem, 403: problem, 404: problem, 429: problem },
        },
      },
      async (request, typedReply) => {
        // The body is the image's bytes (a stream), not a JSON answer the schema would describe.
        const reply = typedReply as FastifyReply;
        const readable = await findReadableImage(deps.stores, await request.actor(), request.params.imageId);
        const { image } = readable;
        const etag = `"${image.sha256}"`;
        reply
          .header('etag', etag)
          .header('cache-control', CACHE_CONTROL)
          .header('x-content-type-options', 'nosniff')
          // Opened on its own, the image is not a page: no script, style, frame or anything else.
          .header('content-security-policy', "default-src 'none'")
          .header('cross-origin-resource-policy', 'same-origin')
          .header('vary', 'cookie');
        if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
        const opened = await openImage(deps, readable);
        // Only the four raster types are ever recorded (the table checks it); anything else
        // would be downloaded, never rendered.
        const extension = EXTENSIONS[image.content_type];
        return reply
          .header('content-type', extension ? image.content_type : 'application/octet-stream')
          .header('content-disposition', extension ? `inline; filename="${image.id}.${extension}"` : 'attachment')
          .header('content-length', String(opened.size))
          .send(opened.body);
      },
    );
  });
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === etag;
  });
}
