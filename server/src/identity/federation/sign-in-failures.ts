/**
 * Why a sign-in through an upstream failed, from openid-client's (oauth4webapi's) error: a stable
 * reason for the audit log (`sign_in.failed`), and the error page the agent sees. Reasons are
 * fixed words, never a token, a code or text the upstream chose.
 */
export interface SignInFailure {
  reason: string;
  /** Error slug of the sign-in page (`/connexion?erreur=<slug>`). */
  slug: 'sign_in_failed' | 'sign_in_upstream_unavailable';
  status: number;
}

const CLAIM_REASONS: Record<string, string> = {
  iss: 'issuer_mismatch',
  aud: 'audience_mismatch',
  azp: 'audience_mismatch',
  nonce: 'nonce_mismatch',
  sub: 'subject_mismatch',
};

interface OAuthLikeError {
  code?: string;
  name?: string;
  message?: string;
  error?: string;
  cause?: { claim?: string; code?: string } | unknown;
}

const refused = (reason: string): SignInFailure => ({ reason, slug: 'sign_in_failed', status: 400 });
const unavailable = (reason: string): SignInFailure => ({ reason, slug: 'sign_in_upstream_unavailable', status: 502 });

export function classifySignInError(error: unknown): SignInFailure {
  const outer = (error ?? {}) as OAuthLikeError;
  // openid-client wraps oauth4webapi's error (which says what exactly failed) in a ClientError
  // with the same code and a generic message.
  const inner = outer.name === 'ClientError' && typeof outer.cause === 'object' && outer.cause !== null ? (outer.cause as OAuthLikeError) : null;
  const e: OAuthLikeError = inner ? { ...outer, code: outer.code ?? inner.code, message: inner.message, cause: inner.cause } : outer;
  if (inner?.name === 'TimeoutError' || outer.code === 'OAUTH_TIMEOUT' || outer.code === 'OAUTH_ABORT') return unavailable('upstream_timeout');
  if (outer.name === 'ClientError' && inner?.name === 'TypeError') return unavailable('upstream_unreachable');
  const message = typeof e.message === 'string' ? e.message : '';
  const claim = typeof e.cause === 'object' && e.cause !== null && 'claim' in e.cause ? String((e.cause as { claim: unknown }).claim) : '';
  switch (e.code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      return refused(CLAIM_REASONS[claim] ?? 'claim_mismatch');
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return refused(claim === 'exp' ? 'token_expired' : claim === 'nbf' ? 'token_not_yet_valid' : 'token_too_old');
    case 'OAUTH_INVALID_RESPONSE': {
      if (message.includes('"alg"')) return refused('alg_not_allowed');
      if (message.includes('signature')) return refused('bad_signature');
      const missing = /JWT "(\w{1,20})" .*claim missing/.exec(message);
      if (missing) return refused(`${missing[1]}_missing`);
      if (message.includes('state')) return refused('state_mismatch');
      return refused('invalid_response');
    }
    case 'OAUTH_KEY_SELECTION_FAILED':
      return refused('unknown_signing_key');
    case 'OAUTH_RESPONSE_IS_NOT_JSON':
    case 'OAUTH_PARSE_ERROR':
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
    case 'OAUTH_INVALID_SERVER_METADATA':
    case 'OAUTH_MISSING_SERVER_METADATA':
      return unavailable('upstream_garbage');
    case 'OAUTH_RESPONSE_BODY_ERROR':
      // An RFC 6749 error from the token endpoint (invalid_grant: a code used twice…).
      return refused(`upstream_error_${/^[a-z_]{1,40}$/.test(e.error ?? '') ? e.error : 'other'}`);
    case 'OAUTH_UNSUPPORTED_OPERATION':
      return refused('unsupported_response');
    default:
      break;
  }
  if (e.name === 'ClientKeyError') return unavailable('client_key_unusable');
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return unavailable('upstream_timeout');
  if (e.name === 'TypeError' && /fetch failed/i.test(message)) return unavailable('upstream_unreachable');
  if (e.name === 'SyntaxError') return unavailable('upstream_garbage');
  return refused('protocol_error');
}
