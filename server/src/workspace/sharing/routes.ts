import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientIp } from '../../identity/http-session.ts';
import { AppError } from '../../platform/errors.ts';
import { perAgent } from '../files/deps.ts';
import { problem } from '../spaces/routes.ts';
import { SPACE_ROLES } from '../workspace.tables.ts';
import { PUBLIC_PAGE_CSP, renderGonePage } from './public-page.ts';
import { publicViews } from './public-links.ts';
import { createShareLink, listDocumentShareLinks, redeemShareLink, revokeShareLink, type SharingDeps } from './share-links.ts';
import { SHARE_LINK_REACHES, SHARE_LINK_ROLES } from './sharing.tables.ts';

/**
 * Share links: the REST API (`/api/documents/:id/share-links`, `/api/share-links/…`, with a
 * session or a personal access token) and the public pages (`/p/<token>`, server-rendered, no
 * script). Thin: parse, call the use case, present.
 */
const shareLinkSchema = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  role: z.enum(SHARE_LINK_ROLES),
  reach: z.enum(SHARE_LINK_REACHES),
  organisationId: z.uuid().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  allowIndexing: z.boolean(),
  createdAt: z.iso.datetime(),
  createdBy: z.uuid(),
  revokedAt: z.iso.datetime().nullable(),
  state: z.enum(['active', 'expired', 'revoked']),
  url: z.string().nullable(),
});

/** Guessing tokens is hopeless (256 bits); these limits keep trying from costing anything. */
const REDEEM = { max: 60, timeWindow: 60_000, keyGenerator: perAgent('share-redeem') };
const CHANGES = { max: 120, timeWindow: 60_000, keyGenerator: perAgent('share-links') };
const PUBLIC = { max: 300, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => `share-public:${request.ip}` };
const TOKEN = z.string().min(1).max(200);

export function sharingRoutes(app: FastifyInstance, deps: SharingDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const documentParams = z.object({ documentId: z.uuid() }).strict();
  const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 423: problem, 429: problem };
  const views = publicViews(deps);
  // Views counted but not yet recorded are recorded before the databases close.
  app.addHook('onClose', async () => {
    views.stop();
    await views.flush();
  });

  r.get(
    '/api/documents/:documentId/share-links',
    {
      config: { rateLimit: CHANGES },
      schema: {
        tags: ['workspace'],
        summary: 'The share links of a document, with their addresses (its owners and editors)',
        security: [{ session: [] }],
        params: documentParams,
        response: { 200: z.object({ links: z.array(shareLinkSchema) }), ...errors },
      },
    },
    async (request) => ({ links: await listDocumentShareLinks(deps, await request.actor(), request.params.documentId) }),
  );

  r.post(
    '/api/documents/:documentId/share-links',
    {
      config: { rateLimit: CHANGES },
      schema: {
        tags: ['workspace'],
        summary: 'Create a share link (owners and editors, up to their role): members, organisation, any signed-in agent, or public read-only with an expiry',
        security: [{ session: [], csrf: [] }],
        params: documentParams,
        body: z
          .object({
            role: z.enum(SHARE_LINK_ROLES),
            reach: z.enum(SHARE_LINK_REACHES),
            expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
            allowIndexing: z.boolean().optional(),
          })
          .strict(),
        response: { 201: shareLinkSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createShareLink(deps, await request.actor(), request.params.documentId, request.body, meta(request))),
  );

  r.delete(
    '/api/share-links/:linkId',
    {
      config: { rateLimit: CHANGES },
      schema: {
        tags: ['workspace'],
        summary: 'Revoke a share link (the document’s owners and editors): the access it gave ends at once',
        security: [{ session: [], csrf: [] }],
        params: z.object({ linkId: z.uuid() }).strict(),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await revokeShareLink(deps, await request.actor(), request.params.linkId, meta(request));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/share-links/redeem',
    {
      config: { rateLimit: REDEEM },
      schema: {
        tags: ['workspace'],
        summary: 'Open a share link as the signed-in agent: its reach is checked, then the document and the role it gives',
        security: [{ session: [], csrf: [] }],
        body: z.object({ token: TOKEN }).strict(),
        response: {
          200: z.object({
            documentId: z.uuid(),
            spaceId: z.uuid(),
            role: z.enum(SPACE_ROLES),
            reach: z.enum(SHARE_LINK_REACHES),
            member: z.boolean(),
            publicUrl: z.string().nullable(),
          }),
          ...errors,
          410: problem,
        },
      },
    },
    async (request) => redeemShareLink(deps, await request.actor(), request.body.token, meta(request)),
  );

  const sendGone = (reply: FastifyReply, status: 404 | 410) =>
    reply
      .code(status)
      .header('content-security-policy', PUBLIC_PAGE_CSP)
      .header('x-robots-tag', 'noindex, nofollow')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(renderGonePage(status));

  r.get(
    '/p/:token',
    { config: { rateLimit: PUBLIC }, schema: { hide: true, params: z.object({ token: TOKEN }).strict() } },
    async (request, typedReply) => {
      const reply = typedReply as FastifyReply;
      try {
        const page = await views.page(request.params.token, request.locale, meta(request));
        return reply
          .header('content-security-policy', PUBLIC_PAGE_CSP)
          .header('x-robots-tag', page.robots)
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer')
          .type('text/html; charset=utf-8')
          .send(page.html);
      } catch (error) {
        if (!(error instanceof AppError) || (error.status !== 404 && error.status !== 410)) throw error;
        // A link for signed-in agents, opened at the public address: the app's page opens it.
        if (error.status === 404 && (await views.isAppLink(request.params.token))) return reply.redirect(`/partage/${request.params.token}`, 303);
        return sendGone(reply, error.status);
      }
    },
  );

  r.get(
    '/p/:token/images/:imageId',
    { config: { rateLimit: PUBLIC }, schema: { hide: true, params: z.object({ token: TOKEN, imageId: z.string().max(64) }).strict() } },
    async (request, typedReply) => {
      const reply = typedReply as FastifyReply;
      const { image, opened } = await views.image(request.params.token, request.params.imageId, meta(request));
      return reply
        .header('content-type', image.content_type)
        .header('content-length', String(opened.size))
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('cross-origin-resource-policy', 'same-origin')
        .header('x-robots-tag', 'noindex')
        .send(opened.body);
    },
  );
}
