import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { findFederatedPrincipal, findSessionsToEnd, isLogoutTokenUsed, rememberLogoutToken } from './federation.repo.ts';
import type { FederationDeps } from './sign-in.ts';

/**
 * Back-channel logout received from an upstream federation (OpenID Connect Back-Channel Logout
 * 1.0, §2.6): the federation POSTs a signed logout token when the agent signs out there; Entente
 * verifies it and ends the matching sessions. Every refusal is audited with its reason, never
 * with the token.
 */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** A logout token older than this (by its iat) is refused; its jti is remembered as long. */
const MAX_AGE_S = 300;
const CLOCK_TOLERANCE_S = 30;
const MAX_TOKEN_LENGTH = 16 * 1024;

export class LogoutTokenRefused extends Error {
  override name = 'LogoutTokenRefused';
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

/**
 * The logout could not be processed for a reason that may pass (the federation's keys out of
 * reach): not the token's fault, so not a 400 — the federation may send it again.
 */
export class LogoutNotProcessed extends Error {
  override name = 'LogoutNotProcessed';
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.reason = reason;
  }
}

export async function receiveBackchannelLogout(
  deps: Pick<FederationDeps, 'stores' | 'audit' | 'sessions' | 'clients' | 'upstreams'>,
  upstreamName: string,
  logoutToken: string | undefined,
  meta: { requestId: string; now?: Date },
): Promise<{ ended: number }> {
  const now = meta.now ?? new Date();
  try {
    const upstream = deps.upstreams.find((u) => u.name === upstreamName);
    if (!upstream) throw new LogoutTokenRefused('unknown_upstream');
    if (!logoutToken || logoutToken.length > MAX_TOKEN_LENGTH) throw new LogoutTokenRefused('missing_logout_token');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(logoutToken);
    } catch {
      throw new LogoutTokenRefused('malformed_token');
    }
    // Explicit typing (§2.4) where the federation uses it; an ID token (typ JWT) is told apart by
    // the events claim and the absence of nonce below.
    if (header.typ !== undefined && (typeof header.typ !== 'string' || !['logout+jwt', 'jwt'].includes(header.typ.toLowerCase()))) {
      throw new LogoutTokenRefused('wrong_typ');
    }
    let keys: Awaited<ReturnType<FederationDeps['clients']['remoteKeys']>>;
    // The issuer the federation's discovery document gave (the one its tokens carry), not the
    // configured string: discovery accepts `https://idp.example/` for `https://idp.example`.
    let issuer: string;
    try {
      issuer = (await deps.clients.get(upstream)).serverMetadata().issuer;
      keys = await deps.clients.remoteKeys(upstream);
    } catch (error) {
      throw new LogoutNotProcessed('upstream_keys_unavailable', { cause: error });
    }
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(logoutToken, keys, {
        algorithms: [upstream.idTokenSigningAlg],
        issuer,
        audience: upstream.clientId,
        maxTokenAge: MAX_AGE_S,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['iat', 'exp', 'jti', 'events'],
        currentDate: now,
      }));
    } catch (error) {
      // Fetching the keys failed (timeout, refused, not a key set): the token was not judged.
      if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError) || error.code === 'ERR_JOSE_GENERIC') {
        throw new LogoutNotProcessed('upstream_keys_unavailable', { cause: error });
      }
      throw new LogoutTokenRefused(verificationReason(error));
    }
    const events = claims.events;
    if (typeof events !== 'object' || events === null || Array.isArray(events)) throw new LogoutTokenRefused('no_logout_event');
    const event = (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT];
    if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new LogoutTokenRefused('no_logout_event');
    if ('nonce' in claims) throw new LogoutTokenRefused('nonce_present');
    const sid = typeof claims.sid === 'string' && claims.sid.length <= 255 ? claims.sid : null;
    const sub = typeof claims.sub === 'string' && claims.sub.length <= 255 ? claims.sub : null;
    if ((claims.sid !== undefined && sid === null) || (claims.sub !== undefined && sub === null)) throw new LogoutTokenRefused('malformed_claims');
    if (sid === null && sub === null) throw new LogoutTokenRefused('no_sid_nor_sub');
    const jti = claims.jti;
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 255) throw new LogoutTokenRefused('malformed_claims');
    const iat = claims.iat as number;
    if (await isLogoutTokenUsed(deps.stores.control.db, upstream.name, jti, now)) throw new LogoutTokenRefused('replayed_jti');

    // A subject Entente never saw: nothing to end, and that is a success (§2.8).
    const principalId = sub === null ? null : ((await findFederatedPrincipal(deps.stores.control.db, upstream.name, sub)) ?? undefined);
    const sessions =
      principalId === undefined
        ? []
        : await findSessionsToEnd(deps.stores.control.db, { upstream: upstream.name, sid, principalId }, now);
    let ended = 0;
    for (const session of sessions) {
      const done = await deps.sessions.end({
        sessionId: session.sessionId,
        principalId: session.principalId,
        reason: 'upstream_backchannel_logout',
        jurisdiction: session.homeJurisdiction,
      });
      if (done) ended++;
    }
    // Remembered only once every session is ended: if ending one fails, the federation's retry
    // of the same token must not look like a replay. Two copies of one token racing here both end
    // the same sessions, which is harmless; a later copy is refused.
    await rememberLogoutToken(deps.stores.control.db, upstream.name, jti, new Date((iat + MAX_AGE_S + CLOCK_TOLERANCE_S) * 1000), now);
    await deps.audit.record({
      action: 'federation.backchannel_logout.accepted',
      outcome: 'success',
      resource: { type: 'upstream', id: upstream.name },
      requestId: meta.requestId,
      details: { sessionsEnded: ended, by: sid !== null ? 'sid' : 'sub' },
    });
    return { ended };
  } catch (error) {
    const reason = error instanceof LogoutTokenRefused || error instanceof LogoutNotProcessed ? error.reason : 'internal_error';
    await deps.audit.record({
      action: 'federation.backchannel_logout.refused',
      outcome: 'failure',
      resource: { type: 'upstream', id: upstreamName.slice(0, 60) },
      requestId: meta.requestId,
      details: { reason },
    });
    throw error;
  }
}

/** Why jose refused the token, as a stable reason for the audit (never the token itself). */
function verificationReason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iat') return error.reason === 'missing' ? 'missing_iat' : 'stale_or_future_iat';
    return `invalid_claim_${error.claim.replace(/[^a-z_]/gi, '').slice(0, 20)}`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'malformed_token';
  return 'invalid_token';
}
