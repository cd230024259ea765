import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import { notFound } from '../../platform/errors.ts';
import { clientIp } from '../http-session.ts';
import { CREDENTIAL_TYPES } from './credentials.tables.ts';
import { createNonce, type CredentialsDeps, issueCredential, listCredentials, revokeForOrganisation, revokeOwnCredential } from './issuance.ts';
import { typeMetadata } from './type-metadata.ts';
import { createOffer, OFFER_TTL_S, PRE_AUTHORIZED_GRANT } from './wallet.ts';

/**
 * HTTP of the credential issuers (README.md here): the holder's API under `/api/credentials`, the
 * organisation's revocation, and the public documents verifiers read (issuer metadata with its
 * JWKS, type metadata, status list tokens). Thin: parse, call the use case, present.
 */
const perAgent = (name: string) => async (request: FastifyRequest) => {
  const actor = await request.actor();
  return actor ? `${name}:${actor.principalId}` : `${name}-ip:${request.ip}`;
};
const WRITES = { max: 30, timeWindow: 60_000, keyGenerator: perAgent('credentials-write') };
const READS = { max: 300, timeWindow: 60_000, keyGenerator: perAgent('credentials-read') };
const PUBLIC = { max: 600, timeWindow: 60_000 };

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 429: problem };
const type = z.enum(CREDENTIAL_TYPES);
const summary = z.object({
  id: z.string(),
  type,
  jurisdiction: z.enum(JURISDICTIONS),
  issuedAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(['valid', 'revoked', 'expired']),
  revokedAt: z.string().nullable(),
  revokedBy: z.enum(['holder', 'organisation', 'left_organisation']).nullable(),
});
const issued = summary.extend({ credential: z.string(), claims: z.record(z.string(), z.unknown()), disclosable: z.array(z.string()) });

export function credentialsRoutes(app: FastifyInstance, deps: CredentialsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const session = { security: [{ session: [] }] as Record<string, string[]>[] };
  const change = { security: [{ session: [], csrf: [] }] as Record<string, string[]>[] };
  const tags = ['credentials'];

  r.post(
    '/api/credentials/nonce',
    { config: { rateLimit: WRITES }, schema: { tags, ...change, summary: 'A single-use nonce (5 minutes) for the holder’s proof of possession', response: { 200: z.object({ c_nonce: z.string(), expiresIn: z.number() }), ...errors } } },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await createNonce(deps, await request.actor())),
  );
  r.post(
    '/api/credentials',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Issue an SD-JWT VC to the signed-in agent, bound to the key of the proof',
        description:
          '`proof`: a JWT `{ alg: ES256, typ: openid4vci-proof+jwt, jwk }` / `{ aud: <issuer of the agent’s jurisdiction>, nonce: c_nonce, iat }`. Refusals: 400 `credential_proof_missing`, `credential_proof_malformed`, `credential_proof_alg`, `credential_proof_typ`, `credential_proof_key`, `credential_proof_private_key`, `credential_proof_signature`, `credential_proof_audience`, `credential_proof_stale`, `credential_proof_nonce_invalid|used|expired`; 403 `credential_no_organisation`; 409 `assessment_not_completed`. The server keeps no copy of the credential.',
        body: z
          .object({
            type,
            assessmentId: z.uuid().optional(),
            organisationId: z.uuid().optional(),
            proof: z.string().max(8_192).optional(),
          })
          .strict(),
        response: { 201: issued, ...errors },
      },
    },
    async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await issueCredential(deps, await request.actor(), meta(request), request.body)),
  );
  r.post(
    '/api/credentials/offers',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'Offer a credential to an external wallet (OpenID4VCI pre-authorised code flow, 10 minutes, single use)',
        description: `The credential offer (\`offer\`, and as \`offerUri\` for a QR code or a link) carries a ${PRE_AUTHORIZED_GRANT} grant; the wallet needs \`txCode\` (6 digits, shown to the agent, never in the offer) at the issuer's token endpoint. The claims are checked now: 403 \`credential_no_organisation\`, \`credential_organisation_unconfirmed\`; 409 \`assessment_not_completed\`. A browser session only (an API token gets 403). The offer dies when the session ends, after ${OFFER_TTL_S / 60} minutes, once redeemed, or after 5 wrong codes.`,
        body: z.object({ type, assessmentId: z.uuid().optional(), organisationId: z.uuid().optional() }).strict(),
        response: {
          201: z.object({
            offer: z.object({ credential_issuer: z.string(), credential_configuration_ids: z.array(type), grants: z.record(z.string(), z.unknown()) }),
            offerUri: z.string(),
            txCode: z.string(),
            expiresIn: z.number(),
            expiresAt: z.string(),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await createOffer(deps, await request.actor(), meta(request), request.body)),
  );
  r.get(
    '/api/credentials',
    { config: { rateLimit: READS }, schema: { tags, ...session, summary: 'The agent’s credentials (metadata only: the holder keeps the credentials)', response: { 200: z.object({ credentials: z.array(summary) }), ...errors } } },
    async (request, reply) => reply.header('cache-control', 'no-store').send({ credentials: await listCredentials(deps, await request.actor()) }),
  );
  r.post(
    '/api/credentials/:id/revoke',
    {
      config: { rateLimit: WRITES },
      schema: { tags, ...change, summary: 'Revoke one of the agent’s own credentials (its status bit flips)', params: z.object({ id: z.uuid() }).strict(), response: { 200: summary, ...errors } },
    },
    async (request, reply) => reply.send(await revokeOwnCredential(deps, await request.actor(), meta(request), request.params.id)),
  );
  r.post(
    '/api/organisations/:id/members/:principalId/credentials/revoke',
    {
      config: { rateLimit: WRITES },
      schema: {
        tags,
        ...change,
        summary: 'An administrator revokes an agent’s credentials naming the organisation',
        params: z.object({ id: z.uuid(), principalId: z.uuid() }).strict(),
        response: { 200: z.object({ revoked: z.number() }), ...errors },
      },
    },
    async (request, reply) => reply.send(await revokeForOrganisation(deps, await request.actor(), meta(request), request.params.id, request.params.principalId)),
  );

  // ── public documents, for any verifier ──
  const jurisdictionParam = z.object({ issuer: z.enum(['fr', 'qc']) }).strict();
  r.get(
    '/.well-known/jwt-vc-issuer/issuers/:issuer',
    {
      config: { rateLimit: PUBLIC },
      schema: { tags, summary: 'JWT VC issuer metadata: the issuer and its public keys (current and previous generations)', params: jurisdictionParam, response: { 200: z.object({ issuer: z.string(), jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) }), ...errors } },
    },
    async (request, reply) => {
      const jurisdiction = request.params.issuer.toUpperCase() as Jurisdiction;
      const keys = await deps.issuers.publicJwks(jurisdiction);
      return reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send({ issuer: deps.issuers.url(jurisdiction), jwks: { keys } });
    },
  );
  r.get(
    '/credentials/types/:type',
    { config: { rateLimit: PUBLIC }, schema: { tags, summary: 'SD-JWT VC type metadata (vct)', params: z.object({ type }).strict(), response: { 200: z.record(z.string(), z.unknown()), ...errors } } },
    async (request, reply) =>
      reply.header('cache-control', 'public, max-age=3600').header('access-control-allow-origin', '*').send(typeMetadata(deps.publicUrl, request.params.type)),
  );
  r.get(
    '/credentials/status/:id',
    {
      config: { rateLimit: PUBLIC },
      schema: { tags, summary: 'A Token Status List (application/statuslist+jwt), signed by its issuer', params: z.object({ id: z.uuid() }).strict(), response: { 200: z.string(), ...errors } },
    },
    async (request, reply) => {
      const found = await deps.statusTokens.token(request.params.id);
      if (!found) throw notFound();
      return reply
        .header('content-type', 'application/statuslist+jwt')
        .header('cache-control', `public, max-age=${Math.max(0, found.maxAge)}`)
        .header('access-control-allow-origin', '*')
        .send(found.token);
    },
  );
}
