import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config } from '../../config.ts';
import { AppError } from '../errors.ts';

export interface HttpMetrics {
  registry: Registry;
}

/**
 * Prometheus metrics at /metrics: process metrics and a request-duration histogram by route
 * pattern (never by raw URL, which would leak ids and explode cardinality). In production the
 * operator presents ENTENTE_METRICS_TOKEN as a bearer token.
 */
export function registerMetrics(app: FastifyInstance, config: Config): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'entente_' });
  const duration = new Histogram({
    name: 'entente_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!hasOperatorToken(request, config)) {
      throw new AppError('unauthenticated', { headers: { 'www-authenticate': 'Bearer realm="metrics"' } });
    }
    reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
  return { registry };
}

/**
 * Whether the request may see operator-only details (/metrics, /readyz details): always when no
 * ENTENTE_METRICS_TOKEN is configured (development; production requires one), otherwise only
 * with that bearer token.
 */
export function hasOperatorToken(request: FastifyRequest, config: Pick<Config, 'metricsToken'>): boolean {
  if (!config.metricsToken) return true;
  const sent = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${config.metricsToken}`);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
