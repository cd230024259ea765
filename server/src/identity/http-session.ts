import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Stores } from '../platform/db/stores.ts';
import { checkCsrf } from '../platform/http/csrf.ts';
import { sessionCookieName } from '../platform/http/openapi.ts';
import { type Actor, actorFromSession } from './actor.ts';
import type { ResolvedSession, SessionService } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session of the cookie, when it is live; null when absent, unknown or expired. */
    session: ResolvedSession | null;
    /** The signed-in actor (loaded once per request, on first use), or null. */
    actor(): Promise<Actor | null>;
  }
}

/**
 * Resolves the session cookie on every request, rotates it when due, and enforces CSRF on
 * cookie-authenticated mutations. Authorisation itself is the use cases' (authorize()).
 */
export function registerSessionResolution(
  app: FastifyInstance,
  deps: { config: Config; stores: Stores; sessions: SessionService; secret: Buffer },
): void {
  const cookieName = sessionCookieName(deps.config);
  app.decorateRequest('session', null);
  app.decorateRequest('actor', async () => null);
  app.addHook('onRequest', async (request, reply) => {
    // The demo identity providers share Entente's origin but are other sites in the protocol's
    // eyes: Entente's session (and its CSRF rule) does not apply to their forms, which
    // oidc-provider protects with its own interaction cookies.
    if (request.url.startsWith('/demo/idp/')) return;
    const token = request.cookies[cookieName];
    const session = token ? await deps.sessions.resolve(token) : null;
    request.session = session;
    if (token && !session) clearSessionCookie(reply, deps.config);
    if (session?.newToken) setSessionCookie(reply, deps.config, session.newToken, deps.config.session.absoluteMs);
    const actor = session ? actorFromSession(session) : null;
    request.actor = async () => actor;
    checkCsrf(request, { secret: deps.secret, publicOrigin: deps.config.publicUrl.origin, sessionId: session?.id ?? null });
  });
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string, maxAgeMs: number): void {
  reply.setCookie(sessionCookieName(config), token, {
    httpOnly: true,
    secure: config.production || config.publicUrl.protocol === 'https:',
    sameSite: 'lax',
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(sessionCookieName(config), {
    httpOnly: true,
    secure: config.production || config.publicUrl.protocol === 'https:',
    sameSite: 'lax',
    path: '/',
  });
}

/** Client address for audit records; logs never carry it. */
export function clientIp(request: FastifyRequest): string | null {
  return request.ip || null;
}
