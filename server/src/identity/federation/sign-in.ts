import { createHash, createHmac } from 'node:crypto';
import * as client from 'openid-client';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError } from '../../platform/errors.ts';
import type { OutboxRegistry } from '../../platform/jobs/index.ts';
import { findOrganisationByIdentifier, type OrganisationRow } from '../organisations.repo.ts';
import { isOrganisationDeleted } from '../organisation-deletion.repo.ts'; // organisation deletion (helper O)
import { registerOrganisation, validateOrganisation } from '../organisations.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { findProfileByEmail, setEmailVerified } from '../profiles.repo.ts';
import { provisionAgent } from '../provision-agent.ts';
import type { SessionService } from '../sessions.ts';
import {
  findFederatedPrincipal,
  hasFederatedIdentity,
  insertLoginAttempt,
  insertUpstreamSession,
  linkFederatedIdentity,
  takeLoginAttempt,
} from './federation.repo.ts';
import { finishLink, type Linked } from './linking.ts';
import type { UpstreamClients } from './oidc-clients.ts';
import { classifySignInError } from './sign-in-failures.ts';
import { emailWithinDomains, foldsIntoAscii, type SignedInListeners } from './signed-in.ts';
import { ASSURANCE_LEVELS, type AssuranceLevel, acrValuesFor, type Upstream } from './upstream.ts';

/**
 * Signing in through an upstream federation (Entente as relying party): authorization code with
 * PKCE (S256), state and nonce of 43 characters, the acr asked for as an essential claim and
 * checked again on return, ID token and userinfo verified by openid-client. The state, nonce and
 * code verifier wait server-side (one use, ten minutes).
 */
export interface FederationDeps {
  stores: Stores;
  audit: AuditLog;
  outbox: OutboxRegistry;
  sessions: SessionService;
  clients: UpstreamClients;
  upstreams: readonly Upstream[];
  publicUrl: () => URL;
  /** The server secret: keys the hash of an unknown email domain in the audit. */
  secret: Buffer;
  /** Told of every completed federated sign-in (other modules subscribe; identity knows none of them). */
  signedIn?: SignedInListeners;
}

const ATTEMPT_TTL_MS = 10 * 60_000;
const EMAIL = /^[^\s@]{1,64}@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Only a path of this site, else `/` (no open redirect). A browser resolving the Location header
 * drops tabs and newlines and reads `\` as `/`, so `/\t/evil.example` would become
 * `//evil.example`: such characters are refused outright. What is left is resolved against this
 * site, must stay on it, and only its path, query and fragment are kept, re-checked after the
 * resolution (`/.//evil.example` normalises to `//evil.example`).
 */
export function safeReturnTo(value: string | undefined, publicUrl: URL): string {
  if (value === undefined || value.length > 500 || !value.startsWith('/')) return '/';
  if ([...value].some(unsafeInReturnTo)) return '/';
  let url: URL;
  try {
    url = new URL(value, publicUrl.origin);
  } catch {
    return '/';
  }
  if (url.origin !== publicUrl.origin) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  return /^\/(?![/\\])/.test(path) ? path : '/';
}

/**
 * The audit's stand-in for an email domain no federation serves: HMAC-SHA-256 under a key derived
 * from the server secret, 64 bits in hex. An operator holding the secret can check a guess; a
 * reader of the audit alone cannot tell the domain.
 */
export function unknownDomainHash(secret: Buffer, domain: string): string {
  const key = createHmac('sha256', secret).update('entente-audit-unknown-domain/v1').digest();
  return createHmac('sha256', key).update(domain.toLowerCase()).digest('hex').slice(0, 16);
}

/** C0 controls, space, DEL, backslash; and the C1 controls and Unicode spaces some parsers trim. */
function unsafeInReturnTo(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0x20 || (code >= 0x7f && code <= 0xa0) || char === '\\' || /[\p{Z}\p{Cf}]/u.test(char);
}

export function callbackUrl(deps: Pick<FederationDeps, 'publicUrl'>, upstream: Upstream): string {
  return `${deps.publicUrl().href.replace(/\/$/, '')}/auth/callback/${upstream.name}`;
}

/** The federation that serves an email address: by the upstreams' configured domains. */
export function upstreamForEmail(upstreams: readonly Upstream[], email: string): Upstream {
  const match = EMAIL.exec(email.trim());
  if (!match) throw new AppError('sign_in_invalid_email', { status: 400 });
  const domain = (match[1] as string).toLowerCase();
  const upstream = upstreams.find((u) => u.emailDomains.some((d) => domain === d || domain.endsWith(`.${d}`)));
  if (!upstream) throw new AppError('sign_in_unknown_domain', { status: 400, params: { domain } });
  return upstream;
}

export async function startSignIn(
  deps: FederationDeps,
  input: {
    email?: string;
    upstream?: string;
    returnTo?: string;
    minLevel?: AssuranceLevel;
    /** Ask the federation to authenticate the agent again even if it has a session (`prompt=login`). */
    reauthenticate?: boolean;
    /** Forwarded as `idp_hint` (ProConnect preselects the identity provider with it). */
    idpHint?: string;
    /** This attempt links the federation to a signed-in agent (linking.ts) instead of signing in. */
    link?: { principalId: string; sessionId: string };
    locale: Locale;
    requestId?: string;
  },
): Promise<URL> {
  let upstream: Upstream | undefined;
  try {
    upstream = input.upstream
      ? deps.upstreams.find((u) => u.name === input.upstream)
      : input.email
        ? upstreamForEmail(deps.upstreams, input.email)
        : undefined;
    if (!upstream) throw new AppError('sign_in_unknown_upstream', { status: 400 });
  } catch (error) {
    if (error instanceof AppError && error.slug !== 'sign_in_invalid_email') {
      // Anyone can type anything here, and a domain no federation serves may be a family's own
      // (it names a person): the audit keeps a keyed hash of it, enough to see the same domain
      // tried again, never the domain or the address.
      const domain = error.slug === 'sign_in_unknown_domain' ? String(error.params.domain ?? '') : null;
      await deps.audit.record({
        action: 'sign_in.failed',
        outcome: 'failure',
        resource: { type: 'upstream', id: (input.upstream ?? '').slice(0, 60) || 'by-email' },
        requestId: input.requestId ?? null,
        details: {
          reason: domain !== null ? 'unknown_domain' : 'unknown_upstream',
          stage: 'start',
          ...(domain !== null ? { domainHash: unknownDomainHash(deps.secret, domain) } : {}),
        },
      });
    }
    throw error;
  }
  const minLevel = input.minLevel ?? 'low';
  const acrValues = acrValuesFor(upstream, minLevel);
  const config = await discover(deps, upstream, input.requestId);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  await insertLoginAttempt(deps.stores.control.db, {
    state_hash: sha256(state),
    upstream: upstream.name,
    nonce,
    code_verifier: codeVerifier,
    return_to: safeReturnTo(input.returnTo, deps.publicUrl()),
    min_level: minLevel,
    expires_at: new Date(Date.now() + ATTEMPT_TTL_MS),
    link_principal_id: input.link?.principalId ?? null,
    link_session_id: input.link?.sessionId ?? null,
  });
  const parameters: Record<string, string> = {
    redirect_uri: callbackUrl(deps, upstream),
    scope: upstream.scopes.join(' '),
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    claims: JSON.stringify({ id_token: { acr: { essential: true, values: acrValues } } }),
    ui_locales: input.locale,
  };
  if (input.email) parameters.login_hint = input.email.trim();
  if (input.idpHint) parameters.idp_hint = input.idpHint;
  // A service asked Entente for a fresh sign-in (prompt=login, max_age): so does Entente upstream.
  if (input.reauthenticate) parameters.prompt = 'login';
  return client.buildAuthorizationUrl(config, parameters);
}

export interface SignedIn {
  kind: 'signed_in';
  token: string;
  absoluteExpiresAt: Date;
  returnTo: string;
  principalId: string;
}

export async function finishSignIn(
  deps: FederationDeps,
  upstreamName: string,
  currentUrl: URL,
  meta: {
    ip: string | null;
    userAgent: string | null;
    requestId: string;
    /** The Entente session presenting the callback, if any: a link attempt must come back in its own. */
    currentSession?: { id: string; principalId: string } | null;
  },
): Promise<SignedIn | Linked> {
  const upstream = deps.upstreams.find((u) => u.name === upstreamName);
  // Once the attempt is known, a failure carries the page the agent asked for, back to the sign-in page.
  let askedPage: string | null = null;
  const fail = async (reason: string, slug = 'sign_in_failed', status = 400, more: Record<string, string> = {}): Promise<never> => {
    await deps.audit.record({
      action: 'sign_in.failed',
      outcome: 'failure',
      resource: { type: 'upstream', id: upstreamName.slice(0, 60) },
      requestId: meta.requestId,
      details: { reason, stage: 'callback', ...more },
    });
    throw new AppError(slug, { status, params: askedPage ? { returnTo: askedPage } : {} });
  };
  if (!upstream) return fail('unknown_upstream', 'sign_in_unknown_upstream');
  const state = currentUrl.searchParams.get('state');
  const attempt = state ? await takeLoginAttempt(deps.stores.control.db, sha256(state), new Date()) : undefined;
  // A state Entente did not issue, already used (replayed callback), expired, or issued for
  // another upstream: the row is taken on first use, so these cannot be told apart.
  if (!attempt || attempt.upstream !== upstream.name) return fail('state_mismatch_or_replayed', 'sign_in_expired');
  askedPage = attempt.return_to;
  // The federation answered with an error (RFC 6749 §4.1.2.1) for this attempt: say which.
  const upstreamError = currentUrl.searchParams.get('error');
  if (upstreamError === 'access_denied') return fail('cancelled', 'sign_in_cancelled');
  if (upstreamError === 'unmet_authentication_requirements') return fail('acr_not_reached_upstream', 'sign_in_level_too_low', 403);
  if (upstreamError) return fail(`upstream_error_${/^[a-z_]{1,40}$/.test(upstreamError) ? upstreamError : 'other'}`);

  let claims: Record<string, unknown>;
  let idToken: string | null;
  let upstreamSid: string | null;
  try {
    const config = await discover(deps, upstream, meta.requestId);
    const tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: attempt.code_verifier,
      expectedState: state as string,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return fail('no_id_token');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    claims = { ...idClaims, ...userinfo, sub: idClaims.sub, acr: idClaims.acr };
    idToken = tokens.id_token ?? null;
    upstreamSid = typeof idClaims.sid === 'string' && idClaims.sid.length > 0 && idClaims.sid.length <= 255 ? idClaims.sid : null;
  } catch (error) {
    if (error instanceof AppError) throw error;
    // openid-client's checks (signature, algorithm, issuer, audience, nonce, state, expiry, PKCE)
    // and the upstream's failures (garbage, timeout, unreachable) end here.
    const failure = classifySignInError(error);
    return fail(failure.reason, failure.slug, failure.status);
  }

  const acr = typeof claims.acr === 'string' ? claims.acr : null;
  const level: AssuranceLevel | undefined = acr ? upstream.acr[acr] : undefined;
  if (!level || ASSURANCE_LEVELS.indexOf(level) < ASSURANCE_LEVELS.indexOf(attempt.min_level as AssuranceLevel)) {
    return fail(acr === null ? 'acr_missing' : level ? 'acr_too_low' : 'acr_unknown', 'sign_in_level_too_low', 403, {
      acr: (acr ?? '').slice(0, 100),
      required: attempt.min_level,
    });
  }
  const text = (name: string | undefined) => {
    const value = name ? claims[name] : undefined;
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : null;
  };
  const subject = String(claims.sub);
  const assertedEmail = text(upstream.claims.email);
  const email = assertedEmail?.toLowerCase() ?? null;
  const givenName = text(upstream.claims.givenName);
  const familyName = text(upstream.claims.familyName);
  const orgId = text(upstream.claims.organisationId);
  if (!email || !givenName || !familyName || !orgId) return fail('missing_claims');
  // An unverified address still signs the agent in (the federation authenticated them); it is
  // only not asserted as verified to the applications Entente signs agents in to.
  // …nor is one that lower-casing turned into another, ASCII, address (the Kelvin sign K → k): the
  // federation vouched for its own mailbox, not for the one waiting invitations and profiles name.
  const emailVerified =
    (verifiedClaim(claims[upstream.claims.emailVerified ?? 'email_verified']) ?? upstream.emailVerified) && !foldsIntoAscii(assertedEmail ?? '');
  if (!emailWithinDomains(email, upstream.emailDomains)) {
    return fail('email_outside_upstream_domains', 'sign_in_unknown_domain');
  }
  if (attempt.link_principal_id) {
    const link = { link_principal_id: attempt.link_principal_id, link_session_id: attempt.link_session_id, return_to: attempt.return_to };
    return finishLink(deps, upstream, link, { subject, email, emailVerified }, { currentSession: meta.currentSession ?? null, requestId: meta.requestId });
  }
  const organisation =
    (await findOrganisationByIdentifier(deps.stores.control.db, upstream.jurisdiction, orgId)) ??
    (await provisionOrganisation(deps, upstream, orgId, text(upstream.claims.organisationLabel), email, meta.requestId));
  if (!organisation) return fail('invalid_organisation_identifier', 'sign_in_unknown_organisation', 403);
  // ── organisation deletion (helper O): a deleted organisation keeps its row (and so its SIRET or
  // NEQ): nobody signs in through it, and it is not created again without an operator ──
  if (await isOrganisationDeleted(deps.stores.control.db, organisation.id)) return fail('organisation_deleted', 'sign_in_organisation_deleted', 403);
  // ── end organisation deletion ──

  const principalId = await resolvePrincipal(deps, upstream, {
    subject,
    email,
    givenName,
    familyName,
    organisationId: organisation.id,
    emailVerified,
    fail,
  });
  await linkFederatedIdentity(deps.stores.control.db, upstream.name, subject, principalId);
  await setEmailVerified(deps.stores.cells[upstream.jurisdiction].db, principalId, email, emailVerified);
  const session = await deps.sessions.create({
    principalId,
    homeJurisdiction: upstream.jurisdiction,
    ip: meta.ip,
    userAgent: meta.userAgent,
    authMethod: upstream.name,
    requestId: meta.requestId,
    federation: { upstream: upstream.name, assuranceLevel: level, acr, idToken },
  });
  if (upstreamSid) await insertUpstreamSession(deps.stores.control.db, { session_id: session.id, upstream: upstream.name, sid: upstreamSid });
  await deps.signedIn?.notify({
    principalId,
    email,
    emailVerified,
    emailWithinUpstreamDomains: emailWithinDomains(email, upstream.emailDomains),
    upstream: upstream.name,
    requestId: meta.requestId,
  });
  // Checked again on the way out: an attempt stored before a stricter rule must not redirect away.
  const returnTo = safeReturnTo(attempt.return_to, deps.publicUrl());
  return { kind: 'signed_in', token: session.token, absoluteExpiresAt: session.absoluteExpiresAt, returnTo, principalId };
}

/** A boolean claim, or the strings some federations send for one; undefined when absent or anything else. */
function verifiedClaim(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/**
 * Accounts are keyed by (upstream, subject). A first sign-in may take over a profile waiting
 * under the same email (an invited or pre-registered agent) only if no federation already signs
 * that agent in — an email seen through a second upstream is never linked silently (the agent
 * links it explicitly, signed in with both: linking.ts) — and only if
 * this federation vouches for the address (`email_verified`, or `emailVerified` in its
 * configuration): otherwise anyone able to put that address on an account at the federation
 * would take the waiting profile over.
 */
async function resolvePrincipal(
  deps: FederationDeps,
  upstream: Upstream,
  agent: {
    subject: string;
    email: string;
    givenName: string;
    familyName: string;
    organisationId: string;
    emailVerified: boolean;
    fail: (reason: string, slug?: string, status?: number) => Promise<never>;
  },
): Promise<string> {
  const known = await findFederatedPrincipal(deps.stores.control.db, upstream.name, agent.subject);
  if (known) return known;
  const cell = deps.stores.cells[upstream.jurisdiction].db;
  const waiting = await findProfileByEmail(cell, agent.email);
  if (waiting) {
    if (await hasFederatedIdentity(deps.stores.control.db, waiting.principal_id)) {
      return agent.fail('email_already_linked_to_another_identity', 'sign_in_account_conflict', 409);
    }
    if (!agent.emailVerified) return agent.fail('unverified_email_for_waiting_profile', 'sign_in_account_conflict', 409);
    return waiting.principal_id;
  }
  const { principalId } = await provisionAgent(deps.stores, deps.outbox, {
    jurisdiction: upstream.jurisdiction,
    givenName: agent.givenName,
    familyName: agent.familyName,
    email: agent.email,
    preferredLanguage: upstream.jurisdiction === 'QC' ? 'fr-CA' : 'fr-FR',
    organisationId: agent.organisationId,
    roles: ['member'],
  });
  return principalId;
}

/**
 * An organisation the federation vouches for but Entente does not know yet: created at once so
 * that its agent can work, flagged (`confirmed = false`) for an operator to check, and audited.
 * Null when the identifier is not a valid SIRET or NEQ: then the sign-in is refused.
 */
async function provisionOrganisation(
  deps: FederationDeps,
  upstream: Upstream,
  identifier: string,
  label: string | null,
  email: string,
  requestId: string,
): Promise<OrganisationRow | null> {
  const input = {
    id: uuidv7(),
    name: label ?? identifier,
    jurisdiction: upstream.jurisdiction,
    siret: upstream.jurisdiction === 'FR' ? identifier : null,
    neq: upstream.jurisdiction === 'QC' ? identifier : null,
    emailDomains: [email.slice(email.indexOf('@') + 1)],
    demo: false,
    confirmed: false,
  };
  if (validateOrganisation(input).length > 0) return null;
  const organisation = await registerOrganisation(deps.stores, input);
  await deps.audit.record({
    action: 'organisation.provisioned',
    outcome: 'success',
    organisationId: organisation.id,
    resource: { type: 'organisation', id: organisation.id },
    requestId,
    details: { upstream: upstream.name, confirmed: false },
  });
  return organisation;
}

async function discover(deps: FederationDeps, upstream: Upstream, requestId?: string): Promise<client.Configuration> {
  try {
    return await deps.clients.get(upstream);
  } catch (error) {
    const failure = classifySignInError(error);
    await deps.audit.record({
      action: 'sign_in.failed',
      outcome: 'failure',
      resource: { type: 'upstream', id: upstream.name },
      requestId: requestId ?? null,
      // A discovery that fails any way (down, garbage, wrong issuer) means the federation is unusable.
      details: { reason: failure.slug === 'sign_in_upstream_unavailable' ? failure.reason : 'upstream_discovery_invalid', stage: 'discovery' },
    });
    throw new AppError('sign_in_upstream_unavailable', { status: 502 });
  }
}
