import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError } from '../../platform/errors.ts';
import type { OutboxRegistry } from '../../platform/jobs/index.ts';
import { findOrganisationByIdentifier, type OrganisationRow } from '../organisations.repo.ts';
import { registerOrganisation, validateOrganisation } from '../organisations.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { findProfileByEmail } from '../profiles.repo.ts';
import { provisionAgent } from '../provision-agent.ts';
import type { SessionService } from '../sessions.ts';
import {
  findFederatedPrincipal,
  hasFederatedIdentity,
  insertLoginAttempt,
  linkFederatedIdentity,
  takeLoginAttempt,
} from './federation.repo.ts';
import type { UpstreamClients } from './oidc-clients.ts';
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
}

const ATTEMPT_TTL_MS = 10 * 60_000;
const EMAIL = /^[^\s@]{1,64}@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** Only a path of this site: `/x` but not `//evil.example` or `https://…` (open redirect). */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || value.length > 500) return '/';
  return /^\/(?![/\\])/.test(value) ? value : '/';
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
  input: { email?: string; upstream?: string; returnTo?: string; minLevel?: AssuranceLevel; locale: Locale },
): Promise<URL> {
  const upstream = input.upstream
    ? deps.upstreams.find((u) => u.name === input.upstream)
    : input.email
      ? upstreamForEmail(deps.upstreams, input.email)
      : undefined;
  if (!upstream) throw new AppError('sign_in_unknown_upstream', { status: 400 });
  const minLevel = input.minLevel ?? 'low';
  const acrValues = acrValuesFor(upstream, minLevel);
  const config = await discover(deps, upstream);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  await insertLoginAttempt(deps.stores.control.db, {
    state_hash: sha256(state),
    upstream: upstream.name,
    nonce,
    code_verifier: codeVerifier,
    return_to: safeReturnTo(input.returnTo),
    min_level: minLevel,
    expires_at: new Date(Date.now() + ATTEMPT_TTL_MS),
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
  return client.buildAuthorizationUrl(config, parameters);
}

export interface SignedIn {
  token: string;
  absoluteExpiresAt: Date;
  returnTo: string;
  principalId: string;
}

export async function finishSignIn(
  deps: FederationDeps,
  upstreamName: string,
  currentUrl: URL,
  meta: { ip: string | null; userAgent: string | null; requestId: string },
): Promise<SignedIn> {
  const upstream = deps.upstreams.find((u) => u.name === upstreamName);
  const fail = async (reason: string, slug = 'sign_in_failed', status = 400): Promise<never> => {
    await deps.audit.record({
      action: 'sign_in.failed',
      outcome: 'failure',
      resource: { type: 'upstream', id: upstreamName.slice(0, 60) },
      requestId: meta.requestId,
      details: { reason },
    });
    throw new AppError(slug, { status });
  };
  if (!upstream) return fail('unknown_upstream', 'sign_in_unknown_upstream');
  const state = currentUrl.searchParams.get('state');
  const attempt = state ? await takeLoginAttempt(deps.stores.control.db, sha256(state), new Date()) : undefined;
  if (!attempt || attempt.upstream !== upstream.name) return fail('unknown_or_expired_state', 'sign_in_expired');
  // The federation answered with an error (RFC 6749 §4.1.2.1) for this attempt: say which.
  const upstreamError = currentUrl.searchParams.get('error');
  if (upstreamError === 'access_denied') return fail('cancelled', 'sign_in_cancelled');
  if (upstreamError === 'unmet_authentication_requirements') return fail('acr_not_reached_upstream', 'sign_in_level_too_low', 403);
  if (upstreamError) return fail(`upstream_error ${upstreamError.slice(0, 60)}`);

  let claims: Record<string, unknown>;
  let idToken: string | null;
  try {
    const config = await discover(deps, upstream);
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
  } catch (error) {
    if (error instanceof AppError) throw error;
    // openid-client's checks (signature, issuer, audience, nonce, state, expiry, PKCE) end here.
    return fail(`protocol: ${(error as { code?: string }).code ?? (error as Error).name}`);
  }

  const acr = typeof claims.acr === 'string' ? claims.acr : null;
  const level: AssuranceLevel | undefined = acr ? upstream.acr[acr] : undefined;
  if (!level || ASSURANCE_LEVELS.indexOf(level) < ASSURANCE_LEVELS.indexOf(attempt.min_level as AssuranceLevel)) {
    return fail(`acr ${acr ?? 'missing'} below ${attempt.min_level}`, 'sign_in_level_too_low', 403);
  }
  const text = (name: string | undefined) => {
    const value = name ? claims[name] : undefined;
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : null;
  };
  const subject = String(claims.sub);
  const email = text(upstream.claims.email)?.toLowerCase() ?? null;
  const givenName = text(upstream.claims.givenName);
  const familyName = text(upstream.claims.familyName);
  const orgId = text(upstream.claims.organisationId);
  if (!email || !givenName || !familyName || !orgId) return fail('missing_claims');
  if (!upstream.emailDomains.some((d) => email.endsWith(`@${d}`) || email.endsWith(`.${d}`))) {
    return fail('email_outside_upstream_domains', 'sign_in_unknown_domain');
  }
  const organisation =
    (await findOrganisationByIdentifier(deps.stores.control.db, upstream.jurisdiction, orgId)) ??
    (await provisionOrganisation(deps, upstream, orgId, text(upstream.claims.organisationLabel), email, meta.requestId));
  if (!organisation) return fail('invalid_organisation_identifier', 'sign_in_unknown_organisation', 403);

  const principalId = await resolvePrincipal(deps, upstream, {
    subject,
    email,
    givenName,
    familyName,
    organisationId: organisation.id,
    fail,
  });
  await linkFederatedIdentity(deps.stores.control.db, upstream.name, subject, principalId);
  const session = await deps.sessions.create({
    principalId,
    homeJurisdiction: upstream.jurisdiction,
    ip: meta.ip,
    userAgent: meta.userAgent,
    authMethod: upstream.name,
    requestId: meta.requestId,
    federation: { upstream: upstream.name, assuranceLevel: level, acr, idToken },
  });
  return { token: session.token, absoluteExpiresAt: session.absoluteExpiresAt, returnTo: attempt.return_to, principalId };
}

/**
 * Accounts are keyed by (upstream, subject). A first sign-in may take over a profile waiting
 * under the same email (an invited or pre-registered agent) only if no federation already signs
 * that agent in: an email seen through a second upstream is never linked silently.
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

async function discover(deps: FederationDeps, upstream: Upstream): Promise<client.Configuration> {
  try {
    return await deps.clients.get(upstream);
  } catch (error) {
    await deps.audit.record({
      action: 'sign_in.upstream_unavailable',
      outcome: 'failure',
      resource: { type: 'upstream', id: upstream.name },
      details: { reason: (error as { code?: string }).code ?? (error as Error).name },
    });
    throw new AppError('sign_in_upstream_unavailable', { status: 502 });
  }
}
