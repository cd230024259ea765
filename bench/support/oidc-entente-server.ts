/**
 * Child process of the oidc-token bench: the real Entente (every module, demo mode, as `npm start`
 * composes it) with one downstream service registered the way `entente oidc clients add` does,
 * and one live session per demo agent the parent signs in to that service with.
 */
import { loadConfig } from '../../server/src/config.ts';
import { createEntente } from '../../server/src/entente.ts';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { providerSealers, registerClientAs } from '../../server/src/identity/provider/index.ts';
import { sessionCookieName } from '../../server/src/platform/http/openapi.ts';
import { createLogger } from '../../server/src/platform/logger.ts';
import { stopWhenAsked } from './stop-when-asked.ts';
import type { OidcBenchReady } from './oidc-bench-client.ts';

const config = loadConfig(process.env);
const entente = await createEntente({ config, logger: createLogger(config) });
const address = await entente.listen();
const redirectUri = 'http://127.0.0.1:9/callback'; // never called: the parent reads the code from the redirect

const registered = await registerClientAs(
  { db: entente.stores.control.db, audit: entente.audit, sealer: providerSealers(entente.cells, config.oidcKeysCell).clientSecrets, allowHttp: true },
  null,
  { name: { 'fr-FR': 'Banc d’essai', en: 'Bench' }, redirectUris: [redirectUri], scopes: ['openid', 'profile', 'email', 'offline_access'] },
);
const cookies: string[] = [];
for (const agent of DEMO_AGENTS) {
  const session = await entente.sessions.create({ principalId: agent.id, homeJurisdiction: agent.jurisdiction, ip: '127.0.0.1', userAgent: 'entente-bench', authMethod: 'bench' });
  cookies.push(`${sessionCookieName(config)}=${session.token}`);
}

stopWhenAsked(() => entente.close());

const ready: OidcBenchReady = {
  url: `${address}/.well-known/openid-configuration`,
  headers: {},
  expect: { issuer: config.publicUrl.href.replace(/\/$/, '') },
  issuer: config.publicUrl.href.replace(/\/$/, ''),
  clientId: registered.clientId,
  clientSecret: registered.clientSecret,
  redirectUri,
  cookies,
};
process.send!(ready);
