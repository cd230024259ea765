import * as client from 'openid-client';
import type { Upstream } from './upstream.ts';

/**
 * openid-client configurations per upstream: discovery once, then cached (with the JWKS that
 * openid-client keeps and refreshes on unknown key ids, i.e. upstream key rotation). Rediscovered
 * after an hour so that endpoint changes are picked up.
 */
const TTL_MS = 3_600_000;

export class UpstreamClients {
  readonly #cache = new Map<string, { config: client.Configuration; at: number }>();
  readonly #allowHttp: boolean;
  constructor(options: { allowHttp: boolean }) {
    this.#allowHttp = options.allowHttp;
  }

  async get(upstream: Upstream): Promise<client.Configuration> {
    const cached = this.#cache.get(upstream.name);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.config;
    const auth =
      upstream.clientAuth === 'client_secret_post'
        ? client.ClientSecretPost(upstream.clientSecret)
        : client.ClientSecretBasic(upstream.clientSecret);
    const issuer = new URL(upstream.issuer);
    const insecure = issuer.protocol === 'http:';
    if (insecure && !this.#allowHttp) throw new Error(`upstream ${upstream.name}: http issuers are refused in production`);
    const config = await client.discovery(
      issuer,
      upstream.clientId,
      upstream.userinfoSigned ? { userinfo_signed_response_alg: 'RS256' } : undefined,
      auth,
      { ...(insecure ? { execute: [client.allowInsecureRequests] } : {}), timeout: 10 },
    );
    this.#cache.set(upstream.name, { config, at: Date.now() });
    return config;
  }
}
