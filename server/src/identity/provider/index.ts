import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Config } from '../../config.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { sessionCookieName } from '../../platform/http/openapi.ts';
import { AppError } from '../../platform/errors.ts';
import { LIMITS } from '../../platform/http/rate-limit.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { localeOf } from '../../platform/http/server-page.ts';
import type { ResolvedSession, SessionService } from '../sessions.ts';
import { assertedAcr, requestedAcrs, stepUpLevel } from './acr.ts';
import { clientMetadata } from './clients.ts';
import { deleteOrphanSessionLinks, insertSessionLink, takeSessionLinks } from './consents.repo.ts';
import { needsFreshSignIn } from './fresh-sign-in.ts';
import { activeKeyIds, ensureSigningKeys, loadSigningKeys, rotateSigningKeys } from './keys.ts';
import { deleteExpiredModels, destroyByGrantId } from './models.repo.ts';
import type { OidcContext, OidcInteraction, OidcProvider } from './oidc.ts';
import { PAGE_CSP, renderProviderError } from './pages.ts';
import { buildProvider, ententeSessionOf, INTERACTION_PATH, OIDC_ROUTES, setEntenteSession } from './provider.ts';
import { providerRoutes } from './routes.ts';
import { createClientCache } from './client-cache.ts';
import { accountClaims, cachedOrganisations } from './account.ts';
import { ACCOUNT_CACHE_ENTRIES, ACCOUNT_CACHE_MS, createAccountCache, onAccountsChanged } from './account-cache.ts';
import { CLIENT_SECRET_OWNER, createSealer, SIGNING_KEY_OWNER, type Sealer } from './sealed.ts';

export { registerClientAs, listClients, removeClient, type RegisterClientInput } from './clients.ts';
export { rotateSigningKeys, ensureSigningKeys, activeKeyIds } from './keys.ts';
export { createSealer, SIGNING_KEY_OWNER, CLIENT_SECRET_OWNER } from './sealed.ts';
export { revokeAllGrantsFor, revokeGrants } from './consent.ts';
export { pairwiseSubject, pairwiseKey } from './provider.ts';
export { ACR_VALUES } from './acr.ts';
export { ACCOUNTS_CHANGED_TOPIC, accountsChanged } from './account-cache.ts';

export const KEYS_ROTATED_TOPIC = 'identity.oidc.keys_rotated';
/** Published when a client is removed, so that every node forgets it (`{ clientId }`). */
export const CLIENT_REMOVED_TOPIC = 'identity.oidc.client_removed';
/** How long a node may keep a client's metadata (a lost removal event is bounded by this). */
const CLIENT_CACHE_MS = 10_000;

/**
 * `entente oidc keys rotate`: a new generation signs from now on, the previous one stays in the
 * JWKS, older ones leave it once what they signed has expired. Audited; running nodes are told
 * through the event bus (and re-read the keys every minute anyway).
 */
export async function rotateProviderKeys(deps: { stores: Stores; cells: Cells; audit: AuditLog; events: EventBus; keysCell: Jurisdiction }) {
  const sealer = providerSealers(deps.cells, deps.keysCell).current;
  await ensureSigningKeys(deps.stores.control.db, sealer);
  const rotated = await rotateSigningKeys(deps.stores.control.db, sealer);
  await deps.audit.record({
    action: 'oidc.keys.rotated',
    outcome: 'success',
    resource: { type: 'oidc_signing_keys', id: String(rotated.generation) },
    details: { kids: rotated.kids.join(' '), retired: rotated.retired.join(' ') },
  });
  await deps.events.publish(KEYS_ROTATED_TOPIC, { generation: rotated.generation });
  return rotated;
}
export const OIDC_PURGE_JOB = 'identity.oidc.purge';

export interface OpenIdProviderDeps {
  config: Config;
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  sessions: SessionService;
  events: EventBus;
  jobs: JobRunner;
  secret: Buffer;
  logger: Logger;
  /** Cell whose keyring seals the signing keys and client secrets (ENTENTE_OIDC_KEYS_CELL). */
  keysCell: Jurisdiction;
  /** How often a node re-reads the signing keys (another node or the CLI may have rotated them). */
  keysReloadMs?: number;
}

export interface OpenIdProvider {
  issuer: string;
  /** Re-reads the signing keys and swaps the provider when they changed. */
  reloadKeys(): Promise<boolean>;
  provider(): OidcProvider;
}

const METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS'] as const;
const INTERACTION = /^\/oidc\/interaction\/([A-Za-z0-9_-]{1,100})$/;
const RESUME = /^\/oidc\/auth\/[A-Za-z0-9_-]{1,100}$/;
/**
 * The paths handed to oidc-provider, exactly. Its router folds case and forgives one trailing
 * slash: `/oidc/TOKEN` or `/oidc/token/` would reach the token endpoint through the `/oidc/*`
 * route, past the rate limits of the exact routes. Anything else is a 404 here.
 */
const PROVIDER_PATHS: ReadonlySet<string> = new Set([
  '/.well-known/openid-configuration',
  ...Object.values(OIDC_ROUTES),
  `${OIDC_ROUTES.end_session}/confirm`,
  `${OIDC_ROUTES.end_session}/success`,
]);
/** Endpoints acting for the agent in the browser: they need the Entente session. */
const SESSION_PATHS: ReadonlySet<string> = new Set([OIDC_ROUTES.authorization, OIDC_ROUTES.end_session, `${OIDC_ROUTES.end_session}/confirm`]);

export function providerSealers(cells: Cells, keysCell: Jurisdiction): { signing: (cell: Jurisdiction) => Sealer; clientSecrets: Sealer; current: Sealer } {
  const signing = new Map(JURISDICTIONS.map((j) => [j, createSealer(cells, j, SIGNING_KEY_OWNER)]));
  return {
    signing: (cell) => signing.get(cell) as Sealer,
    current: signing.get(keysCell) as Sealer,
    clientSecrets: createSealer(cells, keysCell, CLIENT_SECRET_OWNER),
  };
}

/**
 * Entente as OpenID provider (oidc-provider 9): discovery at `/.well-known/openid-configuration`,
 * endpoints under `/oidc/…`, interactions answered by Entente (its session, its consent page).
 * See README.md in this folder. Call before `app.ready()`.
 */
export async function registerOpenIdProvider(app: FastifyInstance, deps: OpenIdProviderDeps): Promise<OpenIdProvider> {
  const { config, stores, audit, logger } = deps;
  const db = stores.control.db;
  const publicPath = config.publicUrl.pathname.replace(/\/+$/, '');
  const issuer = `${config.publicUrl.origin}${publicPath}`;
  const sealers = providerSealers(deps.cells, deps.keysCell);
  const clients = createClientCache((id) => clientMetadata({ db, sealer: sealers.clientSecrets }, id), { ttlMs: CLIENT_CACHE_MS, maxEntries: 1000 });
  const clientFinder = clients.find;
  // The agent's claims, a few seconds per node, forgotten on every change that must show at once
  // (account-cache.ts): the account check costs two statements per token request otherwise.
  const organisations = cachedOrganisations(stores);
  const accounts = createAccountCache((id) => accountClaims(stores, id, organisations), { ttlMs: ACCOUNT_CACHE_MS, maxEntries: ACCOUNT_CACHE_ENTRIES });
  const cookieName = sessionCookieName(config);

  await ensureSigningKeys(db, sealers.current);

  const onAuthorized = async (ctx: OidcContext, session: ResolvedSession) => {
    const uid = ctx.oidc?.session?.uid;
    if (uid) await insertSessionLink(db, { opSessionUid: uid, ententeSessionId: session.id, principalId: session.principalId });
  };
  const onLogoutEverywhere = async (ctx: OidcContext, session: ResolvedSession | null) => {
    if (!session) return;
    // "Sign me out everywhere": the Entente session ends too (and, through onEnded, every other
    // OpenID session opened from it).
    await deps.sessions.end({ sessionId: session.id, principalId: session.principalId, reason: 'oidc_logout', jurisdiction: session.homeJurisdiction });
    ctx.res.appendHeader(
      'set-cookie',
      app.serializeCookie(cookieName, '', { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production || config.publicUrl.protocol === 'https:', expires: new Date(0) }),
    );
  };

  const build = (keys: Awaited<ReturnType<typeof loadSigningKeys>>['keys']) => {
    const provider = buildProvider({ config, stores, audit, logger, secret: deps.secret, issuer, publicPath, keys, clientFinder, findAccountClaims: accounts.find, onAuthorized, onLogoutEverywhere });
    wireAudit(provider);
    return { provider, callback: provider.callback() };
  };

  let loaded = await loadSigningKeys(db, sealers.signing);
  let current = build(loaded.keys);

  async function reloadKeys(): Promise<boolean> {
    const fingerprint = (await activeKeyIds(db)).map((k) => k.kid).join(',');
    if (fingerprint === loaded.fingerprint) return false;
    loaded = await loadSigningKeys(db, sealers.signing);
    current = build(loaded.keys); // one assignment: requests in flight finish on the old instance
    logger.info({ keys: loaded.keys.length }, 'OpenID provider signing keys reloaded');
    return true;
  }
  const reload = async (): Promise<void> => {
    await reloadKeys().catch((err: unknown) => logger.warn({ err }, 'OpenID provider keys reload failed'));
  };
  const timer = setInterval(reload, deps.keysReloadMs ?? 60_000);
  timer.unref();
  const unsubscribe = deps.events.subscribe(KEYS_ROTATED_TOPIC, reload);
  const unsubscribeClients = deps.events.subscribe(CLIENT_REMOVED_TOPIC, (payload) => {
    const clientId = (payload as { clientId?: unknown } | null)?.clientId;
    if (typeof clientId === 'string') clients.forget(clientId);
  });
  const unsubscribeAccounts = onAccountsChanged(deps.events, (principalIds) => accounts.forget(principalIds));
  app.addHook('onClose', async () => {
    clearInterval(timer);
    unsubscribe();
    unsubscribeClients();
    unsubscribeAccounts();
  });

  function wireAudit(provider: OidcProvider): void {
    const record = (event: Parameters<AuditLog['record']>[0]) =>
      audit.record(event).catch((err: unknown) => logger.warn({ err }, 'OpenID provider audit failed'));
    const clientOf = (ctx: unknown) => (ctx as OidcContext | undefined)?.oidc?.client?.clientId ?? null;
    const errorOf = (error: unknown) => String((error as { error?: string })?.error ?? 'server_error').slice(0, 100);
    provider.on('authorization.success', (ctx) => {
      const session = ententeSessionOf((ctx as OidcContext).req);
      const clientId = clientOf(ctx);
      void record({
        action: 'oidc.authorization.granted',
        outcome: 'success',
        actorId: session?.principalId ?? null,
        jurisdiction: session?.homeJurisdiction ?? null,
        resource: clientId ? { type: 'oidc_client', id: clientId } : null,
        details: { acr: (ctx as OidcContext).oidc?.session?.acr ?? null },
      });
    });
    for (const [event, action] of [
      ['authorization.error', 'oidc.authorization.failed'],
      ['grant.error', 'oidc.token.failed'],
      ['introspection.error', 'oidc.introspection.failed'],
      ['revocation.error', 'oidc.revocation.failed'],
      ['end_session.error', 'oidc.logout.failed'],
      ['end_session_confirm.error', 'oidc.logout.failed'],
      ['userinfo.error', 'oidc.userinfo.failed'],
    ] as const) {
      provider.on(event, (ctx, error) => {
        const clientId = clientOf(ctx);
        void record({ action, outcome: 'failure', resource: clientId ? { type: 'oidc_client', id: clientId } : null, details: { error: errorOf(error) } });
      });
    }
    provider.on('server_error', (ctx, error) => {
      logger.error({ err: error }, 'OpenID provider error');
      void record({ action: 'oidc.server_error', outcome: 'failure', resource: null, details: { client: clientOf(ctx) } });
    });
    provider.on('end_session.success', (ctx) => {
      const session = ententeSessionOf((ctx as OidcContext).req);
      const clientId = clientOf(ctx);
      void record({
        action: 'oidc.logout',
        outcome: 'success',
        actorId: session?.principalId ?? null,
        jurisdiction: session?.homeJurisdiction ?? null,
        resource: clientId ? { type: 'oidc_client', id: clientId } : null,
        details: { everywhere: Boolean((ctx as OidcContext).oidc?.params?.logout) },
      });
    });
    provider.on('backchannel.error', (_ctx, error, client) =>
      logger.warn({ err: error, client: (client as { clientId?: string })?.clientId }, 'back-channel logout failed'),
    );
  }

  // An Entente session ended (sign-out, ended from the list, left the organisation, upstream
  // logout): the OpenID sessions opened from it end, and their clients are told (back-channel).
  deps.sessions.onEnded(async ({ sessionId }) => {
    const provider = current.provider;
    for (const uid of await takeSessionLinks(db, sessionId)) {
      const session = await provider.Session.findByUid(uid);
      if (!session?.accountId) continue;
      const accountId = session.accountId;
      for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
        const client = await provider.Client.find(clientId);
        if (client?.backchannelLogoutUri && authorization.sid) {
          // Not awaited: a slow service (oidc-provider waits 2.5 s at most) must not hold up the
          // agent's sign-out; failures are logged.
          void client.backchannelLogout(accountId, authorization.sid).catch((err: unknown) =>
            logger.warn({ err, client: clientId }, 'back-channel logout failed'),
          );
        }
        // Tokens tied to the session go; those of offline access (persistsLogout) stay.
        if (authorization.grantId && !authorization.persistsLogout) await destroyByGrantId(db, authorization.grantId);
      }
      await session.destroy();
    }
  });

  deps.jobs.register(OIDC_PURGE_JOB, async () => {
    await deleteExpiredModels(db, new Date());
    await deleteOrphanSessionLinks(db);
  });
  deps.jobs.every(OIDC_PURGE_JOB, 3_600_000);

  /** Answers our interaction step: who is signed in (Entente's session), at what level. */
  async function interact(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const locale = localeOf(req.headers);
    const fail = (status: number) => {
      res.statusCode = status;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-language', locale);
      res.setHeader('cache-control', 'no-store');
      res.setHeader('content-security-policy', PAGE_CSP);
      res.end(renderProviderError(locale, 'interaction'));
    };
    const redirect = (location: string) => {
      res.statusCode = 303;
      res.setHeader('location', location);
      res.setHeader('cache-control', 'no-store');
      res.end();
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405);
    const provider = current.provider;
    let interaction: OidcInteraction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch {
      return fail(400);
    }
    if (interaction.uid !== uid) return fail(400);
    const here = `${publicPath}${INTERACTION_PATH}/${uid}`;
    const session = ententeSessionOf(req);
    if (!session) return redirect(`${publicPath}/connexion?${new URLSearchParams({ retour: here }).toString()}`);

    if (interaction.prompt.name === 'login') {
      const requested = requestedAcrs(interaction.params);
      const acr = assertedAcr(requested, session.assuranceLevel);
      if (acr === null) {
        // Below the level the client requires: back to the agent's federation for a higher one.
        const query = new URLSearchParams({ level: stepUpLevel(requested), returnTo: here, ...(session.upstream ? { upstream: session.upstream } : {}) });
        return redirect(`${publicPath}/auth/login?${query.toString()}`);
      }
      if (needsFreshSignIn(interaction, session)) {
        // prompt=login, or a sign-in older than max_age: the agent signs in again through their
        // federation (at the level they had), and comes back with a new Entente session.
        if (!session.upstream) return redirect(`${publicPath}/connexion?${new URLSearchParams({ retour: here }).toString()}`);
        const query = new URLSearchParams({ upstream: session.upstream, returnTo: here, reauth: '1', ...(session.assuranceLevel ? { level: session.assuranceLevel } : {}) });
        return redirect(`${publicPath}/auth/login?${query.toString()}`);
      }
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: session.principalId, acr, ts: Math.floor(session.createdAt.getTime() / 1000), remember: true } },
        { mergeWithLastSubmission: false },
      );
    }
    if (interaction.prompt.name === 'consent') {
      if (interaction.session?.accountId !== session.principalId) return fail(400);
      return redirect(`${publicPath}/autorisation/${encodeURIComponent(uid)}`);
    }
    return provider.interactionFinished(req, res, { error: 'interaction_required' }, { mergeWithLastSubmission: false });
  }

  /** Not one of the provider's paths: a page for a browser, RFC 6749's terms for a program. */
  function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    reply.code(404).header('cache-control', 'no-store');
    if (request.method === 'GET' && /\btext\/html\b/.test(request.headers.accept ?? '')) {
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', PAGE_CSP)
        .send(renderProviderError(localeOf(request.headers), 'not_found'));
    }
    return reply.send({ error: 'not_found', error_description: 'no such endpoint' });
  }

  /** Hands a request to oidc-provider with the Entente session resolved and public URLs. */
  async function dispatch(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const req = request.raw;
    const res = reply.raw;
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const interaction = INTERACTION.exec(pathname);
    const resume = RESUME.test(pathname);
    if (!interaction && !resume && !PROVIDER_PATHS.has(pathname)) return notFound(request, reply);
    // The browser's Entente session, for the endpoints that act for the agent. Not through the
    // app's session hook: these are protocol endpoints (no CSRF header; oidc-provider has its own
    // protections), but the cookie and its rotation are the same.
    if (interaction || resume || SESSION_PATHS.has(pathname)) {
      const token = request.cookies[cookieName];
      const session = token ? await deps.sessions.resolve(token) : null;
      if (session?.newToken) {
        res.appendHeader(
          'set-cookie',
          app.serializeCookie(cookieName, session.newToken, {
            path: '/',
            httpOnly: true,
            sameSite: 'lax',
            secure: config.production || config.publicUrl.protocol === 'https:',
            maxAge: Math.floor(config.session.absoluteMs / 1000),
          }),
        );
      }
      setEntenteSession(req, session);
    }
    reply.hijack();
    if (interaction?.[1]) {
      interact(req, res, interaction[1]).catch((error: unknown) => {
        logger.error({ err: error }, 'OpenID provider interaction failed');
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.setHeader('content-security-policy', PAGE_CSP);
          res.end(renderProviderError(localeOf(req.headers), 'server_error'));
        } else res.end();
      });
      return;
    }
    // oidc-provider builds its URLs from the request: make them the public URL's, whatever the
    // client sent.
    req.headers.host = config.publicUrl.host;
    req.headers['x-forwarded-host'] = config.publicUrl.host;
    req.headers['x-forwarded-proto'] = config.publicUrl.protocol.replace(':', '');
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = `${publicPath}${req.url ?? '/'}`;
    current.callback(req, res);
  }

  app.register(async (scope) => {
    // oidc-provider reads its bodies from the raw request: Fastify must not.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    // Protocol endpoints answer in the protocol's terms (RFC 6749), not problem+json: a flood is
    // `temporarily_unavailable` with Retry-After, and a page for the browser at /oidc/auth.
    scope.setErrorHandler(async (error, request, reply) => {
      if (!(error instanceof AppError) || error.slug !== 'rate_limited') throw error;
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      reply.code(429).header('cache-control', 'no-store');
      if (request.url.startsWith(OIDC_ROUTES.authorization)) {
        const locale = localeOf(request.headers);
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', PAGE_CSP)
          .send(renderProviderError(locale, 'temporarily_unavailable'));
      }
      return reply.send({ error: 'temporarily_unavailable', error_description: 'too many requests from this address; retry later' });
    });
    const route = (url: string, rateLimit?: { max: number; timeWindow: number }) =>
      scope.route({ method: [...METHODS], url, schema: { hide: true }, ...(rateLimit ? { config: { rateLimit } } : {}), handler: dispatch });
    route('/.well-known/openid-configuration');
    route(OIDC_ROUTES.token, LIMITS.oidcToken);
    route(OIDC_ROUTES.authorization, LIMITS.oidcAuthorize);
    route(`${OIDC_ROUTES.authorization}/*`, LIMITS.oidcAuthorize);
    route('/oidc/*');
  });

  providerRoutes(app, {
    config,
    db,
    audit,
    logger,
    sealer: sealers.clientSecrets,
    provider: () => current.provider,
    onClientRemoved: async (clientId) => {
      clients.forget(clientId);
      await deps.events.publish(CLIENT_REMOVED_TOPIC, { clientId });
    },
  });

  return { issuer, reloadKeys, provider: () => current.provider };
}
