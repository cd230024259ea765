import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { ControlDb } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import { clientIp } from '../http-session.ts';
import { listClients, registerClient, registerClientInput, removeClient } from './clients.ts';
import { logoutClientSessions } from './client-logout.ts';
import { getInteraction, giveConsent, listMyGrants, refuseConsent, revokeGrants, withdrawConsent } from './consent.ts';
import { grantAccountIds } from './models.repo.ts';
import type { OidcProvider } from './oidc.ts';
import type { Sealer } from './sealed.ts';

const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }).loose();
const name = z.object({ 'fr-FR': z.string(), en: z.string() });
const client = z.object({
  clientId: z.string(),
  name,
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  backchannelLogoutUri: z.string().nullable(),
  sector: z.string(),
  tokenEndpointAuthMethod: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
});
const uid = z.object({ uid: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) }).strict();
const redirect = z.object({ redirectTo: z.string() });

/** The provider's API: the consent page's, the agent's consents, the operators' clients. */
export function providerRoutes(
  app: FastifyInstance,
  deps: {
    config: Config;
    db: ControlDb;
    audit: AuditLog;
    logger: Pick<Logger, 'warn'>;
    sealer: Sealer;
    provider: () => OidcProvider;
    onClientRemoved: (clientId: string) => Promise<void>;
  },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const logoutDeps = { db: deps.db, provider: deps.provider, logger: deps.logger };
  const consentDeps = {
    db: deps.db,
    audit: deps.audit,
    provider: deps.provider,
    logoutClient: (clientId: string, principalId: string) => logoutClientSessions(logoutDeps, clientId, principalId),
  };
  const clientDeps = { db: deps.db, audit: deps.audit, sealer: deps.sealer, allowHttp: !deps.config.production };
  const revokeAll = async (clientId: string) => {
    await logoutClientSessions(logoutDeps, clientId);
    for (const principalId of await grantAccountIds(deps.db, clientId)) await revokeGrants(deps.db, principalId, clientId);
  };

  r.get(
    '/api/oidc/interactions/:uid',
    {
      schema: {
        tags: ['oidc'],
        summary: 'A pending authorization for the consent page: which service, exactly which claims',
        security: [{ session: [] }],
        params: uid,
        response: {
          200: z.object({ uid: z.string(), client: z.object({ id: z.string(), name }), claims: z.array(z.string()), scopes: z.array(z.string()), offlineAccess: z.boolean() }),
          401: problem,
          404: problem,
        },
      },
    },
    async (request) => getInteraction(consentDeps, await request.actor(), request.params.uid),
  );

  r.post(
    '/api/oidc/interactions/:uid/consent',
    {
      schema: {
        tags: ['oidc'],
        summary: 'Consent to the pending authorization (remembered for this service)',
        security: [{ session: [], csrf: [] }],
        params: uid,
        response: { 200: redirect, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => giveConsent(consentDeps, await request.actor(), request.params.uid, { ip: clientIp(request), requestId: request.id }),
  );

  r.post(
    '/api/oidc/interactions/:uid/abort',
    {
      schema: {
        tags: ['oidc'],
        summary: 'Refuse the pending authorization (the service gets access_denied)',
        security: [{ session: [], csrf: [] }],
        params: uid,
        response: { 200: redirect, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request) => refuseConsent(consentDeps, await request.actor(), request.params.uid, { ip: clientIp(request), requestId: request.id }),
  );

  r.get(
    '/api/me/oidc/grants',
    {
      schema: {
        tags: ['oidc'],
        summary: 'The services the agent authorised, with what they receive',
        security: [{ session: [] }],
        response: {
          200: z.object({ grants: z.array(z.object({ clientId: z.string(), name, scopes: z.array(z.string()), claims: z.array(z.string()), givenAt: z.string() })) }),
          401: problem,
        },
      },
    },
    async (request) => ({ grants: await listMyGrants(consentDeps, await request.actor()) }),
  );

  r.delete(
    '/api/me/oidc/grants/:clientId',
    {
      schema: {
        tags: ['oidc'],
        summary: 'Withdraw consent from a service: its tokens (refresh included) stop working',
        security: [{ session: [], csrf: [] }],
        params: z.object({ clientId: z.string().min(1).max(100) }).strict(),
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      await withdrawConsent(consentDeps, await request.actor(), request.params.clientId, { ip: clientIp(request), requestId: request.id });
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/admin/oidc/clients',
    {
      schema: {
        tags: ['oidc'],
        summary: 'Services registered as OpenID clients (operators)',
        security: [{ session: [] }],
        response: { 200: z.object({ clients: z.array(client) }), 401: problem, 403: problem },
      },
    },
    async (request) => ({ clients: await listClients(clientDeps, await request.actor()) }),
  );

  r.post(
    '/api/admin/oidc/clients',
    {
      schema: {
        tags: ['oidc'],
        summary: 'Register a service as OpenID client (operators); the secret is shown once',
        security: [{ session: [], csrf: [] }],
        body: registerClientInput,
        response: { 201: client.extend({ clientSecret: z.string() }), 400: problem, 401: problem, 403: problem },
      },
    },
    async (request, reply) => {
      const created = await registerClient(clientDeps, await request.actor(), request.body, { ip: clientIp(request), requestId: request.id });
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  r.delete(
    '/api/admin/oidc/clients/:clientId',
    {
      schema: {
        tags: ['oidc'],
        summary: 'Remove an OpenID client (operators): its consents, grants and tokens go with it',
        security: [{ session: [], csrf: [] }],
        params: z.object({ clientId: z.string().min(1).max(100) }).strict(),
        response: { 204: z.null(), 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      await removeClient({ db: deps.db, audit: deps.audit, revokeAll }, await request.actor(), request.params.clientId, { ip: clientIp(request), requestId: request.id });
      await deps.onClientRemoved(request.params.clientId);
      return reply.code(204).send(null);
    },
  );
}
