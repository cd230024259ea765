import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/**
 * CSRF protection for cookie-authenticated requests. Two independent checks on every unsafe
 * method that carries the session cookie: the Origin (or, without it, the Referer) must be
 * present and Entente's own, and the
 * `x-csrf-token` header must hold the token derived from the session (HMAC of the session id
 * with the server secret), which a page of another site cannot read. SameSite=Lax on the cookie
 * is a third layer. Requests without the session cookie (Bearer tokens, OpenID endpoints) are not
 * subject to it: a browser never adds a bearer token by itself.
 */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfTokenFor(secret: Buffer, sessionId: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

export function checkCsrf(
  request: FastifyRequest,
  options: { secret: Buffer; publicOrigin: string; sessionId: string | null },
): void {
  if (SAFE_METHODS.has(request.method) || options.sessionId === null) return;
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  // Browsers send Origin with every unsafe method (and Referer besides): a cookie-carrying request
  // with neither comes from no page of ours, so it is refused too (attack review).
  if (origin !== options.publicOrigin) throw new AppError('csrf');
  const sent = request.headers[CSRF_HEADER];
  const expected = Buffer.from(csrfTokenFor(options.secret, options.sessionId));
  const given = typeof sent === 'string' ? Buffer.from(sent) : null;
  // Compare bytes, not characters: a non-ASCII header of the right length in characters would
  // make timingSafeEqual throw (a 500) instead of refusing.
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('csrf');
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}
