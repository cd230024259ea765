/**
 * Child process of the oidc-token bench: the baseline, a bare oidc-provider 9 on node:http with
 * the configuration of Entente's provider (server/src/identity/provider/provider.ts): code + PKCE
 * (S256, required), pairwise subjects (HMAC-SHA256), the same scopes and claims, refresh tokens
 * with rotation, RS256 and ES256 keys, introspection, revocation, back-channel and RP-initiated
 * logout, the same lifetimes. What it does not have is what Entente adds around the library:
 * storage in PostgreSQL/PGlite (here oidc-provider's own in-memory store), clients and keys read
 * from the database and sealed, Fastify, rate limits, the Entente session check, audit.
 * Its interaction signs in a fixed account and consents to everything, without a page.
 *
 * With BENCH_OIDC_STORAGE=entente it stores in Entente's control plane instead (the same Kysely
 * adapter, on the PGlite or PostgreSQL that ENTENTE_DATA_DIR / DATABASE_URL name): the bare
 * library on Entente's storage, which tells how much of the difference is the storage.
 */
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { loadConfig } from '../../server/src/config.ts';
import { migrateStores, openStores } from '../../server/src/platform/db/stores.ts';
import { ACR_VALUES } from '../../server/src/identity/provider/acr.ts';
import { createKyselyAdapterClass } from '../../server/src/identity/provider/adapter.ts';
import { SCOPE_CLAIMS } from '../../server/src/identity/provider/account.ts';
import { PROVIDER_SCOPES } from '../../server/src/identity/provider/clients.ts';
import { Provider } from '../../server/src/identity/provider/oidc.ts';
import { OIDC_ROUTES, TTL } from '../../server/src/identity/provider/provider.ts';
import type { OidcBenchReady } from './oidc-bench-client.ts';

const port = Number(process.env.PORT);
const issuer = `http://localhost:${port}`;
const redirectUri = 'http://127.0.0.1:9/callback';
const clientId = 'bench';
const clientSecret = randomBytes(32).toString('base64url');
const pairwise = randomBytes(32);

const keys = [
  { alg: 'RS256', key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
  { alg: 'ES256', key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey },
].map(({ alg, key }, i) => ({ ...key.export({ format: 'jwk' }), kid: `k${i}`, alg, use: 'sig' }));

const claims = {
  given_name: 'Camille',
  family_name: 'Martin',
  name: 'Camille Martin',
  locale: 'fr-FR',
  email: 'camille.martin@numerique.demo-gouv-fr.test',
  email_verified: true,
  organization: { id: '019ac9f0-0000-7000-8000-00000000f001', name: 'Direction du numérique (démo)' },
  jurisdiction: 'FR',
};

const onEntenteStorage = process.env.BENCH_OIDC_STORAGE === 'entente';
const stores = onEntenteStorage ? await openStores(loadConfig(process.env)) : null;
if (stores) await migrateStores(stores);

const bareClient = {
  client_id: clientId,
  client_secret: clientSecret,
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  subject_type: 'pairwise',
  scope: 'openid profile email offline_access',
};

const provider = new Provider(issuer, {
  ...(stores ? { adapter: createKyselyAdapterClass(stores.control.db, async (id) => (id === clientId ? bareClient : undefined)) } : {}),
  ...(stores ? {} : { clients: [bareClient] }),
  jwks: { keys },
  cookies: { keys: [randomBytes(32).toString('base64url')], long: { httpOnly: true, sameSite: 'lax' }, short: { httpOnly: true, sameSite: 'lax' } },
  routes: OIDC_ROUTES,
  scopes: [...PROVIDER_SCOPES],
  claims: { acr: null, amr: null, auth_time: null, sid: null, ...SCOPE_CLAIMS },
  acrValues: [...ACR_VALUES],
  subjectTypes: ['pairwise'],
  pairwiseIdentifier: async (_ctx: unknown, accountId: string, client: { sectorIdentifier: string }) =>
    createHmac('sha256', pairwise).update(`${client.sectorIdentifier}\0${accountId}`).digest('base64url'),
  responseTypes: ['code'],
  pkce: { required: () => true },
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  clientDefaults: { id_token_signed_response_alg: 'RS256', grant_types: ['authorization_code'], response_types: ['code'] },
  allowOmittingSingleRegisteredRedirectUri: false,
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'], userinfoSigningAlgValues: ['RS256', 'ES256'] },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    pushedAuthorizationRequests: { enabled: false },
    userinfo: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    registration: { enabled: false },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, ...claims }) }),
  issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }, code: { scopes: Set<string> }) =>
    client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  rotateRefreshToken: true,
  interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  ttl: TTL,
});

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (!req.url?.startsWith('/interaction/')) {
    callback(req, res);
    return;
  }
  // Signs in a fixed account and grants what was asked: the flow's page, without the page.
  void (async () => {
    const details = await provider.interactionDetails(req, res);
    const accountId = '019ac9f0-0000-7000-8000-0000000a0001';
    const grant = new provider.Grant({ accountId, clientId });
    const scope = (details as unknown as { params: { scope?: string } }).params.scope ?? 'openid';
    grant.addOIDCScope(scope);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId, acr: 'eidas1' }, consent: { grantId } }, { mergeWithLastSubmission: false });
  })().catch((error: unknown) => {
    res.statusCode = 500;
    res.end(String(error));
  });
});
server.listen(port, '127.0.0.1', () => {
  const ready: OidcBenchReady = {
    url: `${issuer}/.well-known/openid-configuration`,
    headers: {},
    expect: { issuer },
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    cookies: [''],
  };
  process.send!(ready);
});
const stop = () => server.close(() => void (stores ? stores.close() : Promise.resolve()).finally(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('disconnect', stop);
