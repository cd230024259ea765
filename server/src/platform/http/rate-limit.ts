import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { AppError } from '../errors.ts';

/**
 * Rate limits, per client address (a flood from one address never locks out the others), shared
 * across nodes through Redis when REDIS_URL is set. Off by default: a route opts in with
 * `config: { rateLimit: LIMITS.signIn }` (sign-in, token endpoints, AI).
 */
export const LIMITS = {
  /** Starting or finishing a sign-in: generous for people, tight for scripts. */
  signIn: { max: 30, timeWindow: 60_000 },
  /** Entente's OpenID token endpoint: a service's back end, several agents a minute. */
  oidcToken: { max: 120, timeWindow: 60_000 },
  /** Entente's OpenID authorization endpoint (and its resume step), per browser address. */
  oidcAuthorize: { max: 60, timeWindow: 60_000 },
  /** Organisation administration and operations (roles, teams, members): plenty for a person, a brake on a script. */
  adminChanges: { max: 120, timeWindow: 60_000 },
} as const;

export async function registerRateLimit(
  app: FastifyInstance,
  options: { redisUrl: string | null; publicUrl: URL },
): Promise<void> {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : null;
  redis?.on('error', () => {}); // readiness reports Redis; a limiter without Redis fails open below
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => request.ip,
    // Several Entente instances may share a Redis: counters are per instance (its public URL).
    nameSpace: `entente-rl:${options.publicUrl.host}${options.publicUrl.pathname}:`,
    ...(redis ? { redis, skipOnError: true } : {}),
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AppError('rate_limited', { params: { seconds }, headers: { 'retry-after': String(seconds) } });
    },
  });
  if (redis) app.addHook('onClose', async () => redis.disconnect());
}
