import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';

/** OpenAPI 3.1 generated from the routes' zod schemas, at /api/openapi.json; a reference at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Entente API',
        version: '0.1.0',
        description:
          'API de l’espace de travail souverain France–Québec. Erreurs : RFC 9457 (application/problem+json). / ' +
          'API of the France–Québec sovereign workplace. Errors: RFC 9457 (application/problem+json).',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: config.publicUrl.href.replace(/\/$/, '') }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(config) },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          // Personal access tokens (identity/tokens.ts); the scopes are enforced in http-session.ts.
          token: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'ent_pat_…',
            description:
              'Jeton d’accès personnel (Mon compte › Jetons) : api:read pour lire, api:write pour modifier ; jamais pour les changements d’administration. / ' +
              'Personal access token (My account › Tokens): api:read reads, api:write also changes; never administrative changes.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // Swagger UI's assets are served by the plugin from the npm package, never from a CDN.
    staticCSP: true,
    uiConfig: { url: '/api/openapi.json', deepLinking: true },
  });
}

/** `__Host-` prefix in production: the cookie is then bound to this host, https and path /. */
export function sessionCookieName(config: Pick<Config, 'production'>): string {
  return config.production ? '__Host-entente_session' : 'entente_session';
}
