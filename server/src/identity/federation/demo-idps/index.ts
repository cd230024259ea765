import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Locale } from '../../../../../common/src/i18n/locales.ts';
import type { Logger } from '../../../platform/logger.ts';
import { DEMO_IDP_ACCOUNTS, type DemoIdpName, findDemoAccount } from './accounts.ts';
import { loadOrCreateDemoIdpKeys } from './keys.ts';
import { createMemoryAdapter, type OidcContext, type OidcInteraction, type OidcProvider, Provider } from './oidc-provider.ts';
import { localeOf } from '../../../platform/http/server-page.ts';
import { pageCsp, renderErrorPage, renderLoginPage, renderLogoutDonePage, renderLogoutPage } from './pages.ts';

export { DEMO_IDP_ACCOUNTS, type DemoIdpAccount, type DemoIdpName, FR_DEMO_IDP_ID } from './accounts.ts';

/** Client metadata as oidc-provider takes it (client_id, redirect_uris, token_endpoint_auth_method…). */
export type DemoIdpClientMetadata = Record<string, unknown> & { client_id: string; redirect_uris: string[] };

export interface DemoIdpsDeps {
  /** Entente's public URL (an origin). A function when it is known only once the server listens (tests). */
  publicUrl: URL | (() => URL);
  /** The relying parties of each provider; all are treated as first-party (consent auto-granted). */
  clients: { fr: DemoIdpClientMetadata[]; qc: DemoIdpClientMetadata[] };
  /** Where the signing keys are kept (JSON, mode 0600); in memory when absent. */
  keysFile?: string;
  /** Secret the cookie-signing keys are derived from (e.g. the server secret). */
  cookieSecret: Buffer;
  logger: Logger;
}

export interface DemoIdps {
  /** The issuer of a demo provider, e.g. `http://localhost:3000/demo/idp/fr`. */
  issuer(name: DemoIdpName): string;
}

export const DEMO_IDP_PATHS: Readonly<Record<DemoIdpName, string>> = { fr: '/demo/idp/fr', qc: '/demo/idp/qc' };

interface Profile {
  claims: Record<string, string[] | null>;
  acrValues: string[];
  /** acr without / with the simulated second factor. */
  levels: { withoutFactor: string; withFactor: string };
  amr: { withoutFactor: string[]; withFactor: string[] };
  signedUserinfo: boolean;
}

// Claims that are not scope-bound; `null` makes them requestable through the claims parameter
// (`amr` is returned only when requested there, as ProConnect does; `acr` always, see `openid`).
const PROTOCOL_CLAIMS = { acr: null, amr: null, auth_time: null, sid: null, iss: null };

const PROFILES: Record<DemoIdpName, Profile> = {
  // ProConnect: one scope per claim, plus `organization` for the organisation's label.
  fr: {
    claims: {
      ...PROTOCOL_CLAIMS,
      openid: ['sub', 'acr'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
      email: ['email'],
      uid: ['uid'],
      siret: ['siret'],
      organization: ['organization_label'],
      idp_id: ['idp_id'],
    },
    // eidas3 is advertised as ProConnect does, never obtained (the demo has no such means).
    acrValues: ['eidas1', 'eidas2', 'eidas3'],
    levels: { withoutFactor: 'eidas1', withFactor: 'eidas2' },
    amr: { withoutFactor: ['pwd'], withFactor: ['pwd', 'otp', 'mfa'] },
    signedUserinfo: true,
  },
  // Québec-style: French claim names, organisations by NEQ, three levels (3 needs an in-person
  // verification the demo does not simulate, so it is advertised but never obtained).
  qc: {
    claims: {
      ...PROTOCOL_CLAIMS,
      openid: ['sub', 'acr'],
      profil: ['prenom', 'nom_famille', 'identifiant'],
      courriel: ['courriel'],
      organisation: ['neq', 'organisation'],
    },
    acrValues: ['urn:qc:gouv:niveau:1', 'urn:qc:gouv:niveau:2', 'urn:qc:gouv:niveau:3'],
    levels: { withoutFactor: 'urn:qc:gouv:niveau:1', withFactor: 'urn:qc:gouv:niveau:2' },
    amr: { withoutFactor: ['pwd'], withFactor: ['pwd', 'otp', 'mfa'] },
    signedUserinfo: false,
  },
};

const BODY_LIMIT = 8 * 1024;
const METHODS = ['GET', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'] as const;
const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]{1,100})(\/login)?$/;

function send(res: ServerResponse, status: number, html: string, locale: Locale, csp: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-language', locale);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-security-policy', csp);
  res.end(html);
}

function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/** The acr values the request demands (claims parameter, `essential`), or null when none. */
function essentialAcrs(interaction: OidcInteraction): string[] | null {
  try {
    const claims = JSON.parse(interaction.params.claims ?? '{}') as { id_token?: { acr?: { essential?: boolean; value?: unknown; values?: unknown } } };
    const acr = claims.id_token?.acr;
    if (!acr?.essential) return null;
    if (typeof acr.value === 'string') return [acr.value];
    if (Array.isArray(acr.values)) return acr.values.filter((v): v is string => typeof v === 'string');
    return null;
  } catch {
    return null;
  }
}

function requestedClaimNames(interaction: OidcInteraction): string[] {
  try {
    const claims = JSON.parse(interaction.params.claims ?? '{}') as Record<string, Record<string, unknown> | undefined>;
    return [...new Set([...Object.keys(claims.id_token ?? {}), ...Object.keys(claims.userinfo ?? {})])];
  } catch {
    return [];
  }
}

/**
 * Mounts the two demo identity providers (demo mode only; the caller decides): real OpenID
 * providers (oidc-provider, in-memory adapter: one process, state lost on restart, which is what a
 * demo wants) at `${publicUrl}/demo/idp/fr` (ProConnect-like) and `/demo/idp/qc` (Québec-style).
 * Call before `app.ready()`.
 */
export function registerDemoIdps(app: FastifyInstance, deps: DemoIdpsDeps): DemoIdps {
  const keys = loadOrCreateDemoIdpKeys(deps.keysFile);
  const publicUrl = () => (typeof deps.publicUrl === 'function' ? deps.publicUrl() : deps.publicUrl);
  // A public URL with a path (behind a proxy that strips it) is honoured in every URL the
  // providers build; Fastify itself sees /demo/idp/… either way.
  const publicPath = () => publicUrl().pathname.replace(/\/+$/, '');
  const issuer = (name: DemoIdpName) => `${publicUrl().origin}${publicPath()}${DEMO_IDP_PATHS[name]}`;
  const formOrigins = (name: DemoIdpName) =>
    [...new Set(deps.clients[name].flatMap((client) => client.redirect_uris.map((uri) => new URL(uri).origin)))];

  // Built on first use: the public URL of a test server is known only once it listens.
  const providers = new Map<DemoIdpName, { provider: OidcProvider; callback: ReturnType<OidcProvider['callback']> }>();
  const mounted = (name: DemoIdpName) => {
    let entry = providers.get(name);
    if (!entry) {
      const provider = createProvider(name);
      entry = { provider, callback: provider.callback() };
      providers.set(name, entry);
    }
    return entry;
  };
  const providerFor = (name: DemoIdpName): OidcProvider => mounted(name).provider;

  function createProvider(name: DemoIdpName): OidcProvider {
    const profile = PROFILES[name];
    const csp = pageCsp(formOrigins(name));
    const provider = new Provider(issuer(name), {
      adapter: createMemoryAdapter(),
      clients: deps.clients[name],
      jwks: keys[name],
      cookies: {
        keys: [createHmac('sha256', deps.cookieSecret).update(`entente-demo-idp-cookies:${name}`).digest('base64url')],
      },
      claims: profile.claims,
      acrValues: profile.acrValues,
      conformIdTokenClaims: false, // the ID token carries the scope's claims too, as the broker expects
      extraParams: ['idp_hint'],
      pkce: { required: () => true },
      features: {
        devInteractions: { enabled: false },
        claimsParameter: { enabled: true },
        userinfo: { enabled: true },
        jwtUserinfo: { enabled: profile.signedUserinfo },
        // Signing out at the provider logs the agent out of its relying parties (Entente) too.
        backchannelLogout: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx: OidcContext, form: string) => {
            const locale = localeOf(ctx.headers);
            ctx.set('content-security-policy', csp);
            ctx.type = 'html';
            ctx.body = renderLogoutPage(locale, form);
          },
          postLogoutSuccessSource: async (ctx: OidcContext) => {
            ctx.set('content-security-policy', csp);
            ctx.type = 'html';
            ctx.body = renderLogoutDonePage(localeOf(ctx.headers));
          },
        },
      },
      findAccount: async (_ctx: unknown, sub: string) => {
        const account = findDemoAccount(name, sub);
        if (!account) return undefined;
        return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
      },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `${publicPath()}${DEMO_IDP_PATHS[name]}/interaction/${interaction.uid}`,
      },
      // Errors that cannot go back to the client (unknown client, bad redirect_uri…): our page, the
      // protocol code and oidc-provider's description (escaped; never a stack), or nothing for a 500.
      renderError: async (ctx: OidcContext, out: { error?: string; error_description?: string }) => {
        const locale = localeOf(ctx.headers);
        const code = typeof out.error === 'string' ? out.error : 'server_error';
        ctx.set('content-security-policy', csp);
        ctx.type = 'html';
        ctx.body =
          code === 'server_error'
            ? renderErrorPage(locale, 'ui.demoIdp.error.server')
            : renderErrorPage(locale, 'ui.demoIdp.error.protocol', { code }, out.error_description);
      },
      ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
      // oidc-provider refuses to call loopback and private addresses (SSRF protection); its only
      // outgoing call here is the back-channel logout to Entente itself, often on localhost in a
      // demo: that one origin is let through, every other keeps the protection.
      fetch: (url: URL | string, options: RequestInit & { dispatcher?: unknown }) => {
        const own = new URL(String(url)).origin === publicUrl().origin;
        return globalThis.fetch(url, own ? { ...options, dispatcher: undefined } : options);
      },
    });
    // Only this route's requests reach it, with Host and scheme rewritten from the public URL.
    provider.proxy = true;
    // Paths oidc-provider does not know: our page rather than Koa's bare "Not Found".
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.set('content-security-policy', csp);
        ctx.type = 'html';
        ctx.body = renderErrorPage(localeOf(ctx.headers), 'ui.demoIdp.error.protocol', { code: 'not_found' });
        ctx.status = 404;
      }
    });
    provider.on('server_error', (_ctx, error) => deps.logger.error({ err: error, idp: name }, 'demo identity provider error'));
    return provider;
  }

  async function grantFor(provider: OidcProvider, interaction: OidcInteraction, accountId: string): Promise<string> {
    const grant = interaction.grantId
      ? ((await provider.Grant.find(interaction.grantId)) ?? new provider.Grant({ accountId, clientId: String(interaction.params.client_id) }))
      : new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
    // First-party clients only (the caller registers Entente's own RP): what they ask is granted.
    grant.addOIDCScope(String(interaction.params.scope ?? 'openid'));
    const claims = requestedClaimNames(interaction);
    if (claims.length > 0) grant.addOIDCClaims(claims);
    return grant.save();
  }

  async function interact(name: DemoIdpName, req: IncomingMessage, res: ServerResponse, uid: string, isLogin: boolean) {
    const locale = localeOf(req.headers);
    const csp = pageCsp(formOrigins(name));
    const provider = providerFor(name);
    let interaction: OidcInteraction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch {
      return send(res, 400, renderErrorPage(locale, 'ui.demoIdp.error.interaction'), locale, csp);
    }
    if (interaction.uid !== uid) return send(res, 400, renderErrorPage(locale, 'ui.demoIdp.error.interaction'), locale, csp);
    const profile = PROFILES[name];

    if (interaction.prompt.name === 'consent' && interaction.session?.accountId) {
      const grantId = await grantFor(provider, interaction, interaction.session.accountId);
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (interaction.prompt.name !== 'login') {
      return provider.interactionFinished(req, res, { error: 'interaction_required' }, { mergeWithLastSubmission: false });
    }
    const required = essentialAcrs(interaction);

    if (!isLogin) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, renderErrorPage(locale, 'ui.demoIdp.error.interaction'), locale, csp);
      const client = await provider.Client.find(String(interaction.params.client_id));
      return send(
        res,
        200,
        renderLoginPage({
          locale,
          idp: name,
          clientName: client?.clientName ?? client?.clientId ?? String(interaction.params.client_id),
          action: `${publicPath()}${DEMO_IDP_PATHS[name]}/interaction/${uid}/login`,
          accounts: DEMO_IDP_ACCOUNTS[name],
          loginHint: typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : undefined,
          levels: profile.levels,
          secondFactorRequired: required !== null && !required.includes(profile.levels.withoutFactor),
        }),
        locale,
        csp,
      );
    }

    if (req.method !== 'POST') return send(res, 405, renderErrorPage(locale, 'ui.demoIdp.error.interaction'), locale, csp);
    const form = await readForm(req);
    // « Annuler »: the agent declines, and the client hears it the standard way (RFC 6749 §4.1.2.1).
    if (form?.get('action') === 'cancel') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the agent cancelled the sign-in' }, { mergeWithLastSubmission: false });
    }
    const account = form ? findDemoAccount(name, form.get('agent') ?? '') : undefined;
    if (!account) return send(res, 400, renderErrorPage(locale, 'ui.demoIdp.error.unknownAgent'), locale, csp);
    const secondFactor = form?.get('second_factor') === 'on';
    const acr = secondFactor ? profile.levels.withFactor : profile.levels.withoutFactor;
    if (required !== null && !required.includes(acr)) {
      // Never claim a level the agent did not reach: the client gets an error, not a weaker acr
      // dressed up as the one it demanded.
      return provider.interactionFinished(
        req,
        res,
        { error: 'unmet_authentication_requirements', error_description: `the demo agent signed in at ${acr}` },
        { mergeWithLastSubmission: false },
      );
    }
    const grantId = await grantFor(provider, interaction, account.sub);
    return provider.interactionFinished(
      req,
      res,
      {
        login: { accountId: account.sub, acr, amr: secondFactor ? profile.amr.withFactor : profile.amr.withoutFactor, remember: false },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false },
    );
  }

  function handle(name: DemoIdpName, req: IncomingMessage, res: ServerResponse): void {
    const base = DEMO_IDP_PATHS[name];
    const original = req.url ?? base;
    let rest = original.slice(base.length);
    if (!rest.startsWith('/')) rest = `/${rest}`;
    const pathname = rest.split('?')[0] ?? '/';
    const interaction = INTERACTION.exec(pathname);
    if (interaction?.[1]) {
      interact(name, req, res, interaction[1], interaction[2] !== undefined).catch((error: unknown) => {
        deps.logger.error({ err: error, idp: name }, 'demo identity provider interaction failed');
        const locale = localeOf(req.headers);
        if (!res.headersSent) send(res, 500, renderErrorPage(locale, 'ui.demoIdp.error.server'), locale, pageCsp([]));
        else res.end();
      });
      return;
    }
    const url = publicUrl();
    // oidc-provider builds its URLs from the request: make them the public URL's, whatever the
    // client sent, and let it find its mount path from originalUrl.
    req.headers.host = url.host;
    req.headers['x-forwarded-host'] = url.host;
    req.headers['x-forwarded-proto'] = url.protocol.replace(':', '');
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = `${publicPath()}${original}`;
    req.url = rest;
    mounted(name).callback(req, res);
  }

  for (const name of ['fr', 'qc'] as const) {
    app.register(async (scope) => {
      // oidc-provider and the login form read their bodies from the raw request: Fastify must not.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
      for (const url of [DEMO_IDP_PATHS[name], `${DEMO_IDP_PATHS[name]}/*`]) {
        scope.route({
          method: [...METHODS],
          url,
          schema: { hide: true },
          handler: (request, reply) => {
            reply.hijack();
            handle(name, request.raw, reply.raw);
          },
        });
      }
    });
  }

  return { issuer };
}
