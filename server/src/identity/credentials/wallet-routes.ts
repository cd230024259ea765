import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import { AppError } from '../../platform/errors.ts';
import { clientIp } from '../http-session.ts';
import type { CredentialsDeps } from './issuance.ts';
import { authorizationServerMetadata, createWalletNonce, issuerMetadata, OAuthError, redeemToken, walletCredential } from './wallet.ts';

/**
 * HTTP of the external wallet's side of OpenID4VCI (wallet.ts): the issuer's and its authorization
 * server's metadata, and, under each issuer's URL, the token, nonce and credential endpoints. These
 * speak OAuth (RFC 6749 §5.2 / OpenID4VCI §8.3.1.2 errors `{ error, error_description }`, never
 * problem+json), carry no session (the code, then the access token, authenticate), and answer
 * `Cache-Control: no-store`. Their parsers and error handler are scoped to them.
 */
const TOKEN_BODY_LIMIT = 4 * 1024;
const CREDENTIAL_BODY_LIMIT = 16 * 1024;
/** Per address: a tx_code guesser gets a few tries a minute (and five per offer in all). */
const TOKEN_LIMIT = { max: 20, timeWindow: 60_000 };
const WALLET_LIMIT = { max: 60, timeWindow: 60_000 };
const PUBLIC = { max: 600, timeWindow: 60_000 };

function sendOAuth(reply: FastifyReply, error: OAuthError): FastifyReply {
  if (error.error === 'invalid_token') {
    reply.header('www-authenticate', `Bearer error="invalid_token"${error.description ? `, error_description="${error.description.replace(/["\\]/g, '')}"` : ''}`);
  }
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .type('application/json')
    .send({ error: error.error, ...(error.description ? { error_description: error.description } : {}) });
}

export function walletRoutes(app: FastifyInstance, deps: CredentialsDeps): void {
  const meta = (request: FastifyRequest) => ({ ip: clientIp(request), requestId: request.id });
  const tags = ['credentials'];

  for (const jurisdiction of JURISDICTIONS) {
    const path = `/issuers/${jurisdiction.toLowerCase()}`;
    app.get(
      `/.well-known/openid-credential-issuer${path}`,
      { config: { rateLimit: PUBLIC }, schema: { tags, summary: `OpenID4VCI credential issuer metadata of the ${jurisdiction} issuer` } },
      async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(issuerMetadata(deps, jurisdiction)),
    );
    app.get(
      `/.well-known/oauth-authorization-server${path}`,
      { config: { rateLimit: PUBLIC }, schema: { tags, summary: `OAuth 2.0 authorization server metadata (RFC 8414) of the ${jurisdiction} issuer` } },
      async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(authorizationServerMetadata(deps, jurisdiction)),
    );
  }

  app.register(async (scope) => {
    // A wallet may be a web application on another origin: it must be able to read these answers,
    // errors included. Any origin, never with credentials — no cookie is read here (the code,
    // then the access token, authenticate), so a page elsewhere gains nothing a script outside a
    // browser would not have.
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'www-authenticate, retry-after');
    });
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: TOKEN_BODY_LIMIT }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.setErrorHandler((error, request, reply) => {
      if (error instanceof OAuthError) return sendOAuth(reply, error);
      if (error instanceof AppError && error.status === 429) {
        return reply.code(429).headers({ ...error.headers, 'cache-control': 'no-store' }).type('application/json').send({ error: 'temporarily_unavailable' });
      }
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        // Too large (413), not JSON or not a form (415), unparsable: the request is malformed.
        const code = status === 413 || status === 415 ? status : 400;
        return sendOAuth(reply, new OAuthError(request.url.endsWith('/credential') ? 'invalid_credential_request' : 'invalid_request', code));
      }
      request.log.error({ err: error }, 'wallet endpoint failed');
      return reply.code(500).header('cache-control', 'no-store').type('application/json').send({ error: 'server_error' });
    });

    for (const jurisdiction of JURISDICTIONS) {
      const path = `/issuers/${jurisdiction.toLowerCase()}`;
      for (const endpoint of ['token', 'nonce', 'credential']) {
        // The preflight of a browser wallet's request (JSON body, Authorization header).
        scope.options(`${path}/${endpoint}`, { config: { rateLimit: PUBLIC }, schema: { hide: true } }, async (_request, reply) =>
          reply
            .code(204)
            .header('access-control-allow-methods', 'POST')
            .header('access-control-allow-headers', 'authorization, content-type')
            .header('access-control-max-age', '600')
            .send(),
        );
      }
      scope.post(
        `${path}/token`,
        {
          bodyLimit: TOKEN_BODY_LIMIT,
          config: { rateLimit: TOKEN_LIMIT },
          schema: { tags, summary: `OAuth token endpoint of the ${jurisdiction} issuer: pre-authorised code + tx_code → access token (form-encoded)` },
        },
        async (request, reply) => {
          const form = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
          if (!form) throw new OAuthError('invalid_request', 400, 'the body must be application/x-www-form-urlencoded');
          const answer = await redeemToken(deps, jurisdiction, (request.body ?? {}) as Record<string, unknown>, meta(request));
          return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(answer);
        },
      );
      scope.post(
        `${path}/nonce`,
        { bodyLimit: TOKEN_BODY_LIMIT, config: { rateLimit: WALLET_LIMIT }, schema: { tags, summary: `OpenID4VCI nonce endpoint of the ${jurisdiction} issuer: a single-use c_nonce (5 minutes)` } },
        async (_request, reply) => reply.header('cache-control', 'no-store').send(await createWalletNonce(deps, jurisdiction)),
      );
      scope.post(
        `${path}/credential`,
        {
          bodyLimit: CREDENTIAL_BODY_LIMIT,
          config: { rateLimit: WALLET_LIMIT },
          schema: { tags, summary: `OpenID4VCI credential endpoint of the ${jurisdiction} issuer: access token + proof → SD-JWT VC` },
        },
        async (request, reply) => {
          const json = (request.headers['content-type'] ?? '').startsWith('application/json');
          if (!json) throw new OAuthError('invalid_credential_request', 400, 'the body must be application/json');
          const answer = await walletCredential(deps, jurisdiction, request.headers.authorization, request.body, meta(request));
          return reply.header('cache-control', 'no-store').send(answer);
        },
      );
    }
  });
}
