import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../../config.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { Logger } from '../../platform/logger.ts';
import { localeOf } from '../../platform/http/server-page.ts';
import type { ResolvedSession } from '../sessions.ts';
import { ACR_VALUES, assertedAcr, requestedAcrs } from './acr.ts';
import { claimsAllowedBy, SCOPE_CLAIMS } from './account.ts';
import type { AccountClaims } from './account-cache.ts';
import { createKyselyAdapterClass } from './adapter.ts';
import { PROVIDER_SCOPES } from './clients.ts';
import { findConsent, findSessionLink } from './consents.repo.ts';
import type { PrivateJwk } from './keys.ts';
import { interactionPolicy, type OidcClient, type OidcContext, OidcErrors, type OidcGrant, type OidcProvider, Provider } from './oidc.ts';
import { PAGE_CSP, pageCsp, renderLogoutDonePage, renderLogoutPage, renderProviderError } from './pages.ts';

/** Where the provider's endpoints live (discovery is at the root, the rest under /oidc). */
export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/me',
  jwks: '/oidc/jwks',
  introspection: '/oidc/token/introspection',
  revocation: '/oidc/token/revocation',
  end_session: '/oidc/session/end',
} as const;
export const INTERACTION_PATH = '/oidc/interaction';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The Entente session of the browser, resolved by the HTTP layer before oidc-provider runs. */
const ENTENTE_SESSION = Symbol('entente.session');
export type RequestWithSession = IncomingMessage & { [ENTENTE_SESSION]?: ResolvedSession | null };
export function setEntenteSession(req: IncomingMessage, session: ResolvedSession | null): void {
  (req as RequestWithSession)[ENTENTE_SESSION] = session;
}
export function ententeSessionOf(req: IncomingMessage): ResolvedSession | null {
  return (req as RequestWithSession)[ENTENTE_SESSION] ?? null;
}

export interface BuildProviderDeps {
  config: Config;
  stores: Stores;
  audit: AuditLog;
  logger: Logger;
  secret: Buffer;
  /** The issuer: `ENTENTE_PUBLIC_URL` without a trailing slash. */
  issuer: string;
  /** Path prefix of the public URL ('' unless Entente is served under a path). */
  publicPath: string;
  keys: PrivateJwk[];
  clientFinder: (id: string) => Promise<Record<string, unknown> | undefined>;
  /** The claims of an active agent, undefined otherwise (account.ts, through account-cache.ts). */
  findAccountClaims: (principalId: string) => Promise<AccountClaims | undefined>;
  /** Called after an authorization went through with an Entente session (links the two sessions). */
  onAuthorized: (ctx: OidcContext, session: ResolvedSession) => Promise<void>;
  /** Called after RP-initiated logout that chose "everywhere" (ends the Entente session). */
  onLogoutEverywhere: (ctx: OidcContext, session: ResolvedSession | null) => Promise<void>;
}

export const TTL = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  IdToken: 3600,
  Interaction: 600,
  Session: 12 * 3600,
  // A grant outlives OpenID sessions for offline access; refresh tokens live two weeks at most.
  Grant: 14 * 24 * 3600,
  RefreshToken: 14 * 24 * 3600,
} as const;

/** Key of the pairwise subjects, derived from the server secret (never stored). */
export function pairwiseKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('entente-oidc-pairwise/v1').digest();
}

/** `sub` for one sector: HMAC-SHA256(key, sector ‖ principal id), base64url. */
export function pairwiseSubject(key: Buffer, sector: string, principalId: string): string {
  return createHmac('sha256', key).update(`${sector}\0${principalId}`).digest('base64url');
}

/** The scopes a client is registered for (its `scope` metadata, from `oidc_clients.scopes`). */
export function clientScopes(client: Pick<OidcClient, 'scope'> | undefined): string[] {
  return typeof client?.scope === 'string' ? client.scope.split(' ').filter(Boolean) : [];
}

/**
 * oidc-provider's own check of the `claims` parameter (members null or objects), plus ours: no
 * claim beyond the client's scopes. Without it a client registered for `openid` alone would get
 * the agent's email or organisation by naming them in `claims` (the consent page would list them
 * and the grant keep them).
 */
const KNOWN_CLAIMS = claimsAllowedBy(Object.keys(SCOPE_CLAIMS));
async function assertClaimsParameter(_ctx: unknown, claims: Record<string, unknown>, client: OidcClient): Promise<void> {
  const allowed = claimsAllowedBy(clientScopes(client));
  for (const container of ['userinfo', 'id_token'] as const) {
    const members = claims[container];
    if (members === undefined) continue;
    for (const [name, value] of Object.entries(members as Record<string, unknown>)) {
      if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
        throw new OidcErrors.InvalidRequest(`claims.${container} members must be null or objects`);
      }
      // Unknown names are ignored (OpenID Connect Core 5.5); known ones beyond the scopes refused.
      if (KNOWN_CLAIMS.has(name) && !allowed.has(name)) throw new OidcErrors.InvalidRequest(`claims.${container}.${name.slice(0, 50)} is outside the client's scopes`);
    }
  }
}

/**
 * Cookie names: `__Host-` for the session cookie when cookies are Secure (path /, no domain); the
 * interaction and resume cookies are scoped to their paths, which `__Host-` forbids, so they get
 * `__Secure-`.
 */
export function providerCookieNames(secure: boolean): { session: string; interaction: string; resume: string } {
  return secure
    ? { session: '__Host-entente_op_session', interaction: '__Secure-entente_op_interaction', resume: '__Secure-entente_op_resume' }
    : { session: 'entente_op_session', interaction: 'entente_op_interaction', resume: 'entente_op_resume' };
}

const FORM_POST = /<form method="post" action="([^"]+)">/;
const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/**
 * `response_mode=form_post`: oidc-provider answers a page whose script submits a form to the
 * client's redirect URI. It already adds the script's hash to the CSP the app set (helmet);
 * `form-action 'self'` would still stop the form: the redirect URI's origin is added, and only
 * when it is one of this client's registered redirect URIs (oidc-provider checked it too).
 */
function allowFormPost(ctx: OidcContext): void {
  if (typeof ctx.body !== 'string' || ctx.type !== 'text/html') return;
  const action = FORM_POST.exec(ctx.body)?.[1]?.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (e) => HTML_ENTITIES[e] ?? e);
  const csp = ctx.res.getHeader('content-security-policy');
  if (!action || typeof csp !== 'string') return;
  let origin: string;
  try {
    origin = new URL(action).origin;
  } catch {
    return;
  }
  const registered = (ctx.oidc?.client?.redirectUris ?? []).some((uri) => uri === action);
  if (!registered || origin === 'null') return;
  ctx.set('content-security-policy', csp.replace(/form-action 'self'/, `form-action 'self' ${origin}`));
}

function clientSector(client: { metadata(): Record<string, unknown> }): string {
  const sector = client.metadata().entente_sector;
  if (typeof sector !== 'string' || sector === '') throw new Error('client without sector');
  return sector;
}

/**
 * Builds Entente's oidc-provider instance. Rebuilt (and swapped) when the signing keys change:
 * oidc-provider takes its keys at construction. Everything it stores is in the database, so the
 * swap loses nothing.
 */
export function buildProvider(deps: BuildProviderDeps): OidcProvider {
  const { stores } = deps;
  const pairwise = pairwiseKey(deps.secret);
  const secure = deps.config.production || deps.config.publicUrl.protocol === 'https:';
  const cookieKeys = [createHmac('sha256', deps.secret).update('entente-oidc-cookies/v1').digest('base64url')];
  const Check = interactionPolicy.Check;

  // Login is Entente's own session: prompt again (silently, through our interaction) whenever the
  // browser's Entente session is not the one the OpenID session came from, or its level no longer
  // gives the acr this request needs.
  const policy = interactionPolicy.base();
  policy.get('login').checks.push(
    // For prompt=none the service learns `login_required` (sign the agent in interactively).
    new Check('entente_session', 'the Entente session is not the one of this OpenID session', 'login_required', async (ctx) => {
      const oidc = ctx.oidc;
      const session = ententeSessionOf(ctx.req);
      if (!oidc?.session || !session) return Check.REQUEST_PROMPT;
      if (oidc.session.accountId !== session.principalId) return Check.REQUEST_PROMPT;
      if (oidc.result?.login) return Check.NO_NEED_TO_PROMPT; // just logged in from this session
      const link = await findSessionLink(stores.control.db, oidc.session.uid);
      if (link?.entente_session_id !== session.id) return Check.REQUEST_PROMPT;
      const acr = assertedAcr(requestedAcrs(oidc.params ?? {}), session.assuranceLevel);
      return acr !== null && acr === oidc.session.acr ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );

  const renderError = async (ctx: OidcContext, out: { error?: string }) => {
    const locale = localeOf(ctx.headers);
    ctx.set('content-security-policy', PAGE_CSP);
    ctx.set('content-language', locale);
    ctx.type = 'html';
    ctx.body = renderProviderError(locale, typeof out.error === 'string' ? out.error : 'server_error');
  };

  const provider = new Provider(deps.issuer, {
    adapter: createKyselyAdapterClass(stores.control.db, deps.clientFinder),
    jwks: { keys: deps.keys },
    cookies: {
      names: providerCookieNames(secure),
      keys: cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', secure },
      short: { httpOnly: true, sameSite: 'lax', secure },
    },
    routes: OIDC_ROUTES,
    scopes: [...PROVIDER_SCOPES],
    claims: { acr: null, amr: null, auth_time: null, sid: null, ...SCOPE_CLAIMS },
    acrValues: [...ACR_VALUES],
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: async (_ctx: unknown, accountId: string, client: { metadata(): Record<string, unknown> }) =>
      pairwiseSubject(pairwise, clientSector(client), accountId),
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientDefaults: { id_token_signed_response_alg: 'RS256', grant_types: ['authorization_code'], response_types: ['code'] },
    extraClientMetadata: { properties: ['entente_sector', 'entente_name_en'] },
    allowOmittingSingleRegisteredRedirectUri: false,
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'], userinfoSigningAlgValues: ['RS256', 'ES256'] },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true, assertClaimsParameter },
      // Not routed (everything outside /oidc is Entente's): not advertised either.
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: true },
      // A service introspects or revokes its own tokens only.
      introspection: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string; kind?: string; accountId?: string }) => {
          if (token.clientId !== client.clientId) return false;
          // Called right before the token is destroyed: the one place that knows it was revoked.
          await deps.audit
            .record({
              action: 'oidc.token.revoked',
              outcome: 'success',
              resource: { type: 'oidc_client', id: client.clientId },
              details: { kind: token.kind ?? null },
            })
            .catch((err: unknown) => deps.logger.warn({ err }, 'OpenID provider audit failed'));
          return true;
        },
      },
      registration: { enabled: false },
      resourceIndicators: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: OidcContext, form: string) => {
          const locale = localeOf(ctx.headers);
          // The confirmation redirects to the service's registered post-logout address: browsers
          // check form-action on that redirect too.
          const back = ctx.oidc?.params?.post_logout_redirect_uri;
          ctx.set('content-security-policy', pageCsp(typeof back === 'string' ? [new URL(back).origin] : []));
          ctx.type = 'html';
          ctx.body = renderLogoutPage(locale, form, ctx.oidc?.client?.clientName ?? null);
        },
        postLogoutSuccessSource: async (ctx: OidcContext) => {
          ctx.set('content-security-policy', PAGE_CSP);
          ctx.type = 'html';
          ctx.body = renderLogoutDonePage(localeOf(ctx.headers));
        },
      },
    },
    findAccount: async (_ctx: unknown, sub: string) => {
      // Once per token request (oidc-provider keeps the account for the ID token's claims).
      const claims = await deps.findAccountClaims(sub);
      if (!claims) return undefined;
      // A copy: the cached object is shared by every request of this agent.
      return { accountId: sub, claims: async () => ({ ...claims }) };
    },
    // Consent is remembered per agent and client (oidc_consents), beyond one OpenID session: a new
    // session starts from a grant holding what was consented to.
    loadExistingGrant: async (ctx: OidcContext) => {
      const oidc = ctx.oidc;
      if (!oidc?.client || !oidc.session?.accountId) return undefined;
      const accountId = oidc.session.accountId;
      const clientId = oidc.client.clientId;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.authorizations?.[clientId]?.grantId;
      if (grantId) {
        const grant = await oidc.provider.Grant.find(grantId);
        if (grant && grant.accountId === accountId && grant.clientId === clientId) return grant;
      }
      const consent = await findConsent(stores.control.db, accountId, clientId);
      if (!consent) return undefined;
      // What was consented to, within what the client may still receive: an operator narrowing a
      // client's scopes narrows what remembered consents give it.
      const scopes = clientScopes(oidc.client);
      const allowedClaims = claimsAllowedBy(scopes);
      const grant: OidcGrant = new oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope(consent.scopes.filter((s) => scopes.includes(s)).join(' '));
      const claims = consent.claims.filter((c) => allowedClaims.has(c));
      if (claims.length > 0) grant.addOIDCClaims(claims);
      await grant.save();
      return grant;
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    rotateRefreshToken: true,
    interactions: {
      policy,
      url: (_ctx: unknown, interaction: { uid: string }) => `${deps.publicPath}${INTERACTION_PATH}/${interaction.uid}`,
    },
    renderError,
    ttl: TTL,
    // oidc-provider refuses to call special-use addresses (SSRF protection). Outside production a
    // service on this machine (demo, tests) may receive back-channel logout on a loopback address.
    fetch: (url: URL | string, options: RequestInit & { dispatcher?: unknown }) => {
      if (!deps.config.production && LOOPBACK_HOSTS.has(new URL(url).hostname)) delete options.dispatcher;
      return globalThis.fetch(url, options);
    },
  });
  // Only our routes reach it, with Host and scheme rewritten from the public URL.
  provider.proxy = true;

  // The authorizations that ended with a code for the client (not an error redirect).
  const authorized = new WeakSet<object>();
  provider.on('authorization.success', (ctx) => authorized.add(ctx as object));

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      await renderError(ctx, { error: 'not_found' });
      ctx.status = 404;
      return;
    }
    const route = ctx.oidc?.route;
    const session = ententeSessionOf(ctx.req);
    if (route === 'authorization' || route === 'resume') allowFormPost(ctx);
    // Linked only when the client got a code: a refused authorization (login_required,
    // access_denied…) must not tie this OpenID session to another Entente session.
    if ((route === 'authorization' || route === 'resume') && authorized.has(ctx) && session && ctx.oidc?.session?.accountId === session.principalId) {
      await deps.onAuthorized(ctx, session);
    }
    if (route === 'end_session_confirm' && ctx.oidc?.params?.logout && ctx.status < 400) {
      await deps.onLogoutEverywhere(ctx, session);
    }
  });
  return provider;
}
