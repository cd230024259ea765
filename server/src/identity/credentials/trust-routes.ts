import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { clientIp } from '../http-session.ts';
import { addTrustedIssuer, listTrustedIssuers, removeTrustedIssuer, type TrustDeps } from './trust.ts';

/**
 * The trust list for operators (issue 9): `GET/POST/DELETE /api/admin/trust/issuers`, with a
 * browser session only (trust.ts authorises). The same use cases as `entente trust`.
 */
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 429: problem, 502: problem };
const jurisdiction = z.enum(['FR', 'QC']);
export const trustedIssuerSchema = z.object({
  issuer: z.string(),
  jurisdiction,
  name: z.string(),
  source: z.enum(['local', 'metadata', 'pinned']),
  metadataUrl: z.string().nullable(),
  keys: z.array(z.object({ kid: z.string().nullable(), kty: z.string(), crv: z.string().nullable() })),
  keysFetchedAt: z.iso.datetime().nullable(),
  addedBy: z.string().nullable(),
  addedAt: z.iso.datetime().nullable(),
});
const jwk = z.record(z.string(), z.unknown());
const addBody = z
  .object({
    issuer: z.string().min(1).max(500),
    jurisdiction,
    name: z.string().min(1).max(200),
    /** Empty string: the issuer's well-known metadata URL. */
    metadataUrl: z.string().max(1000).optional(),
    jwks: z.object({ keys: z.array(jwk).min(1).max(20) }).loose().optional(),
  })
  .strict()
  .refine((b) => (b.metadataUrl === undefined) !== (b.jwks === undefined), { message: 'give either metadataUrl or jwks', path: ['metadataUrl'] });

export function trustRoutes(app: FastifyInstance, deps: TrustDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const tags = ['credentials'];

  r.get(
    '/api/admin/trust/issuers',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: { tags, summary: 'The issuers the verifier trusts (operators)', security: [{ session: [] }], response: { 200: z.object({ issuers: z.array(trustedIssuerSchema) }), ...errors } },
    },
    async (request, reply) => reply.header('cache-control', 'no-store').send({ issuers: await listTrustedIssuers(deps, { kind: 'api', actor: await request.actor() }) }),
  );
  r.post(
    '/api/admin/trust/issuers',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags,
        summary: 'Trust an issuer, by its metadata URL (keys fetched) or by pinned keys (operators; audited)',
        description: '502 `trust_metadata_unavailable` when the metadata cannot be fetched; 400 `trust_jwks_invalid` when it holds no usable public key; 409 `trust_issuer_exists`.',
        security: [{ session: [], csrf: [] }],
        body: addBody,
        response: { 201: trustedIssuerSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await addTrustedIssuer(deps, { kind: 'api', actor: await request.actor() }, request.body, meta(request))),
  );
  r.delete(
    '/api/admin/trust/issuers',
    {
      config: { rateLimit: LIMITS.adminChanges },
      schema: {
        tags,
        summary: 'Stop trusting an issuer (operators; audited); Entente’s own issuers cannot be removed',
        security: [{ session: [], csrf: [] }],
        querystring: z.object({ issuer: z.string().min(1).max(500) }).strict(),
        response: { 200: trustedIssuerSchema, ...errors },
      },
    },
    async (request) => removeTrustedIssuer(deps, { kind: 'api', actor: await request.actor() }, request.query.issuer, meta(request)),
  );
}
