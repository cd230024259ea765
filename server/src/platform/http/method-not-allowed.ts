import type { FastifyInstance, HTTPMethods } from 'fastify';
import FindMyWay from 'find-my-way';

/**
 * Fastify answers 404 for a known path with an unsupported method; clients deserve 405 and an
 * Allow header. Routes are mirrored, as they are registered, into a second router used only to
 * ask "which methods does this path accept?" when nothing matched.
 */
export function trackRoutes(app: FastifyInstance): (method: string, url: string) => string[] {
  const mirror = FindMyWay({ ignoreTrailingSlash: false });
  const noop = () => {};
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]) as HTTPMethods[];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      try {
        mirror.on(method as 'GET', route.url, noop);
      } catch {
        // Already mirrored (the same route registered under two prefixes).
      }
    }
  });
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  return (method, url) => {
    const path = url.split('?')[0] ?? '/';
    return METHODS.filter((m) => m !== method && mirror.find(m, path) !== null);
  };
}
