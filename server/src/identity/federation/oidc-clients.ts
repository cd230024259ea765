import { createRemoteJWKSet } from 'jose';
import * as client from 'openid-client';
import { type ClientKey, ClientKeyError, clientAssertionKey, readClientKey } from './client-keys.ts';
import type { Upstream } from './upstream.ts';

/**
 * openid-client configurations per upstream: discovery once, then cached (with the JWKS that
 * openid-client keeps and refreshes on unknown key ids, i.e. upstream key rotation). Rediscovered
 * after an hour so that endpoint changes are picked up.
 *
 * Every configuration verifies the signatures of ID tokens and signed userinfo against the
 * upstream's JWKS (non-repudiation checks: openid-client would otherwise trust an ID token
 * received straight from the token endpoint), accepts only the upstream's configured algorithm
 * (never `none`, never HS* keyed with a public key), and gives up after the upstream's timeout.
 */
const TTL_MS = 3_600_000;

export type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;

export class UpstreamClients {
  readonly #cache = new Map<string, { config: client.Configuration; at: number }>();
  readonly #keys = new Map<string, ClientKey>();
  readonly #remoteKeys = new Map<string, { uri: string; keys: RemoteKeys }>();
  readonly #allowHttp: boolean;
  constructor(options: { allowHttp: boolean }) {
    this.#allowHttp = options.allowHttp;
  }

  /**
   * Entente's private_key_jwt key for an upstream, read once (a bad file fails here, with a
   * message naming the file and the fix).
   */
  clientKey(upstream: Upstream): ClientKey {
    let key = this.#keys.get(upstream.name);
    if (!key) {
      key = readClientKey(upstream);
      this.#keys.set(upstream.name, key);
    }
    return key;
  }

  /** The public keys Entente signs client assertions with, for `/auth/jwks`. Reads every key file. */
  publicJwks(upstreams: readonly Upstream[]): ClientKey['publicJwk'][] {
    const byKid = new Map<string, ClientKey['publicJwk']>();
    for (const upstream of upstreams) {
      if (upstream.clientAuth !== 'private_key_jwt') continue;
      const jwk = this.clientKey(upstream).publicJwk;
      const other = byKid.get(jwk.kid);
      // Two federations may share one key, never one kid for two keys (a verifier picks by kid).
      if (other && JSON.stringify(other) !== JSON.stringify(jwk)) {
        throw new ClientKeyError(`identityProviders ${upstream.name}: clientKey.kid ${jwk.kid} already names another key / déjà pris`);
      }
      byKid.set(jwk.kid, jwk);
    }
    return [...byKid.values()];
  }

  async get(upstream: Upstream): Promise<client.Configuration> {
    const cached = this.#cache.get(upstream.name);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.config;
    const issuer = new URL(upstream.issuer);
    const insecure = issuer.protocol === 'http:';
    if (insecure && !this.#allowHttp) throw new Error(`upstream ${upstream.name}: http issuers are refused in production`);
    const config = await client.discovery(
      issuer,
      upstream.clientId,
      {
        id_token_signed_response_alg: upstream.idTokenSigningAlg,
        ...(upstream.userinfoSigned ? { userinfo_signed_response_alg: 'RS256' } : {}),
      },
      await this.#auth(upstream),
      {
        execute: [...(insecure ? [client.allowInsecureRequests] : []), client.enableNonRepudiationChecks],
        timeout: upstream.timeoutSeconds,
      },
    );
    this.#cache.set(upstream.name, { config, at: Date.now() });
    return config;
  }

  /**
   * The upstream's signing keys (from its discovered `jwks_uri`) for what openid-client does not
   * verify itself: back-channel logout tokens. jose caches them and refetches on an unknown kid.
   */
  async remoteKeys(upstream: Upstream): Promise<RemoteKeys> {
    const uri = (await this.get(upstream)).serverMetadata().jwks_uri;
    if (!uri) throw new Error(`upstream ${upstream.name}: no jwks_uri in its discovery document`);
    if (!uri.startsWith('https://') && !this.#allowHttp) throw new Error(`upstream ${upstream.name}: http jwks_uri refused in production`);
    const cached = this.#remoteKeys.get(upstream.name);
    if (cached?.uri === uri) return cached.keys;
    const keys = createRemoteJWKSet(new URL(uri), { timeoutDuration: upstream.timeoutSeconds * 1000 });
    this.#remoteKeys.set(upstream.name, { uri, keys });
    return keys;
  }

  async #auth(upstream: Upstream): Promise<client.ClientAuth> {
    switch (upstream.clientAuth) {
      case 'private_key_jwt':
        return client.PrivateKeyJwt(await clientAssertionKey(this.clientKey(upstream)));
      case 'client_secret_post':
        return client.ClientSecretPost(upstream.clientSecret);
      default:
        return client.ClientSecretBasic(upstream.clientSecret);
    }
  }
}
