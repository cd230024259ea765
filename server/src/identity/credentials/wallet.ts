import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import { AppError } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type Actor, actorFromSession } from '../actor.ts';
import type { RequestMeta } from '../roles.ts';
import { findLiveSessionById } from '../sessions.repo.ts';
import { CREDENTIAL_TYPES, type CredentialTypeName } from './credentials.tables.ts';
import { buildClaims, type CredentialsDeps, requireBrowserSession, signAndRecord } from './issuance.ts';
import { consumeWalletNonce, findOfferByAccessToken, insertOffer, insertWalletNonce, type OfferRow, redeemOffer, spendAccessToken } from './offers.repo.ts';
import { verifyProof } from './proof.ts';
import { typeMetadata, vctOf } from './type-metadata.ts';

/**
 * An external wallet (OpenID for Verifiable Credential Issuance 1.0, pre-authorised code flow;
 * README.md here, docs/credentials.md §9.1). The agent, signed in in the browser, makes an offer;
 * the wallet redeems its code with the 6-digit tx_code shown beside it (token endpoint), gets a
 * nonce, and asks for the credential with a proof of possession of its key. The credential is the
 * one the browser path issues (same claims, read at that moment, same signing, same status list,
 * same audit), issued for the session that made the offer, which must still be live.
 *
 * Rules: secrets (pre-authorised code, tx_code, access token, nonces) are random, stored hashed,
 * single use and short-lived; five wrong tx_codes kill an offer; the issuer path of the wallet's
 * request names the cell the offer is looked up in (a French code at the Québec issuer is unknown).
 */
export const OFFER_TTL_S = 600;
export const OFFER_MAX_TX_ATTEMPTS = 5;
export const ACCESS_TOKEN_TTL_S = 300;
export const WALLET_NONCE_TTL_S = 300;
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const CREDENTIAL_FORMAT = 'dc+sd-jwt';
const TX_CODE_LENGTH = 6;
const TX_CODE_DESCRIPTION = 'Code à 6 chiffres affiché par Entente / 6-digit code shown by Entente';

/** An OAuth / OpenID4VCI error response (RFC 6749 §5.2, OpenID4VCI §8.3.1.2): `{ error, error_description }`. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly description: string | null;
  constructor(error: string, status = 400, description: string | null = null) {
    super(error);
    this.error = error;
    this.status = status;
    this.description = description;
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');
/** The tx_code hashed with its offer's code: the table alone does not let anyone try the million codes. */
const txCodeHash = (code: string, txCode: string) => sha256(`${code}\0${txCode}`);
const secret = () => randomBytes(32).toString('base64url');

export interface CredentialOffer {
  credential_issuer: string;
  credential_configuration_ids: CredentialTypeName[];
  grants: Record<string, { 'pre-authorized_code': string; tx_code: { input_mode: 'numeric'; length: number; description: string } }>;
}

export interface OfferAnswer {
  offer: CredentialOffer;
  offerUri: string;
  txCode: string;
  expiresIn: number;
  expiresAt: string;
}

/** `POST /api/credentials/offers`: the agent's browser session offers a credential to a wallet. */
export async function createOffer(
  deps: CredentialsDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  request: { type: CredentialTypeName; organisationId?: string; assessmentId?: string },
  now = new Date(),
): Promise<OfferAnswer> {
  const actor = requireBrowserSession(actorOrNull);
  // Built once and dropped: what would refuse the issuance refuses the offer now, on the page.
  const built = await buildClaims(deps, actor, request);
  const code = secret();
  const txCode = String(randomInt(0, 10 ** TX_CODE_LENGTH)).padStart(TX_CODE_LENGTH, '0');
  const expires = new Date(now.getTime() + OFFER_TTL_S * 1000);
  const id = uuidv7();
  const jurisdiction = actor.homeJurisdiction;
  await insertOffer(deps.stores.cells[jurisdiction].db, {
    id,
    principal_id: actor.principalId,
    session_id: actor.sessionId,
    type: request.type,
    // The public-agent organisation as chosen now (the agent's default may change before the wallet asks).
    organisation_id: request.type === 'public-agent' ? built.organisationId : null,
    assessment_id: request.assessmentId ?? null,
    code_hash: sha256(code),
    tx_code_hash: txCodeHash(code, txCode),
    created_at: now,
    expires_at: expires,
  });
  await deps.audit.record({
    action: 'credentials.offer_created',
    outcome: 'success',
    actorId: actor.principalId,
    organisationId: built.organisationId,
    resource: { type: 'credential_offer', id },
    jurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
    details: { type: request.type, expiresAt: expires.toISOString() },
  });
  const offer: CredentialOffer = {
    credential_issuer: deps.issuers.url(jurisdiction),
    credential_configuration_ids: [request.type],
    grants: {
      [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': code, tx_code: { input_mode: 'numeric', length: TX_CODE_LENGTH, description: TX_CODE_DESCRIPTION } },
    },
  };
  return {
    offer,
    offerUri: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
    txCode,
    expiresIn: OFFER_TTL_S,
    expiresAt: expires.toISOString(),
  };
}

/** Credential issuer metadata (OpenID4VCI §12.2), at `/.well-known/openid-credential-issuer<issuer path>`. */
export function issuerMetadata(deps: CredentialsDeps, jurisdiction: Jurisdiction): Record<string, unknown> {
  const iss = deps.issuers.url(jurisdiction);
  const name = jurisdiction === 'FR' ? { fr: 'Entente — France', en: 'Entente — France' } : { fr: 'Entente — Québec', en: 'Entente — Québec' };
  return {
    credential_issuer: iss,
    credential_endpoint: `${iss}/credential`,
    nonce_endpoint: `${iss}/nonce`,
    display: [
      { name: name.fr, locale: 'fr-FR' },
      { name: name.en, locale: 'en' },
    ],
    credential_configurations_supported: Object.fromEntries(
      CREDENTIAL_TYPES.map((type) => {
        const meta = typeMetadata(deps.publicUrl, type) as { display: { locale: string; name: string; description: string }[] };
        return [
          type,
          {
            format: CREDENTIAL_FORMAT,
            vct: vctOf(deps.publicUrl, type),
            cryptographic_binding_methods_supported: ['jwk'],
            credential_signing_alg_values_supported: ['ES256'],
            proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
            credential_metadata: { display: meta.display.map((d) => ({ name: d.name, locale: d.locale, description: d.description })) },
          },
        ];
      }),
    ),
  };
}

/** OAuth 2.0 authorization server metadata (RFC 8414) of the issuer, which is its own authorization server. */
export function authorizationServerMetadata(deps: CredentialsDeps, jurisdiction: Jurisdiction): Record<string, unknown> {
  const iss = deps.issuers.url(jurisdiction);
  return {
    issuer: iss,
    token_endpoint: `${iss}/token`,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}

const field = (form: Record<string, unknown>, name: string): string | null => {
  const value = form[name];
  return typeof value === 'string' && value !== '' ? value : null;
};

/** `POST <issuer>/token`: the pre-authorised code and its tx_code for a 5-minute, single-use access token. */
export async function redeemToken(
  deps: CredentialsDeps,
  jurisdiction: Jurisdiction,
  form: Record<string, unknown>,
  meta: RequestMeta,
  now = new Date(),
): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
  const grantType = field(form, 'grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 400, 'grant_type is missing');
  if (grantType !== PRE_AUTHORIZED_GRANT) throw new OAuthError('unsupported_grant_type');
  const code = field(form, 'pre-authorized_code');
  if (!code || code.length > 200) throw new OAuthError('invalid_request', 400, 'pre-authorized_code is missing');
  const txCode = field(form, 'tx_code');
  // Every offer of ours has a tx_code: a request without one is malformed (OpenID4VCI §6.3).
  if (!txCode || txCode.length > 20) throw new OAuthError('invalid_request', 400, 'tx_code is missing');
  const accessToken = secret();
  const db = deps.stores.cells[jurisdiction].db;
  const row = await redeemOffer(db, {
    codeHash: sha256(code),
    txCodeHash: txCodeHash(code, txCode),
    accessTokenHash: sha256(accessToken),
    accessExpiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_S * 1000),
    now,
    maxAttempts: OFFER_MAX_TX_ATTEMPTS,
  });
  // Unknown (or another issuer's), expired, already redeemed or dead: one answer for all.
  if (!row) throw new OAuthError('invalid_grant', 400, 'the pre-authorized code is unknown, expired or already used');
  const redeemed = row.redeemed_at?.getTime() === now.getTime();
  await deps.audit.record({
    action: 'credentials.offer_redeemed',
    outcome: redeemed ? 'success' : 'failure',
    // A wrong tx_code comes from someone holding the code, not necessarily the agent: no actor then.
    actorId: redeemed ? row.principal_id : null,
    resource: { type: 'credential_offer', id: row.id },
    jurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
    details: redeemed
      ? { type: row.type, holder: row.principal_id }
      : { type: row.type, holder: row.principal_id, reason: 'tx_code', attempts: String(row.tx_attempts), dead: String(row.tx_attempts >= OFFER_MAX_TX_ATTEMPTS) },
  });
  if (!redeemed) throw new OAuthError('invalid_grant', 400, 'wrong tx_code');
  return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S };
}

/** `POST <issuer>/nonce`: a c_nonce for the wallet's proof (single use, 5 minutes). */
export async function createWalletNonce(deps: CredentialsDeps, jurisdiction: Jurisdiction, now = new Date()): Promise<{ c_nonce: string }> {
  const nonce = randomBytes(24).toString('base64url');
  await insertWalletNonce(deps.stores.cells[jurisdiction].db, { nonce_hash: sha256(nonce), expires_at: new Date(now.getTime() + WALLET_NONCE_TTL_S * 1000) });
  return { c_nonce: nonce };
}

const invalidToken = (description: string) => new OAuthError('invalid_token', 401, description);

/** The bearer token of `Authorization: Bearer <token>`, or null. */
export function bearerOf(header: string | undefined): string | null {
  const match = header ? /^Bearer ([A-Za-z0-9_-]{1,100})$/.exec(header) : null;
  return match?.[1] ?? null;
}

/** The one proof JWT of `proofs.jwt` (OpenID4VCI 1.0), or of the single `proof` of earlier drafts. */
function proofOf(body: Record<string, unknown>): string {
  const proofs = body.proofs;
  const proof = body.proof;
  if (proofs !== undefined && proof !== undefined) throw new OAuthError('invalid_credential_request', 400, 'both proofs and proof');
  if (proofs !== undefined) {
    if (proofs === null || typeof proofs !== 'object' || Array.isArray(proofs)) throw new OAuthError('invalid_proof', 400, 'proofs must be an object');
    const entries = Object.entries(proofs);
    const jwts = (proofs as Record<string, unknown>).jwt;
    if (entries.length !== 1 || !Array.isArray(jwts)) throw new OAuthError('invalid_proof', 400, 'proofs must hold one jwt array');
    if (jwts.length !== 1 || typeof jwts[0] !== 'string') throw new OAuthError('invalid_proof', 400, 'exactly one jwt proof is accepted');
    return jwts[0];
  }
  if (proof !== undefined) {
    const p = proof as Record<string, unknown> | null;
    if (p === null || typeof p !== 'object' || p.proof_type !== 'jwt' || typeof p.jwt !== 'string') throw new OAuthError('invalid_proof', 400, 'proof must be { proof_type: "jwt", jwt }');
    return p.jwt;
  }
  throw new OAuthError('invalid_proof', 400, 'proofs is missing');
}

/** The actor of the session that made the offer, if that session (and its agent) is still live. */
async function offerActor(deps: CredentialsDeps, offer: OfferRow, now: Date): Promise<Actor> {
  const session = await findLiveSessionById(deps.stores.control.db, offer.session_id, now);
  if (session?.principal_status !== 'active' || session.principal_id !== offer.principal_id) throw invalidToken('the session that made the offer has ended');
  return actorFromSession({
    id: session.id,
    principalId: session.principal_id,
    homeJurisdiction: session.home_jurisdiction,
    createdAt: session.created_at,
    assuranceLevel: session.assurance_level,
    upstream: session.upstream,
    grants: { memberships: session.memberships, platformRoles: session.platform_roles },
    newToken: null,
  });
}

/**
 * `POST <issuer>/credential`: the access token of a redeemed offer, one proof of possession for our
 * nonce → the SD-JWT VC bound to the proof's key. The token is spent only once the request is
 * good (a wallet whose proof is refused retries with a fresh nonce), and then only once.
 */
export async function walletCredential(
  deps: CredentialsDeps,
  jurisdiction: Jurisdiction,
  authorization: string | undefined,
  body: unknown,
  meta: RequestMeta,
  now = new Date(),
): Promise<{ credentials: { credential: string }[] }> {
  const token = bearerOf(authorization);
  if (!token) throw invalidToken('a Bearer access token is required');
  const db = deps.stores.cells[jurisdiction].db;
  const tokenHash = sha256(token);
  const offer = await findOfferByAccessToken(db, tokenHash);
  if (!offer || offer.used_at || !offer.access_expires_at || offer.access_expires_at.getTime() <= now.getTime()) throw invalidToken('the access token is unknown, expired or already used');
  const actor = await offerActor(deps, offer, now);

  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new OAuthError('invalid_credential_request', 400, 'a JSON object is expected');
  const request = body as Record<string, unknown>;
  if (request.credential_identifier !== undefined) throw new OAuthError('invalid_credential_request', 400, 'credential_identifier is not supported: use credential_configuration_id');
  const configuration = request.credential_configuration_id;
  if (typeof configuration !== 'string') throw new OAuthError('invalid_credential_request', 400, 'credential_configuration_id is missing');
  if (configuration !== offer.type) throw new OAuthError('unknown_credential_configuration', 400, 'not the credential configuration of the offer');
  const proofJwt = proofOf(request);

  let proof: Awaited<ReturnType<typeof verifyProof>>;
  try {
    proof = await verifyProof(proofJwt, deps.issuers.url(jurisdiction), Math.floor(now.getTime() / 1000));
  } catch (error) {
    // A proof without a nonce is an invalid proof (§8.3.1.2); its slug tells the wallet's developer what.
    if (error instanceof AppError) throw new OAuthError('invalid_proof', 400, error.slug);
    throw error;
  }
  let built: Awaited<ReturnType<typeof buildClaims>>;
  try {
    built = await buildClaims(deps, actor, { type: offer.type, ...(offer.organisation_id ? { organisationId: offer.organisation_id } : {}), ...(offer.assessment_id ? { assessmentId: offer.assessment_id } : {}) });
  } catch (error) {
    // Something changed since the offer (the agent left the organisation…): this credential is no longer due.
    if (error instanceof AppError) throw new OAuthError('credential_request_denied', 400, error.slug);
    throw error;
  }
  if (!(await consumeWalletNonce(db, sha256(proof.nonce), now))) throw new OAuthError('invalid_nonce', 400, 'the nonce is unknown, expired or already used: get a new one');
  const id = uuidv7();
  if (!(await spendAccessToken(db, tokenHash, id, now))) throw invalidToken('the access token is unknown, expired or already used');
  const issued = await signAndRecord(deps, actor, meta, { type: offer.type, built, jwk: proof.jwk, now, id, details: { to: 'wallet', offer: offer.id } });
  return { credentials: [{ credential: issued.credential }] };
}
