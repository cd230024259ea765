import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Stores } from '../platform/db/stores.ts';
import { checkCsrf } from '../platform/http/csrf.ts';
import { sessionCookieName } from '../platform/http/openapi.ts';
import { AppError, unauthenticated } from '../platform/errors.ts';
import { type Actor, actorFromSession } from './actor.ts';
import type { EventBus } from '../platform/events/index.ts';
import { createTokenCache, forgetRevokedTokens, type TokenCache } from './token-cache.ts';
import { resolveToken, resolveTokens } from './tokens.ts';
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
  deps: { config: Config; stores: Stores; sessions: SessionService; secret: Buffer; events?: EventBus },
): void {
  const cookieName = sessionCookieName(deps.config);
  // AI gateway keys, kept a few seconds and forgotten when revoked (token-cache.ts): without the
  // event bus that says so, none are kept.
  const tokens = deps.events ? createTokenCache((token) => resolveToken(deps.stores, token), { loadMany: (many) => resolveTokens(deps.stores, many) }) : null;
  if (deps.events && tokens) {
    const stop = forgetRevokedTokens(deps.events, tokens);
    app.addHook('onClose', async () => stop());
  }
  app.decorateRequest('session', null);
  app.decorateRequest('actor', async () => null);
  app.addHook('onRequest', async (request, reply) => {
    // The demo identity providers share Entente's origin but are other sites in the protocol's
    // eyes: Entente's session (and its CSRF rule) does not apply to their forms, which
    // oidc-provider protects with its own interaction cookies.
    if (request.url.startsWith('/demo/idp/')) return;
    // Entente's own OpenID endpoints likewise: oidc-provider protects its forms itself, and the
    // provider resolves the Entente session where it acts for the agent (provider/index.ts).
    if (request.url.startsWith('/oidc/') || request.url.startsWith('/.well-known/openid-configuration')) return;
    // The credential issuers' OAuth endpoints (a wallet's token, nonce and credential requests):
    // the pre-authorised code or the access token authenticates them, never the browser's cookie.
    if (request.url.startsWith('/issuers/')) return;
    // Static assets and the SPA's pages need no session: no database query for each of them.
    if (!needsSession(request.method, request.url)) return;
    const token = request.cookies[cookieName];
    const session = token ? await deps.sessions.resolve(token) : null;
    request.session = session;
    if (token && !session) clearSessionCookie(reply, deps.config);
    if (session?.newToken) setSessionCookie(reply, deps.config, session.newToken, deps.config.session.absoluteMs);
    const bearer = !token ? bearerToken(request.headers.authorization) : null;
    const cached = tokens && request.url.startsWith('/ai/') ? tokens : null;
    const actor = session ? actorFromSession(session) : bearer ? await actorFromToken(deps.stores, bearer, cached) : null;
    if (actor?.via === 'token') checkTokenScope(request.method, request.url, actor);
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

function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer (ent_pat_[A-Za-z0-9_-]{1,100})$/.exec(header) : null;
  return match?.[1] ?? null;
}

async function actorFromToken(stores: Stores, token: string, cache: TokenCache | null): Promise<Actor | null> {
  const identity = cache ? await cache.resolve(token) : await resolveToken(stores, token);
  if (!identity) throw unauthenticated(); // a token was presented: say it does not work
  const grants = identity.grants;
  return {
    principalId: identity.principalId,
    homeJurisdiction: identity.homeJurisdiction,
    sessionId: `token:${identity.tokenId}`,
    assuranceLevel: null,
    upstream: null,
    memberships: new Map(grants.memberships.map((m) => [m.organisationId, m.roles])),
    platformRoles: new Set(grants.platformRoles),
    via: 'token',
    scopes: new Set(identity.scopes),
  };
}

/**
 * What a token's scopes allow: `api:read` reads the REST API, `api:write` also changes it, `ai`
 * reaches the AI gateway only. Nothing else (sign-in, OpenID endpoints) accepts a token.
 */
/** POST routes that change nothing: a token with `api:read` may call them (assistant retrieval, helper E3). */
const READ_ONLY_POSTS = new Set(['/api/assistant/ask', '/api/assistant/summarise']);

function checkTokenScope(method: string, url: string, actor: Actor): void {
  const scopes = actor.scopes ?? new Set<string>();
  const path = url.split('?')[0] ?? '';
  // assistant retrieval (helper E3): questions and summaries are reads sent as POST (a question is no URL)
  const reading = method === 'GET' || method === 'HEAD' || (method === 'POST' && READ_ONLY_POSTS.has(path));
  const allowed = path.startsWith('/ai/')
    ? scopes.has('ai')
    : path.startsWith('/api/') && (scopes.has('api:write') || (reading && scopes.has('api:read')));
  if (!allowed) throw new AppError('insufficient_scope', { status: 403 });
}

const SESSION_PATHS = ['/api/', '/auth/', '/ai/', '/demo/outbox'];

/** Every change (CSRF applies), and reads of the API and the server's own pages. */
function needsSession(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return true;
  return SESSION_PATHS.some((prefix) => url.startsWith(prefix));
}
