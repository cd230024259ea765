import { ConfigError, loadConfig } from '../config.ts';
import { readClientKey } from '../identity/federation/client-keys.ts';
import { configuredUpstreams, type Upstream } from '../identity/federation/upstream.ts';
import { loadServerSecret } from '../platform/secret.ts';
import { type CheckLine, printCheck, say } from './output.ts';

/**
 * `entente idp check NAME`: fetches an upstream federation's discovery document and says what
 * would stop sign-in through it (wrong issuer, no PKCE, an unsupported client authentication, a
 * scope, claim or acr level it does not offer, unreachable keys). `entente idp list` names them.
 */
export async function idp(args: string[]): Promise<number> {
  const [verb, name] = args;
  let upstreams: Upstream[];
  let allowHttp: boolean;
  try {
    const config = loadConfig();
    allowHttp = !config.production;
    // The same list the server builds (with the server's secret, as `npm start` reads or creates it).
    upstreams = configuredUpstreams(config, loadServerSecret(config));
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    return 1;
  }
  if (verb === 'list') {
    for (const u of upstreams) console.log(`${u.name.padEnd(16)} ${u.jurisdiction}  ${u.issuer}  ${u.emailDomains.join(', ')}`);
    return 0;
  }
  if (verb !== 'check' || !name) {
    console.error(say('Usage : npm run entente -- idp check NOM | idp list', 'Usage: npm run entente -- idp check NAME | idp list'));
    return 2;
  }
  const upstream = upstreams.find((u) => u.name === name);
  if (!upstream) {
    console.error(say(`Fédération inconnue : ${name}. Connues : ${upstreams.map((u) => u.name).join(', ')}`, `Unknown federation: ${name}. Known: ${upstreams.map((u) => u.name).join(', ')}`));
    return 2;
  }
  const lines = await checkUpstream(upstream, { allowHttp });
  for (const line of lines) printCheck(line);
  const failed = lines.filter((l) => l.ok === false).length;
  console.log(failed === 0 ? say('\nTout est en ordre.', '\nEverything is in order.') : say(`\n${failed} problème(s).`, `\n${failed} problem(s).`));
  return failed === 0 ? 0 : 1;
}

type Discovery = Record<string, unknown>;

export async function checkUpstream(upstream: Upstream, options: { allowHttp: boolean }): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const add = (ok: CheckLine['ok'], label: string, detail: string, fix?: string) => lines.push({ ok, label, detail, ...(fix ? { fix } : {}) });
  if (upstream.clientAuth === 'private_key_jwt') {
    try {
      const key = readClientKey(upstream);
      add(true, say('Clé du client', 'Client key'), `kid ${key.kid}, ${key.alg}`);
    } catch (error) {
      add(false, say('Clé du client', 'Client key'), (error as Error).message,
        say('une clé privée PEM ou JWK JSON, lisible par le seul utilisateur du serveur (chmod 600)', 'a PEM or JWK JSON private key readable by the server’s user only (chmod 600)'));
    }
  }
  const url = `${upstream.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let discovery: Discovery;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    discovery = (await response.json()) as Discovery;
    add(true, say('Découverte', 'Discovery'), url);
  } catch (error) {
    add(false, say('Découverte', 'Discovery'), `${url}: ${(error as Error).message}`,
      upstream.demo
        ? say('les fournisseurs de démo tournent dans Entente : lancez « npm start » d’abord', 'the demo providers run inside Entente: start it with "npm start" first')
        : say('vérifiez l’issuer et le réseau vers la fédération', 'check the issuer and the network path to the federation'));
    return lines;
  }
  const list = (key: string) => (Array.isArray(discovery[key]) ? (discovery[key] as unknown[]).map(String) : null);
  add(discovery.issuer === upstream.issuer, 'Issuer', String(discovery.issuer), say(`l’issuer configuré doit être exactement « ${String(discovery.issuer)} »`, `the configured issuer must be exactly "${String(discovery.issuer)}"`));
  for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri']) {
    const value = typeof discovery[key] === 'string' ? (discovery[key] as string) : '';
    const https = value.startsWith('https://') || (options.allowHttp && value.startsWith('http://'));
    add(Boolean(value) && https, key, value || say('absent', 'missing'), say('la fédération doit publier ce point d’accès en https', 'the federation must publish this endpoint over https'));
  }
  const supports = (key: string, wanted: string[], label: string, required: boolean) => {
    const offered = list(key);
    if (!offered) {
      add(required ? false : 'skipped', label, say(`non publié (${key})`, `not published (${key})`));
      return;
    }
    const missing = wanted.filter((w) => !offered.includes(w));
    add(missing.length === 0, label, missing.length === 0 ? wanted.join(', ') : say(`non offert : ${missing.join(', ')}`, `not offered: ${missing.join(', ')}`),
      say(`retirez-les de la configuration de « ${upstream.name} » ou demandez-les à la fédération`, `remove them from "${upstream.name}"'s configuration or ask the federation for them`));
  };
  supports('response_types_supported', ['code'], 'response_type code', true);
  supports('code_challenge_methods_supported', ['S256'], 'PKCE S256', false);
  supports('token_endpoint_auth_methods_supported', [upstream.clientAuth], say('Authentification du client', 'Client authentication'), false);
  supports('id_token_signing_alg_values_supported', [upstream.idTokenSigningAlg], say('Signature des ID tokens', 'ID token signature'), false);
  supports('scopes_supported', upstream.scopes, 'Scopes', false);
  supports('claims_supported', Object.values(upstream.claims).filter((c): c is string => Boolean(c)), 'Claims', false);
  supports('acr_values_supported', Object.keys(upstream.acr), say('Niveaux (acr)', 'Levels (acr)'), false);
  if (upstream.userinfoSigned) supports('userinfo_signing_alg_values_supported', ['RS256'], say('Userinfo signé', 'Signed userinfo'), true);
  add(typeof discovery.end_session_endpoint === 'string' ? true : 'skipped', say('Déconnexion', 'Logout'),
    typeof discovery.end_session_endpoint === 'string' ? String(discovery.end_session_endpoint) : say('pas de end_session_endpoint : la déconnexion reste locale', 'no end_session_endpoint: sign-out stays local'));
  if (typeof discovery.jwks_uri === 'string') {
    try {
      const jwks = (await (await fetch(discovery.jwks_uri, { signal: AbortSignal.timeout(5000) })).json()) as { keys?: { use?: string }[] };
      const signing = (jwks.keys ?? []).filter((k) => k.use === undefined || k.use === 'sig');
      add(signing.length > 0, 'JWKS', say(`${signing.length} clé(s) de signature`, `${signing.length} signing key(s)`));
    } catch (error) {
      add(false, 'JWKS', (error as Error).message, say('les clés de la fédération doivent être joignables', 'the federation’s keys must be reachable'));
    }
  }
  return lines;
}
