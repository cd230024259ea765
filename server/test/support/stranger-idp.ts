import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createMemoryAdapter, type OidcInteraction, type OidcProvider, Provider } from '../../src/identity/federation/demo-idps/oidc-provider.ts';

/**
 * A third upstream configured unlike the two demo ones, as a stranger's federation would be: a
 * real OpenID provider (oidc-provider) on its own port, its own claim names (`first_name`,
 * `last_name`, `mail`, `org_id`, `org_name`), its own levels (`loa-1`, `loa-2`), ID tokens signed
 * ES256, and Entente authenticating with private_key_jwt (its public key fetched from Entente's
 * `/auth/jwks`). Back-channel logout to Entente is on. No login page: the test says who signs in
 * next (`nextLogin`), the provider logs them in when the browser arrives.
 */
export interface StrangerAccount {
  sub: string;
  claims: { first_name: string; last_name: string; mail: string; org_id: string; org_name: string };
}

export interface StrangerIdp {
  issuer: string;
  /** Who the next browser that reaches the provider is, and at which level. */
  nextLogin: { sub: string; acr: 'loa-1' | 'loa-2' };
  /** What its own `mail_verified` claim says of the address (absent when undefined). */
  mailVerified: boolean | 'true' | 'false' | undefined;
  /** Back-channel logouts sent to Entente: the status Entente answered (200, 400…). */
  backchannelResults: { ok: boolean; error?: string }[];
  provider: OidcProvider;
  /** The provider's ES256 signing key (private JWK), to forge what it would sign. */
  signingJwk: Record<string, unknown> & { kid: string };
  /** The upstream entry for ENTENTE_CONFIG (`identityProviders`). */
  upstreamConfig(keyFile: string, kid: string): Record<string, unknown>;
  close(): Promise<void>;
}

export const STRANGER_ACCOUNTS: StrangerAccount[] = [
  {
    sub: 'etr-7f3a9c',
    claims: { first_name: 'Zoé', last_name: 'Lavoie', mail: 'zoe.lavoie@etranger.demo-gouv-qc.test', org_id: '1170000009', org_name: 'Office étranger de test' },
  },
  {
    // Same email as the Québec demo provider's Émilie Tremblay: a different federation, a different subject.
    sub: 'etr-0b61e4',
    claims: { first_name: 'Émilie', last_name: 'Tremblay', mail: 'emilie.tremblay@mcn.demo-gouv-qc.test', org_id: '8800000001', org_name: 'MCN' },
  },
  {
    // An agent registered in Entente before her first sign-in (a profile waiting under her email).
    sub: 'etr-5d20a8',
    claims: { first_name: 'Agnès', last_name: 'Roy', mail: 'agnes.roy@etranger.demo-gouv-qc.test', org_id: '1170000009', org_name: 'Office étranger de test' },
  },
];

/** Entente's private key for the stranger (EC P-256, JWK JSON, mode 0600) in `dir`. */
export function writeRpKey(dir: string, format: 'jwk' | 'pem' = 'jwk'): { file: string; kid: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const file = path.join(dir, format === 'jwk' ? 'stranger-rp-key.json' : 'stranger-rp-key.pem');
  writeFileSync(file, format === 'jwk' ? JSON.stringify(privateKey.export({ format: 'jwk' })) : (privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), {
    mode: 0o600,
  });
  chmodSync(file, 0o600);
  return { file, kid: `entente-rp-${randomUUID().slice(0, 8)}` };
}

export async function startStrangerIdp(ententeUrl: string, upstreamName = 'stranger'): Promise<StrangerIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ec = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: randomUUID() };
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const backchannelResults: StrangerIdp['backchannelResults'] = [];
  const provider = new Provider(issuer, {
    adapter: createMemoryAdapter(),
    clients: [
      {
        client_id: 'entente-rp',
        client_name: 'Entente',
        redirect_uris: [`${ententeUrl}/auth/callback/${upstreamName}`],
        post_logout_redirect_uris: [`${ententeUrl}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: `${ententeUrl}/auth/jwks`,
        id_token_signed_response_alg: 'ES256',
        backchannel_logout_uri: `${ententeUrl}/auth/backchannel-logout/${upstreamName}`,
        backchannel_logout_session_required: true,
      },
    ],
    jwks: { keys: [{ ...ec, alg: 'ES256', use: 'sig' }, { ...rsa, kid: randomUUID(), alg: 'RS256', use: 'sig' }] },
    claims: {
      acr: null,
      sid: null,
      auth_time: null,
      openid: ['sub'],
      identite: ['first_name', 'last_name', 'mail', 'mail_verified'],
      organisme: ['org_id', 'org_name'],
    },
    acrValues: ['loa-1', 'loa-2'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: unknown }, form: string) => {
          ctx.body = `<!doctype html><title>Logout</title>${form}`;
        },
      },
      backchannelLogout: { enabled: true },
    },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = STRANGER_ACCOUNTS.find((a) => a.sub === sub);
      if (!account) return undefined;
      const verified = () => (stranger.mailVerified === undefined ? {} : { mail_verified: stranger.mailVerified });
      return { accountId: sub, claims: async () => ({ sub, ...account.claims, ...verified() }) };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    // Entente runs on loopback in the test: lift oidc-provider's SSRF guard for its origin only.
    fetch: (url: URL | string, options: RequestInit & { dispatcher?: unknown }) =>
      globalThis.fetch(url, new URL(String(url)).origin === new URL(ententeUrl).origin ? { ...options, dispatcher: undefined } : options),
  });
  const stranger: StrangerIdp = {
    issuer,
    nextLogin: { sub: STRANGER_ACCOUNTS[0]!.sub, acr: 'loa-1' },
    mailVerified: undefined,
    backchannelResults,
    provider,
    signingJwk: ec,
    upstreamConfig: (keyFile, kid) => ({
      name: upstreamName,
      label: { 'fr-FR': 'Fédération étrangère (test)', en: 'Stranger federation (test)' },
      issuer,
      clientId: 'entente-rp',
      clientAuth: 'private_key_jwt',
      clientKey: { file: keyFile, kid },
      idTokenSigningAlg: 'ES256',
      scopes: ['openid', 'identite', 'organisme'],
      jurisdiction: 'QC',
      emailDomains: ['etranger.demo-gouv-qc.test', 'mcn.demo-gouv-qc.test'],
      claims: {
        givenName: 'first_name',
        familyName: 'last_name',
        email: 'mail',
        organisationId: 'org_id',
        organisationLabel: 'org_name',
        emailVerified: 'mail_verified',
      },
      acr: { 'loa-1': 'low', 'loa-2': 'substantial' },
      timeoutSeconds: 5,
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  provider.on('backchannel.success', () => backchannelResults.push({ ok: true }));
  provider.on('backchannel.error', (_ctx, error) => backchannelResults.push({ ok: false, error: String((error as Error).message) }));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([\w-]+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match) return callback(req, res);
    void (async () => {
      const interaction: OidcInteraction = await provider.interactionDetails(req, res);
      const accountId = interaction.session?.accountId ?? stranger.nextLogin.sub;
      const grant = new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
      grant.addOIDCScope(String(interaction.params.scope ?? 'openid'));
      grant.addOIDCClaims(['acr', 'sid']);
      const grantId = await grant.save();
      const login = interaction.prompt.name === 'login' ? { login: { accountId, acr: stranger.nextLogin.acr, amr: ['pwd'], remember: true } } : {};
      await provider.interactionFinished(req, res, { ...login, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String((error as Error).message));
    });
  });
  return stranger;
}
