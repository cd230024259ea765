import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listTrustedIssuers } from './trust.ts';
import { createVerifierRequest, MAX_PRESENTATION_BYTES, presentToVerifier, type VerifierDeps } from './verifier.ts';

/**
 * The public verifier API (issue 9): no sign-in, rate-limited per address, small bodies.
 * `POST /api/verifier/requests` → a request with its nonce; `POST …/:id/presentations` → the
 * verdict (200 whether accepted or refused: the refusal is the answer, with its reason).
 */
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const errors = { 400: problem, 404: problem, 409: problem, 413: problem, 429: problem };
/** A person scanning credentials at a counter makes a few a minute; a script, many more. */
const REQUESTS = { max: 60, timeWindow: 60_000 };
const PRESENTATIONS = { max: 60, timeWindow: 60_000 };

const requestSchema = z.object({ id: z.uuid(), nonce: z.string(), audience: z.string(), expiresAt: z.iso.datetime(), request: z.string() });
const viewSchema = z.object({
  ok: z.boolean(),
  reason: z.string().nullable(),
  explanation: z.string(),
  issuer: z.object({ url: z.string(), jurisdiction: z.enum(['FR', 'QC']).nullable(), name: z.string(), trusted: z.boolean() }).nullable(),
  vct: z.string().nullable(),
  type: z.enum(['public-agent', 'digital-skills']).nullable(),
  disclosed: z.record(z.string(), z.unknown()),
  disclosedPaths: z.array(z.string()),
  checkedAt: z.iso.datetime(),
  status: z.enum(['valid', 'no_status', 'not_checked']).nullable(),
});
/** Printable, no control characters: it goes into a QR code and a signed JWT. */
const audience = z.string().min(1).max(500).regex(/^[\x21-\x7e]+$/);

export function verifierRoutes(app: FastifyInstance, deps: VerifierDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['credentials'];
  const locale = (request: FastifyRequest) => request.locale;

  r.get(
    '/api/credentials/issuers',
    {
      config: { rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'The trust list as the verifier uses it: which issuers (of which state) it believes',
        security: [],
        response: { 200: z.object({ issuers: z.array(z.object({ url: z.string(), jurisdiction: z.enum(['FR', 'QC']), name: z.string(), trusted: z.literal(true) })) }), 429: problem },
      },
    },
    async (_request, reply) => {
      const issuers = await listTrustedIssuers(deps, null);
      return reply
        .header('cache-control', 'public, max-age=60')
        .send({ issuers: issuers.map((i) => ({ url: i.issuer, jurisdiction: i.jurisdiction, name: i.name, trusted: true as const })) });
    },
  );
  r.post(
    '/api/verifier/requests',
    {
      config: { rateLimit: REQUESTS },
      bodyLimit: 4096,
      schema: {
        tags,
        summary: 'Ask for a verification: a single-use nonce valid 10 minutes, for the holder’s key-binding JWT',
        description: '`audience` defaults to ENTENTE_PUBLIC_URL + `/verifier`. The explanations of the verdict are in this request’s language.',
        security: [],
        body: z.object({ audience: audience.optional() }).strict().optional(),
        response: { 200: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send(await createVerifierRequest(deps, { audience: request.body?.audience, language: locale(request) })),
  );
  r.post(
    '/api/verifier/requests/:id/presentations',
    {
      config: { rateLimit: PRESENTATIONS },
      bodyLimit: MAX_PRESENTATION_BYTES,
      schema: {
        tags,
        summary: 'Verify a presentation (SD-JWT VC with key binding) for this request',
        description:
          'Checks the issuer against the trust list, the signature, the disclosures, the dates, the key binding (nonce, audience, freshness) and the revocation status. 200 with `ok: false` and a stable `reason` when refused; 409 `verifier_request_used` when the request already served, `verifier_request_expired` after 10 minutes.',
        security: [],
        params: z.object({ id: z.uuid() }).strict(),
        body: z.object({ presentation: z.string().min(1).max(MAX_PRESENTATION_BYTES) }).strict(),
        response: { 200: viewSchema, ...errors },
      },
    },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await presentToVerifier(deps, request.params.id, request.body.presentation, { requestId: request.id })),
  );
}
