import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { buildEndSessionUrl } from 'openid-client';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { AppError } from '../../platform/errors.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import { authorize } from '../authorization.ts';
import { clearSessionCookie, clientIp, setSessionCookie } from '../http-session.ts';
import { LogoutNotProcessed, LogoutTokenRefused, receiveBackchannelLogout } from './backchannel-logout.ts';
import { findSessionUpstream } from './federation.repo.ts';
import { listLinkedFederations, startLink } from './linking.ts';
import { type FederationDeps, finishSignIn, safeReturnTo, startSignIn } from './sign-in.ts';
import { ASSURANCE_LEVELS } from './upstream.ts';

/**
 * The browser side of federated sign-in. /auth/login and /auth/callback are navigations, not API
 * calls: failures send the agent back to the sign-in page with a stable error code it shows in
 * the agent's language (`/connexion?erreur=<slug>`), never a JSON body in the browser.
 */
export function federationRoutes(app: FastifyInstance, deps: FederationDeps & { config: Config }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const toSignInPage = (error: unknown, extra: Record<string, string> = {}) => {
    const slug = error instanceof AppError ? error.slug : 'sign_in_failed';
    return `/connexion?${new URLSearchParams({ erreur: slug, ...extra }).toString()}`;
  };

  // Read every private_key_jwt key now: a bad key file stops the start, naming the file and the fix.
  const rpKeys = deps.clients.publicJwks(deps.upstreams);
  r.get(
    '/auth/jwks',
    {
      schema: {
        tags: ['identity'],
        summary: 'Public keys Entente signs its client assertions with (private_key_jwt), for the federations',
        response: { 200: z.object({ keys: z.array(z.record(z.string(), z.string())) }) },
      },
    },
    async (_request, reply) => {
      // Short caching: a federation meeting a new kid after a key change refetches anyway.
      reply.header('cache-control', 'public, max-age=300').type('application/jwk-set+json');
      return { keys: rpKeys as unknown as Record<string, string>[] };
    },
  );

  // Back-channel logout from the federations (OpenID Connect Back-Channel Logout 1.0): a
  // server-to-server POST, form-encoded, answered the RFC way (no problem+json). The parser is
  // scoped to this route. No per-address limit as tight as sign-in's: one federation's servers
  // may log out many agents a minute; a forged token costs a signature check at most.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const refuse = (reply: FastifyReply) =>
      reply.code(400).header('cache-control', 'no-store').type('application/json').send({ error: 'invalid_request' });
    // Only a request that is wrong is answered 400 (§2.8: the federation does not retry it). Our
    // own failure (database, federation keys unreachable…) is a 5xx and a rate limit keeps its
    // 429 and Retry-After: the federation may retry those.
    const failed = (reply: FastifyReply) =>
      reply.code(500).header('cache-control', 'no-store').type('application/json').send({ error: 'server_error' });
    const unavailable = (reply: FastifyReply) =>
      reply.code(503).header('cache-control', 'no-store').type('application/json').send({ error: 'temporarily_unavailable' });
    scope.setErrorHandler((error, request, reply) => {
      if (error instanceof AppError && error.status === 429) {
        return reply
          .code(429)
          .headers({ ...error.headers, 'cache-control': 'no-store' })
          .type('application/json')
          .send({ error: 'temporarily_unavailable' });
      }
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) return refuse(reply);
      request.log.error({ err: error }, 'back-channel logout failed');
      return failed(reply);
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/auth/backchannel-logout/:upstream',
      {
        config: { rateLimit: { max: 600, timeWindow: 60_000 } },
        schema: {
          tags: ['identity'],
          summary: 'Back-channel logout from an upstream federation: ends the sessions its logout token designates',
          params: z.object({ upstream: z.string().max(60) }).strict(),
        },
      },
      async (request, reply) => {
        // Form-encoded only (§2.5): a JSON body the app would parse elsewhere is not a logout request.
        const form = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        const body = form ? (request.body as Record<string, unknown> | undefined) : undefined;
        const token = typeof body?.logout_token === 'string' ? body.logout_token : undefined;
        try {
          await receiveBackchannelLogout(deps, request.params.upstream, token, { requestId: request.id });
        } catch (error) {
          if (error instanceof LogoutTokenRefused) return refuse(reply);
          if (error instanceof LogoutNotProcessed) {
            request.log.warn({ reason: error.reason, upstream: request.params.upstream }, 'back-channel logout not processed');
            return unavailable(reply);
          }
          request.log.error({ err: error }, 'back-channel logout failed');
          return failed(reply);
        }
        return reply.code(200).header('cache-control', 'no-store').send();
      },
    );
  });

  r.get(
    '/api/auth/providers',
    {
      schema: {
        tags: ['identity'],
        summary: 'The identity federations agents can sign in with',
        response: {
          200: z.object({
            providers: z.array(
              z.object({ name: z.string(), label: z.record(z.string(), z.string()), jurisdiction: z.enum(['FR', 'QC']), demo: z.boolean() }),
            ),
          }),
        },
      },
    },
    async () => ({
      providers: deps.upstreams.map((u) => ({
        name: u.name,
        label: Object.fromEntries(Object.entries(u.label).filter((e): e is [string, string] => typeof e[1] === 'string')),
        jurisdiction: u.jurisdiction,
        demo: u.demo,
      })),
    }),
  );

  r.get(
    '/auth/login',
    {
      config: { rateLimit: LIMITS.signIn },
      schema: {
        tags: ['identity'],
        summary: 'Start a sign-in: by work email (routed to its federation) or by federation name',
        querystring: z
          .object({
            email: z.string().max(320).optional(),
            upstream: z.string().max(60).optional(),
            returnTo: z.string().max(500).optional(),
            level: z.enum(ASSURANCE_LEVELS).optional(),
            reauth: z.literal('1').optional(),
            // Passed on to the federation (ProConnect: which identity provider to preselect).
            idp_hint: z
              .string()
              .max(200)
              .regex(/^[A-Za-z0-9._:/-]+$/)
              .optional(),
          })
          .strict(),
      },
    },
    async (request, reply) => {
      try {
        const url = await startSignIn(deps, {
          email: request.query.email,
          upstream: request.query.upstream,
          returnTo: request.query.returnTo,
          minLevel: request.query.level,
          reauthenticate: request.query.reauth === '1',
          idpHint: request.query.idp_hint,
          locale: request.locale,
          requestId: request.id,
        });
        return reply.redirect(url.href, 303);
      } catch (error) {
        const domain = error instanceof AppError ? String(error.params.domain ?? '') : '';
        // Back on the sign-in page, the way on to the page asked for is kept (UI review).
        const returnTo = safeReturnTo(request.query.returnTo, deps.publicUrl());
        return reply.redirect(toSignInPage(error, { ...(domain ? { domaine: domain } : {}), ...(returnTo !== '/' ? { retour: returnTo } : {}) }), 303);
      }
    },
  );

  r.get(
    '/auth/callback/:upstream',
    {
      config: { rateLimit: LIMITS.signIn },
      schema: {
        tags: ['identity'],
        summary: 'Where the federation sends the agent back (authorization code)',
        params: z.object({ upstream: z.string().max(60) }).strict(),
      },
    },
    async (request, reply) => {
      try {
        const signedIn = await finishSignIn(deps, request.params.upstream, new URL(request.url, deps.publicUrl()), {
          ip: clientIp(request),
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
          currentSession: request.session ? { id: request.session.id, principalId: request.session.principalId } : null,
        });
        // A second federation linked: the agent keeps the session they linked from.
        if (signedIn.kind === 'linked') return reply.redirect(signedIn.returnTo, 303);
        setSessionCookie(reply, deps.config, signedIn.token, deps.config.session.absoluteMs);
        return reply.redirect(signedIn.returnTo, 303);
      } catch (error) {
        if (!(error instanceof AppError)) request.log.error({ err: error }, 'sign-in callback failed');
        // A cancel or a refusal at the federation keeps the way on to the page the agent asked for.
        const asked = error instanceof AppError && typeof error.params.returnTo === 'string' ? safeReturnTo(error.params.returnTo, deps.publicUrl()) : '/';
        return reply.redirect(toSignInPage(error, asked !== '/' ? { retour: asked } : {}), 303);
      }
    },
  );

  r.get(
    '/auth/link',
    {
      config: { rateLimit: LIMITS.signIn },
      schema: {
        tags: ['identity'],
        summary: 'Link another federation to the signed-in agent: signs in there, then links that identity to this profile',
        security: [{ session: [] }],
        querystring: z.object({ upstream: z.string().max(60), returnTo: z.string().max(500).optional() }).strict(),
      },
    },
    async (request, reply) => {
      try {
        const url = await startLink(deps, await request.actor(), {
          upstream: request.query.upstream,
          returnTo: request.query.returnTo,
          locale: request.locale,
          requestId: request.id,
        });
        return reply.redirect(url.href, 303);
      } catch (error) {
        return reply.redirect(toSignInPage(error), 303);
      }
    },
  );

  r.get(
    '/api/me/federations',
    {
      schema: {
        tags: ['identity'],
        summary: 'The federations the agent can sign in with (linked identities)',
        security: [{ session: [] }],
        response: { 200: z.object({ federations: z.array(z.object({ upstream: z.string(), linkedAt: z.string() })) }) },
      },
    },
    async (request) => {
      const federations = await listLinkedFederations(deps, await request.actor());
      return { federations: federations.map((f) => ({ upstream: f.upstream, linkedAt: f.linkedAt.toISOString() })) };
    },
  );

  r.post(
    '/auth/logout',
    {
      schema: {
        tags: ['identity'],
        summary: 'Sign out: ends the Entente session; answers where to go to end the upstream one',
        security: [{ session: [], csrf: [] }],
        response: { 200: z.object({ redirect: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = authorize(await request.actor(), 'sessions.manage_own');
      const { upstream, idToken } = await findSessionUpstream(
        deps.stores.control.db,
        deps.stores.cells[actor.homeJurisdiction].db,
        actor.sessionId,
      );
      await deps.sessions.end({
        sessionId: actor.sessionId,
        principalId: actor.principalId,
        reason: 'signed_out',
        actorId: actor.principalId,
        ip: clientIp(request),
        jurisdiction: actor.homeJurisdiction,
      });
      clearSessionCookie(reply, deps.config);
      const home = deps.publicUrl().href.replace(/\/$/, '/');
      const config = upstream ? deps.upstreams.find((u) => u.name === upstream) : undefined;
      if (!config || !idToken) return { redirect: '/' };
      try {
        const oidc = await deps.clients.get(config);
        return { redirect: buildEndSessionUrl(oidc, { id_token_hint: idToken, post_logout_redirect_uri: home }).href };
      } catch {
        return { redirect: '/' }; // the upstream has no end_session endpoint or is down: ours is ended
      }
    },
  );
}
