/**
 * The public verifier (issue 9): anyone asks for a request (a single-use nonce, 10 minutes) and
 * sends one presentation to it; Entente checks it against the trust list (issuer + kid → key),
 * the key binding (this request's nonce and audience, freshness), the validity dates and the
 * revocation status, and answers in plain words which issuer vouches for which disclosed claims.
 * Each verification is audited in the control plane with its outcome and reason, never the claims.
 */
import { randomBytes } from 'node:crypto';
import type { CredentialType, VerificationView, VerifierRequest } from '../../../../common/src/credentials.ts';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { verifySdJwtPresentation } from './sd-jwt/index.ts';
import type { StatusChecker } from './status-check.ts';
import type { TrustResolver } from './trust-keys.ts';
import { claimVerifierRequest, findVerifierRequest, insertVerifierRequest, purgeOldVerifierRequests, recordVerifierOutcome, type VerifierRequestRow } from './verifier.repo.ts';

export const VERIFIER_REQUEST_TTL_MS = 10 * 60_000;
/** A presentation is a few kilobytes; 32 KiB leaves room for many disclosures, not for abuse. */
export const MAX_PRESENTATION_BYTES = 32 * 1024;

export interface VerifierDeps {
  stores: Stores;
  audit: AuditLog;
  publicUrl: () => URL;
  trust: TrustResolver;
  status: StatusChecker;
  /** Tests: the clock (milliseconds). */
  now?: () => number;
}

/** Claims that are the credential's machinery, not what it says about the holder. */
const TECHNICAL_CLAIMS = new Set(['iss', 'iat', 'nbf', 'exp', 'cnf', 'status', 'vct', 'vct#integrity', 'sub', 'jti', '_sd', '_sd_alg']);

const base = (deps: VerifierDeps) => deps.publicUrl().href.replace(/\/$/, '');
export const defaultAudience = (publicUrl: URL) => `${publicUrl.href.replace(/\/$/, '')}/verifier`;

export async function createVerifierRequest(deps: VerifierDeps, input: { audience?: string | undefined; language: Locale }): Promise<VerifierRequest> {
  const now = new Date(deps.now?.() ?? Date.now());
  const audience = input.audience ?? defaultAudience(deps.publicUrl());
  const db = deps.stores.control.db;
  // Old requests go as new ones come: no job needed for a table that only grows with use.
  await purgeOldVerifierRequests(db, new Date(now.getTime() - 86_400_000));
  const row = await insertVerifierRequest(db, {
    id: uuidv7(),
    nonce: randomBytes(24).toString('base64url'),
    audience,
    language: input.language,
    expires_at: new Date(now.getTime() + VERIFIER_REQUEST_TTL_MS),
  });
  return requestView(deps, row);
}

function requestView(deps: VerifierDeps, row: VerifierRequestRow): VerifierRequest {
  const verifier = `${base(deps)}/api/verifier/requests/${row.id}/presentations`;
  return {
    id: row.id,
    nonce: row.nonce,
    audience: row.audience,
    expiresAt: row.expires_at.toISOString(),
    request: JSON.stringify({ nonce: row.nonce, aud: row.audience, verifier }),
  };
}

export function credentialTypeOf(vct: string | null): CredentialType | null {
  const match = vct ? /\/credentials\/types\/(public-agent|digital-skills)$/.exec(vct) : null;
  return (match?.[1] as CredentialType | undefined) ?? null;
}

export function explain(language: Locale, reason: string | null): string {
  return formatMessage(language, reason === null ? 'credentialsVerifier.accepted' : `credentialsVerifier.reason.${reason}`);
}

/**
 * Verifies one presentation for the request `id`. The request is taken first (one statement): a
 * second presentation, even a broken first one, finds it used — a nonce serves once.
 */
export async function presentToVerifier(
  deps: VerifierDeps,
  id: string,
  presentation: string,
  meta: { requestId: string | null } = { requestId: null },
): Promise<VerificationView> {
  const db = deps.stores.control.db;
  const nowMs = deps.now?.() ?? Date.now();
  const request = await claimVerifierRequest(db, id, new Date(nowMs));
  if (!request) {
    const existing = await findVerifierRequest(db, id);
    if (!existing) throw notFound();
    if (existing.used_at) throw new AppError('verifier_request_used', { status: 409 });
    throw new AppError('verifier_request_expired', { status: 409 });
  }

  const seen: { iss: string | null } = { iss: null };
  const result = await verifySdJwtPresentation(presentation, {
    resolveIssuerKey: (iss, kid) => {
      seen.iss = iss;
      return deps.trust.resolveIssuerKey(iss, kid);
    },
    requireKeyBinding: true,
    expectedNonce: request.nonce,
    expectedAud: request.audience,
    now: Math.floor(nowMs / 1000),
    checkStatus: (reference) => {
      // Reached only after the issuer's signature verified: seen.iss is the credential's issuer.
      if (seen.iss === null) return Promise.resolve('unknown');
      return deps.status.check(seen.iss, reference);
    },
  });

  // The state a credential claims must be its issuer's: an issuer trusted as Québec's does not
  // vouch for a French agent (the trust list says which state each issuer speaks for).
  let mismatch = false;
  const identity = result.ok ? await deps.trust.identify(result.issuer) : null;
  if (result.ok && typeof result.claims.jurisdiction === 'string' && identity?.jurisdiction && result.claims.jurisdiction !== identity.jurisdiction) mismatch = true;
  const reason = result.ok ? (mismatch ? 'jurisdiction_mismatch' : null) : result.reason;
  let view: VerificationView;
  if (result.ok && !mismatch) {
    const disclosed: Record<string, unknown> = {};
    // defineProperty: a claim named `__proto__` stays a claim, not the object's prototype.
    for (const [name, value] of Object.entries(result.claims)) {
      if (!TECHNICAL_CLAIMS.has(name)) Object.defineProperty(disclosed, name, { value, enumerable: true, writable: true, configurable: true });
    }
    view = {
      ok: true,
      reason: null,
      explanation: explain(request.language, null),
      issuer: { url: result.issuer, jurisdiction: identity?.jurisdiction ?? null, name: identity?.name ?? result.issuer, trusted: identity !== null },
      vct: result.vct,
      type: credentialTypeOf(result.vct),
      disclosed,
      disclosedPaths: result.disclosed,
      checkedAt: new Date(nowMs).toISOString(),
      status: result.status,
    };
  } else {
    // Nothing of a refused presentation is shown as true; an unknown issuer is named (not trusted)
    // so that the person sees whom the credential claims to come from.
    let issuer: VerificationView['issuer'] = null;
    if (!result.ok && result.reason === 'untrusted_issuer') {
      const claimed = seen.iss;
      if (claimed !== null && claimed.length <= 500) issuer = { url: claimed, jurisdiction: null, name: claimed, trusted: false };
    }
    view = {
      ok: false,
      reason,
      explanation: explain(request.language, reason),
      issuer,
      vct: null,
      type: null,
      disclosed: {},
      disclosedPaths: [],
      checkedAt: new Date(nowMs).toISOString(),
      status: null,
    };
  }

  await recordVerifierOutcome(db, request.id, reason ?? 'accepted');
  await deps.audit.record({
    action: 'credentials.verified',
    outcome: reason === null ? 'success' : 'failure',
    actorId: null,
    resource: { type: 'verifier_request', id: request.id },
    requestId: meta.requestId,
    details: {
      reason: reason ?? 'accepted',
      issuer: result.ok ? result.issuer : view.issuer?.url ?? null,
      type: view.type,
      status: view.status,
    },
  });
  return view;
}

