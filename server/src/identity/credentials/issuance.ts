import { isOrganisationDeleted } from '../organisation-deletion.repo.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { IssuedCredential, IssuedCredentialSummary } from '../../../../common/src/credentials.ts';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { AppError, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Actor } from '../actor.ts';
import { authorize } from '../authorization.ts';
import { findOrganisationsByIds } from '../organisations.repo.ts';
import { findPrincipal } from '../principals.repo.ts';
import { findProfile } from '../profiles.repo.ts';
import type { RequestMeta } from '../roles.ts';
import { type ClaimSet, digitalSkillsClaims, publicAgentClaims, type SkillsFacts } from './claims.ts';
import type { CredentialTypeName, RevokedBy } from './credentials.tables.ts';
import { CREDENTIAL_VALIDITY_DAYS, type Issuers } from './issuers.ts';
import { findOwnIssued, type IssuedRow, listOwnIssued, revokeIssued } from './issued.repo.ts';
import { consumeNonce, findNonce, insertNonce } from './nonces.repo.ts';
import { verifyProof } from './proof.ts';
import { issueSdJwt } from './sd-jwt/index.ts';
import { insertWithStatusIndex, type StatusTokens, statusListUri } from './status-lists.ts';
import { vctOf } from './type-metadata.ts';

/**
 * Issuing verifiable credentials to agents (issue 9; README.md here). Rules:
 * - only a browser session of the agent asks (no API token: a credential is a personal act);
 * - the credential is bound to a key the holder proves they hold, for our nonce, spent once;
 * - it is issued by the issuer of the agent's home jurisdiction, from data read at that moment
 *   (profile in the home cell, organisation and roles in the control plane, the session's level);
 * - the server keeps its metadata (in the home cell) and never its text;
 * - revocation (by the holder, the organisation named in it, or on leaving) flips its status bit.
 */
export const NONCE_TTL_S = 300;
/** Published when a status list changed, so that every node forgets its cached token (`{ listId }`). */
export const STATUS_CHANGED_TOPIC = 'identity.credentials.status_changed';

export interface CredentialsDeps {
  stores: Stores;
  audit: AuditLog;
  events: EventBus;
  issuers: Issuers;
  statusTokens: StatusTokens;
  publicUrl: URL;
  /** Production mode: demo organisations get no attestation. */
  production?: boolean;
  /** The skills module's claims of a completed assessment of the actor (its `certificateClaims`). */
  skillsClaims: (actor: Actor, assessmentId: string) => Promise<SkillsFacts>;
}

const hashNonce = (nonce: string) => createHash('sha256').update(nonce, 'utf8').digest('base64url');

export function requireBrowserSession(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  if (actor.via !== 'session') throw forbidden();
  return actor;
}

export async function createNonce(deps: CredentialsDeps, actorOrNull: Actor | null, now = new Date()): Promise<{ c_nonce: string; expiresIn: number }> {
  const actor = requireBrowserSession(actorOrNull);
  const nonce = randomBytes(24).toString('base64url');
  await insertNonce(deps.stores.control.db, {
    nonce_hash: hashNonce(nonce),
    principal_id: actor.principalId,
    session_id: actor.sessionId,
    expires_at: new Date(now.getTime() + NONCE_TTL_S * 1000),
  });
  return { c_nonce: nonce, expiresIn: NONCE_TTL_S };
}

async function spendNonce(deps: CredentialsDeps, actor: Actor, nonce: string, now: Date): Promise<void> {
  const hash = hashNonce(nonce);
  if (await consumeNonce(deps.stores.control.db, hash, actor.principalId, actor.sessionId, now)) return;
  const row = await findNonce(deps.stores.control.db, hash);
  // Another agent's (or session's) nonce is, for this request, a nonce we never gave.
  if (!row || row.principal_id !== actor.principalId || row.session_id !== actor.sessionId) throw new AppError('credential_proof_nonce_invalid', { status: 400 });
  if (row.used_at) throw new AppError('credential_proof_nonce_used', { status: 400 });
  throw new AppError('credential_proof_nonce_expired', { status: 400 });
}

const LEVELS = new Set(['low', 'substantial', 'high']);

async function publicAgentSet(deps: CredentialsDeps, actor: Actor, organisationId: string | undefined): Promise<BuiltClaims> {
  const profile = await findProfile(deps.stores.cells[actor.homeJurisdiction].db, actor.principalId);
  if (!profile) throw notFound();
  // The organisation asked for, else the profile's, else the agent's first: one the agent belongs to now.
  const memberOf = [...actor.memberships.keys()];
  const chosen = organisationId ?? (profile.organisation_id && actor.memberships.has(profile.organisation_id) ? profile.organisation_id : memberOf[0]);
  if (!chosen || !actor.memberships.has(chosen)) throw new AppError('credential_no_organisation', { status: 403 });
  const [organisation] = await findOrganisationsByIds(deps.stores.control.db, [chosen]);
  if (!organisation) throw new AppError('credential_no_organisation', { status: 403 });
  // The state's issuer vouches only for an organisation an operator confirmed (one created at a
  // federated sign-in carries the upstream's label, unchecked), that is not being deleted, and —
  // in production — that is not a demo organisation.
  if (!organisation.confirmed || (await isOrganisationDeleted(deps.stores.control.db, organisation.id)) || (organisation.demo && deps.production)) {
    throw new AppError('credential_organisation_unconfirmed', { status: 403 });
  }
  const level = actor.assuranceLevel && LEVELS.has(actor.assuranceLevel) ? (actor.assuranceLevel as 'low' | 'substantial' | 'high') : null;
  const set = publicAgentClaims({
    jurisdiction: actor.homeJurisdiction,
    givenName: profile.given_name,
    familyName: profile.family_name,
    organisation: { id: organisation.id, name: organisation.name, identifier: organisation.siret ?? organisation.neq ?? null },
    roles: actor.memberships.get(chosen) ?? [],
    assuranceLevel: level,
  });
  return { set, organisationId: organisation.id };
}

export interface IssueRequest {
  type: CredentialTypeName;
  assessmentId?: string;
  organisationId?: string;
  proof?: string;
}

export interface BuiltClaims {
  set: ClaimSet;
  organisationId: string | null;
}

/**
 * The claims of a credential of `type` for the actor, read now. Throws the refusal a request would
 * get (no organisation, unconfirmed organisation, assessment not completed…): the wallet's offer
 * calls it up-front so that the agent hears of it on the page, not later in a wallet.
 */
export async function buildClaims(deps: CredentialsDeps, actor: Actor, request: Pick<IssueRequest, 'type' | 'assessmentId' | 'organisationId'>): Promise<BuiltClaims> {
  if (request.type === 'digital-skills' && !request.assessmentId) {
    throw new AppError('validation', { errors: [{ path: 'body.assessmentId', message: 'required for digital-skills', code: 'invalid_type' }] });
  }
  if (request.type === 'public-agent') return publicAgentSet(deps, actor, request.organisationId);
  const facts = await deps.skillsClaims(actor, request.assessmentId as string);
  return { set: digitalSkillsClaims(facts), organisationId: facts.organisation?.id ?? null };
}

/**
 * Signs, records and audits one credential (shared by the browser path and the wallet path): a
 * status index in the issuer's list, the SD-JWT VC bound to `jwk`, the metadata row in the home
 * cell, the audit event (`details` adds how it went out).
 */
export async function signAndRecord(
  deps: CredentialsDeps,
  actor: Actor,
  meta: RequestMeta,
  input: { type: CredentialTypeName; built: BuiltClaims; jwk: JWK; now: Date; id?: string; details?: Record<string, string> },
): Promise<IssuedCredential> {
  const { type, built, now } = input;
  const jurisdiction = actor.homeJurisdiction;
  const iss = deps.issuers.url(jurisdiction);
  const nowS = Math.floor(now.getTime() / 1000);
  const key = await deps.issuers.signingKey(jurisdiction);
  const expires = new Date(now.getTime() + CREDENTIAL_VALIDITY_DAYS * 86_400_000);
  const id = input.id ?? uuidv7();
  const row = await insertWithStatusIndex(deps.stores.cells[jurisdiction].db, {
    id,
    principal_id: actor.principalId,
    type,
    jurisdiction,
    organisation_id: built.organisationId,
    kid: key.kid,
    issued_at: now,
    expires_at: expires,
    revoked_at: null,
    revoked_by: null,
  });
  const credential = await issueSdJwt({
    claims: built.set.claims,
    disclosable: built.set.disclosable,
    always: built.set.always,
    issuerKey: { key: key.key, kid: key.kid },
    alg: 'ES256',
    vct: vctOf(deps.publicUrl, type),
    iss,
    iat: nowS,
    nbf: nowS,
    exp: Math.floor(expires.getTime() / 1000),
    cnf: { jwk: input.jwk },
    status: { status_list: { idx: row.status_index, uri: statusListUri(deps.publicUrl, row.status_list_id) } },
    decoys: 2,
  });
  await deps.audit.record({
    action: 'credentials.issued',
    outcome: 'success',
    actorId: actor.principalId,
    organisationId: built.organisationId,
    resource: { type: 'credential', id },
    jurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
    details: { type, kid: key.kid, statusList: row.status_list_id, expiresAt: expires.toISOString(), ...input.details },
  });
  return { ...summaryOf(row, now), credential, claims: built.set.claims, disclosable: built.set.disclosable };
}

export async function issueCredential(deps: CredentialsDeps, actorOrNull: Actor | null, meta: RequestMeta, request: IssueRequest, now = new Date()): Promise<IssuedCredential> {
  const actor = requireBrowserSession(actorOrNull);
  const iss = deps.issuers.url(actor.homeJurisdiction);
  const proof = await verifyProof(request.proof, iss, Math.floor(now.getTime() / 1000));
  // The claims before the nonce is spent: an agent without an organisation or a completed
  // assessment keeps their nonce for a request that can succeed.
  const built = await buildClaims(deps, actor, request);
  await spendNonce(deps, actor, proof.nonce, now);
  return signAndRecord(deps, actor, meta, { type: request.type, built, jwk: proof.jwk, now, details: { to: 'browser' } });
}

export function summaryOf(row: IssuedRow, now = new Date()): IssuedCredentialSummary {
  return {
    id: row.id,
    type: row.type,
    jurisdiction: row.jurisdiction,
    issuedAt: row.issued_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    status: row.revoked_at ? 'revoked' : row.expires_at.getTime() <= now.getTime() ? 'expired' : 'valid',
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
    revokedBy: row.revoked_by,
  };
}

export async function listCredentials(deps: CredentialsDeps, actorOrNull: Actor | null): Promise<IssuedCredentialSummary[]> {
  const actor = requireBrowserSession(actorOrNull);
  const now = new Date();
  return (await listOwnIssued(deps.stores.cells[actor.homeJurisdiction].db, actor.principalId)).map((r) => summaryOf(r, now));
}

/** Flips the bits of what a revocation changed, here at once and on the other nodes through the bus. */
async function statusChanged(deps: CredentialsDeps, rows: IssuedRow[]): Promise<void> {
  const lists = [...new Set(rows.map((r) => r.status_list_id))];
  for (const listId of lists) deps.statusTokens.forget(listId);
  for (const listId of lists) await deps.events.publish(STATUS_CHANGED_TOPIC, { listId }).catch(() => undefined);
}

async function auditRevoked(deps: CredentialsDeps, rows: IssuedRow[], by: RevokedBy, actorId: string | null, meta: RequestMeta | null, reason: string): Promise<void> {
  for (const row of rows) {
    await deps.audit.record({
      action: 'credentials.revoked',
      outcome: 'success',
      actorId,
      organisationId: row.organisation_id,
      resource: { type: 'credential', id: row.id },
      jurisdiction: row.jurisdiction,
      ip: meta?.ip ?? null,
      requestId: meta?.requestId ?? null,
      details: { by, reason, holder: row.principal_id, type: row.type },
    });
  }
}

export async function revokeOwnCredential(deps: CredentialsDeps, actorOrNull: Actor | null, meta: RequestMeta, id: string): Promise<IssuedCredentialSummary> {
  const actor = requireBrowserSession(actorOrNull);
  const db = deps.stores.cells[actor.homeJurisdiction].db;
  const existing = await findOwnIssued(db, actor.principalId, id);
  if (!existing) throw notFound();
  const changed = await revokeIssued(db, { principalId: actor.principalId, ids: [id] }, 'holder', new Date());
  await statusChanged(deps, changed);
  await auditRevoked(deps, changed, 'holder', actor.principalId, meta, 'holder');
  return summaryOf(changed[0] ?? existing);
}

/** An administrator of an organisation revokes an agent's public-agent credentials naming it (a skills certificate names none). */
export async function revokeForOrganisation(
  deps: CredentialsDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  organisationId: string,
  principalId: string,
): Promise<{ revoked: number }> {
  const me = authorize(actorOrNull, 'organisation.remove_members', { organisationId });
  if (me.via !== 'session') throw forbidden();
  const principal = await findPrincipal(deps.stores.control.db, principalId);
  if (!principal) throw notFound();
  const changed = await revokeIssued(deps.stores.cells[principal.home_jurisdiction].db, { principalId, organisationId, type: 'public-agent' }, 'organisation', new Date());
  await statusChanged(deps, changed);
  await auditRevoked(deps, changed, 'organisation', me.principalId, meta, 'organisation_admin');
  return { revoked: changed.length };
}

/**
 * The agent left the organisation (or was disabled: every public-agent credential then goes).
 * Idempotent: called by every node that hears the event and by the sweep.
 */
export async function revokeOnLeaving(
  deps: CredentialsDeps,
  event: { principalId: string; organisationId?: string; reason: 'left_organisation' | 'disabled' },
  jurisdiction?: Jurisdiction,
): Promise<number> {
  const home = jurisdiction ?? (await findPrincipal(deps.stores.control.db, event.principalId))?.home_jurisdiction;
  if (!home) return 0;
  const changed = await revokeIssued(
    deps.stores.cells[home].db,
    { principalId: event.principalId, type: 'public-agent', ...(event.organisationId ? { organisationId: event.organisationId } : {}) },
    'left_organisation',
    new Date(),
  );
  await statusChanged(deps, changed);
  await auditRevoked(deps, changed, 'left_organisation', null, null, event.reason);
  return changed.length;
}
