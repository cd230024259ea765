import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { importJWK, SignJWT } from 'jose';

/**
 * A small hostile OpenID provider: a plain HTTP server with discovery, JWKS, an authorization
 * endpoint that answers at once, a token endpoint and userinfo — an honest test double of the
 * protocol for what no real provider would produce. `behaviour` says how the next token answer
 * misbehaves; `honest` gives a valid answer (so a refusal is the broker's doing, not the double's).
 * Under `/slow` every request hangs (a discovery that times out).
 */
export const HOSTILE_BEHAVIOURS = [
  'honest',
  'wrong_issuer',
  'wrong_audience',
  'alg_none',
  'hs256_with_public_key',
  'expired',
  'bad_signature',
  'missing_nonce',
  'wrong_nonce',
  'acr_low',
  'acr_missing',
  'garbage_html',
  'garbage_json',
  'hang',
] as const;
export type HostileBehaviour = (typeof HOSTILE_BEHAVIOURS)[number];

export interface HostileIdp {
  issuer: string;
  /** An issuer on the same server whose every answer hangs. */
  slowIssuer: string;
  behaviour: HostileBehaviour;
  clientId: string;
  upstreamConfig(overrides?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export const HOSTILE_AGENT = {
  sub: 'hostile-agent-1',
  given_name: 'Alex',
  usual_name: 'Hostile',
  email: 'alex.hostile@hostile.demo-gouv-fr.test',
  // The first French demo organisation's SIRET: known to Entente.
  siret: '11000000100013',
  organization_label: 'Organisation de démonstration',
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startHostileIdp(): Promise<HostileIdp> {
  const server = http.createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}/op`;
  const kid = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = await importJWK({ ...privateKey.export({ format: 'jwk' }), alg: 'RS256' }, 'RS256');
  const otherKey = await importJWK({ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), alg: 'RS256' }, 'RS256');
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string }>();

  const idp: HostileIdp = {
    issuer,
    slowIssuer: `${origin}/slow`,
    behaviour: 'honest',
    clientId: 'entente-hostile',
    upstreamConfig: (overrides = {}) => ({
      name: 'hostile',
      label: { 'fr-FR': 'Fournisseur hostile (test)', en: 'Hostile provider (test)' },
      issuer,
      clientId: 'entente-hostile',
      clientSecret: 'hostile-secret-0123456789',
      clientAuth: 'client_secret_post',
      scopes: ['openid', 'email'],
      jurisdiction: 'FR',
      emailDomains: ['hostile.demo-gouv-fr.test'],
      claims: { givenName: 'given_name', familyName: 'usual_name', email: 'email', organisationId: 'siret', organisationLabel: 'organization_label' },
      acr: { eidas1: 'low', eidas2: 'substantial' },
      timeoutSeconds: 2,
      ...overrides,
    }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function idToken(nonce: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const b = idp.behaviour;
    const claims: Record<string, unknown> = {
      iss: b === 'wrong_issuer' ? 'https://evil.example/op' : issuer,
      aud: b === 'wrong_audience' ? 'someone-else' : idp.clientId,
      iat: b === 'expired' ? now - 7200 : now,
      exp: b === 'expired' ? now - 3600 : now + 300,
      auth_time: now,
      ...(b === 'missing_nonce' ? {} : { nonce: b === 'wrong_nonce' ? randomBytes(32).toString('base64url') : nonce }),
      ...(b === 'acr_missing' ? {} : { acr: b === 'acr_low' ? 'eidas1' : 'eidas2' }),
      ...HOSTILE_AGENT,
    };
    if (b === 'alg_none') return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    if (b === 'hs256_with_public_key') {
      // The classic confusion attack: HMAC keyed with the provider's public key, which anyone has.
      const secret = new TextEncoder().encode(publicKey.export({ type: 'spki', format: 'pem' }) as string);
      return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' }).sign(secret);
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(b === 'bad_signature' ? otherKey : signingKey);
  }

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/slow')) return; // never answers
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        switch (url.pathname) {
          case '/op/.well-known/openid-configuration':
            return json(res, 200, {
              issuer,
              authorization_endpoint: `${issuer}/authorize`,
              token_endpoint: `${issuer}/token`,
              userinfo_endpoint: `${issuer}/userinfo`,
              jwks_uri: `${issuer}/jwks`,
              response_types_supported: ['code'],
              subject_types_supported: ['public'],
              // A hostile provider advertises weak algorithms: the broker must not follow it.
              id_token_signing_alg_values_supported: ['RS256', 'HS256', 'none'],
              code_challenge_methods_supported: ['S256'],
              token_endpoint_auth_methods_supported: ['client_secret_post'],
              claims_parameter_supported: true,
            });
          case '/op/jwks':
            return json(res, 200, { keys: [publicJwk] });
          case '/op/authorize': {
            const code = randomBytes(24).toString('base64url');
            codes.set(code, { nonce: url.searchParams.get('nonce') ?? '' });
            const back = new URL(url.searchParams.get('redirect_uri') ?? '');
            back.searchParams.set('code', code);
            back.searchParams.set('state', url.searchParams.get('state') ?? '');
            res.writeHead(302, { location: back.href });
            return res.end();
          }
          case '/op/token': {
            const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
            const grant = codes.get(form.get('code') ?? '');
            if (idp.behaviour === 'hang') return; // the socket stays open until the client gives up
            if (idp.behaviour === 'garbage_html') {
              res.writeHead(200, { 'content-type': 'text/html' });
              return res.end('<html><body>Maintenance en cours</body></html>');
            }
            if (idp.behaviour === 'garbage_json') {
              res.writeHead(200, { 'content-type': 'application/json' });
              return res.end('{"access_token": "abc", ');
            }
            if (!grant) return json(res, 400, { error: 'invalid_grant' });
            codes.delete(form.get('code') ?? '');
            return json(res, 200, {
              access_token: randomBytes(24).toString('base64url'),
              token_type: 'Bearer',
              expires_in: 300,
              id_token: await idToken(grant.nonce),
            });
          }
          case '/op/userinfo':
            return json(res, 200, HOSTILE_AGENT);
          default:
            return json(res, 404, { error: 'not_found' });
        }
      })().catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
  });
  return idp;
}
