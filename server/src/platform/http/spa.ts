import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Prefixes that belong to the server, never to the SPA's client-side router. */
const SERVER_PREFIXES = ['/api', '/auth', '/ai', '/collab', '/demo', '/.well-known', '/healthz', '/readyz', '/metrics', '/oidc', '/issuers', '/credentials', '/p' /* public share pages (helper S) */];

export function isSpaPath(url: string): boolean {
  const pathname = url.split('?')[0] ?? '/';
  if (SERVER_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) return false;
  // A path with a file extension is a missing asset, not a page.
  return !/\.[a-z0-9]{1,8}$/i.test(pathname);
}

/**
 * Serves the built web app: hashed assets cached for a year, index.html never cached so that a
 * new release is picked up at the next navigation.
 */
export async function registerSpa(app: FastifyInstance, webDist: string): Promise<void> {
  if (!existsSync(path.join(webDist, 'index.html'))) {
    throw new Error(`The web app is not built (${webDist}/index.html is missing): run \`npm run build -w web\`.`);
  }
  await app.register(fastifyStatic, {
    root: webDist,
    wildcard: false,
    index: false,
    setHeaders: (res, filePath) => {
      if (filePath.includes(`${path.sep}assets${path.sep}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
      else res.header('cache-control', 'no-cache');
    },
  });
  // With `wildcard: false` only files present at start are routed; `/` needs its own route.
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.type('text/html; charset=utf-8').sendFile('index.html'));
}
