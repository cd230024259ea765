import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import { notFound } from '../platform/errors.ts';
import type { EventBus } from '../platform/events/index.ts';
import { csrfTokenFor } from '../platform/http/csrf.ts';
import { authorize } from './authorization.ts';
import { ASSURANCE_LEVELS, type AssuranceLevel } from './federation/upstream.ts';
import { clearSessionCookie, clientIp } from './http-session.ts';
import { TOKEN_SCOPES } from './identity.tables.ts';
import { getMyProfile, updateMyPreferences } from './me.ts';
import { tokensRevoked } from './token-cache.ts';
import { createToken, listTokens, revokeToken } from './tokens.ts';
import { listOrganisations } from './organisations.ts';
import type { SessionService } from './sessions.ts';

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const myProfile = z.object({
  principalId: z.uuid(),
  jurisdiction: z.enum(['FR', 'QC']),
  givenName: z.string(),
  familyName: z.string(),
  email: z.string(),
  preferredLanguage: z.enum(['fr-FR', 'fr-CA', 'en']),
  organisations: z.array(z.object({ id: z.uuid(), name: z.string(), jurisdiction: z.enum(['FR', 'QC']), roles: z.array(z.string()) })),
  platformRoles: z.array(z.string()),
});
/** An organisation as the API shows it (public information). */
export const organisationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  jurisdiction: z.enum(['FR', 'QC']),
  siret: z.string().nullable(),
  neq: z.string().nullable(),
  emailDomains: z.array(z.string()),
  demo: z.boolean(),
  /** False for an organisation first seen at a sign-in, until an operator confirms it. */
  confirmed: z.boolean(),
});

/** HTTP routes of the identity module (sign-in itself arrives with the identity issue). */
export function identityRoutes(
  app: FastifyInstance,
  deps: { config: Config; stores: Stores; sessions: SessionService; secret: Buffer; audit: AuditLog; events: EventBus },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'The signed-in agent: profile (from the home cell) and organisations',
        security: [{ session: [] }],
        response: { 200: myProfile, 401: problem },
      },
    },
    async (request) => getMyProfile(deps.stores, await request.actor()),
  );

  r.patch(
    '/api/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Change the agent’s own preferences',
        security: [{ session: [], csrf: [] }],
        body: z.object({ preferredLanguage: z.enum(['fr-FR', 'fr-CA', 'en']) }).strict(),
        response: { 200: myProfile, 400: problem, 401: problem, 403: problem },
      },
    },
    async (request) =>
      updateMyPreferences(deps.stores, deps.audit, deps.events, await request.actor(), request.body, {
        ip: clientIp(request),
        requestId: request.id,
      }),
  );

  r.get(
    '/api/session',
    {
      schema: {
        tags: ['identity'],
        summary: 'The current session and the CSRF token to send as x-csrf-token on changes',
        security: [{ session: [] }],
        response: {
          200: z.object({
            id: z.uuid(),
            csrfToken: z.string(),
            createdAt: z.iso.datetime(),
            // How this session was vouched for, for the profile page (null: not through a federation).
            assuranceLevel: z.enum(ASSURANCE_LEVELS).nullable(),
            upstream: z.string().nullable(),
          }),
          401: problem,
        },
      },
    },
    async (request) => {
      authorize(await request.actor(), 'sessions.manage_own');
      const session = request.session as NonNullable<typeof request.session>;
      return {
        id: session.id,
        csrfToken: csrfTokenFor(deps.secret, session.id),
        createdAt: session.createdAt.toISOString(),
        assuranceLevel: session.assuranceLevel as AssuranceLevel | null,
        upstream: session.upstream,
      };
    },
  );

  r.get(
    '/api/me/sessions',
    {
      schema: {
        tags: ['identity'],
        summary: 'The agent’s active sessions',
        security: [{ session: [] }],
        response: {
          200: z.object({
            sessions: z.array(
              z.object({
                id: z.uuid(),
                current: z.boolean(),
                createdAt: z.iso.datetime(),
                lastSeenAt: z.iso.datetime(),
                expiresAt: z.iso.datetime(),
                ip: z.string().nullable(),
                userAgent: z.string().nullable(),
                authMethod: z.string().nullable(),
              }),
            ),
          }),
          401: problem,
        },
      },
    },
    async (request) => {
      const actor = authorize(await request.actor(), 'sessions.manage_own');
      const sessions = await deps.sessions.list(actor.principalId, actor.homeJurisdiction);
      return {
        sessions: sessions.map((s) => ({
          ...s,
          current: s.id === actor.sessionId,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
        })),
      };
    },
  );

  r.delete(
    '/api/me/sessions/:sessionId',
    {
      schema: {
        tags: ['identity'],
        summary: 'End one of the agent’s sessions (the current one signs out)',
        security: [{ session: [], csrf: [] }],
        params: z.object({ sessionId: z.uuid() }).strict(),
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      const actor = authorize(await request.actor(), 'sessions.manage_own');
      const ended = await deps.sessions.end({
        sessionId: request.params.sessionId,
        principalId: actor.principalId,
        reason: request.params.sessionId === actor.sessionId ? 'signed_out' : 'ended_by_agent',
        actorId: actor.principalId,
        ip: clientIp(request),
        jurisdiction: actor.homeJurisdiction,
      });
      // Someone else's session id answers exactly like an unknown one.
      if (!ended) throw notFound();
      if (request.params.sessionId === actor.sessionId) clearSessionCookie(reply, deps.config);
      return reply.code(204).send(null);
    },
  );

  const tokenView = z.object({
    id: z.uuid(),
    label: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(TOKEN_SCOPES)),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  });

  r.get(
    '/api/me/tokens',
    {
      schema: {
        tags: ['identity'],
        summary: 'The agent’s personal access tokens and API keys (never the secrets)',
        security: [{ session: [] }],
        response: { 200: z.object({ tokens: z.array(tokenView) }), 401: problem, 403: problem },
      },
    },
    async (request) => ({ tokens: await listTokens(deps.stores, await request.actor()) }),
  );

  r.post(
    '/api/me/tokens',
    {
      schema: {
        tags: ['identity'],
        summary: 'Create a personal access token or API key; the token is in this answer only',
        security: [{ session: [], csrf: [] }],
        body: z
          .object({
            label: z.string().trim().min(1).max(100),
            scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length),
            expiresInDays: z.number().int().min(1).max(365),
          })
          .strict(),
        response: { 201: tokenView.extend({ token: z.string() }), 400: problem, 401: problem, 403: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const created = await createToken(deps.stores, deps.audit, await request.actor(), request.body, {
        ip: clientIp(request),
        requestId: request.id,
      });
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  r.delete(
    '/api/me/tokens/:tokenId',
    {
      schema: {
        tags: ['identity'],
        summary: 'Revoke a token',
        security: [{ session: [], csrf: [] }],
        params: z.object({ tokenId: z.uuid() }).strict(),
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      await revokeToken(deps.stores, deps.audit, await request.actor(), request.params.tokenId, {
        ip: clientIp(request),
        requestId: request.id,
      });
      await tokensRevoked(deps.events, { tokenIds: [request.params.tokenId] }); // AI gateway keys cached per node (token-cache.ts)
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/organisations',
    {
      schema: {
        tags: ['identity'],
        summary: 'Organisations of both states (public information)',
        response: { 200: z.object({ organisations: z.array(organisationSchema) }) },
      },
    },
    async () => ({
      organisations: (await listOrganisations(deps.stores)).map((o) => ({
        id: o.id,
        name: o.name,
        jurisdiction: o.jurisdiction,
        siret: o.siret,
        neq: o.neq,
        emailDomains: o.email_domains,
        demo: o.demo,
        confirmed: o.confirmed,
      })),
    }),
  );
}
