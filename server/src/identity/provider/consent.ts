import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { ControlDb } from '../../platform/db/types.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Actor } from '../actor.ts';
import { authorize } from '../authorization.ts';
import { type ClaimScope, claimsAllowedBy, SCOPE_CLAIMS } from './account.ts';
import { findClientRow, findClientRows } from './clients.repo.ts';
import { deleteConsent, listConsents, mergeConsent } from './consents.repo.ts';
import { destroyByGrantId, grantIdsFor, grantIdsOfAccount } from './models.repo.ts';
import type { OidcInteraction, OidcProvider } from './oidc.ts';

export interface ConsentDeps {
  db: ControlDb;
  audit: AuditLog;
  /** The provider instance of the moment (it is swapped when keys rotate). */
  provider: () => OidcProvider;
}

export interface InteractionView {
  uid: string;
  client: { id: string; name: { 'fr-FR': string; en: string } };
  /** Exactly the claims the client will receive, in a stable order. */
  claims: string[];
  scopes: string[];
  offlineAccess: boolean;
}

const epoch = () => Math.floor(Date.now() / 1000);
const ORDER: readonly string[] = Object.values(SCOPE_CLAIMS).flat();

/** The consent interaction of this agent, or `oidc_interaction_expired`. */
async function consentInteraction(deps: ConsentDeps, actor: Actor, uid: string): Promise<OidcInteraction> {
  const interaction = await deps.provider().Interaction.find(uid);
  // Someone else's interaction is as unknown as an expired one (the uid is not a capability alone).
  if (interaction?.prompt.name !== 'consent' || interaction.session?.accountId !== actor.principalId) {
    throw new AppError('oidc_interaction_expired', { status: 404 });
  }
  return interaction;
}

function requestedScopes(interaction: OidcInteraction, allowed: readonly string[]): string[] {
  const asked = String(interaction.params.scope ?? '').split(' ');
  return [...new Set(asked.filter((s) => allowed.includes(s)))];
}

/**
 * Claims named in the `claims` parameter, within what the client's scopes allow (oidc-provider
 * already refuses a request beyond them, provider.ts: this keeps the grant right regardless).
 */
function requestedClaimNames(interaction: OidcInteraction, allowedScopes: readonly string[]): string[] {
  const allowed = claimsAllowedBy(allowedScopes);
  try {
    const claims = JSON.parse(String(interaction.params.claims ?? '{}')) as Record<string, Record<string, unknown> | undefined>;
    return [...new Set([...Object.keys(claims.id_token ?? {}), ...Object.keys(claims.userinfo ?? {})])].filter((c) => ORDER.includes(c) && allowed.has(c));
  } catch {
    return [];
  }
}

function claimsOf(scopes: readonly string[], extra: readonly string[]): string[] {
  const names = new Set<string>(extra);
  for (const scope of scopes) for (const claim of SCOPE_CLAIMS[scope as ClaimScope] ?? []) names.add(claim);
  return ORDER.filter((c) => names.has(c));
}

export async function getInteraction(deps: ConsentDeps, actorOrNull: Actor | null, uid: string): Promise<InteractionView> {
  const actor = authorize(actorOrNull, 'profile.read_own');
  const interaction = await consentInteraction(deps, actor, uid);
  const client = await findClientRow(deps.db, String(interaction.params.client_id));
  if (!client) throw new AppError('oidc_interaction_expired', { status: 404 });
  const scopes = requestedScopes(interaction, client.scopes);
  return {
    uid,
    client: { id: client.client_id, name: { 'fr-FR': client.name_fr, en: client.name_en } },
    claims: claimsOf(scopes, requestedClaimNames(interaction, client.scopes)),
    scopes,
    offlineAccess: scopes.includes('offline_access'),
  };
}

/** The agent consents: a grant for exactly what was asked, remembered for this client. */
export async function giveConsent(
  deps: ConsentDeps,
  actorOrNull: Actor | null,
  uid: string,
  meta: { ip?: string | null; requestId?: string } = {},
): Promise<{ redirectTo: string }> {
  const actor = authorize(actorOrNull, 'profile.read_own');
  const interaction = await consentInteraction(deps, actor, uid);
  const clientId = String(interaction.params.client_id);
  const client = await findClientRow(deps.db, clientId);
  if (!client) throw new AppError('oidc_interaction_expired', { status: 404 });
  const provider = deps.provider();
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId: actor.principalId, clientId });
  const scopes = requestedScopes(interaction, client.scopes);
  const claims = requestedClaimNames(interaction, client.scopes);
  grant.addOIDCScope(scopes.join(' '));
  if (claims.length > 0) grant.addOIDCClaims(claims);
  const grantId = await grant.save();
  await mergeConsent(deps.db, { principal_id: actor.principalId, client_id: clientId, scopes, claims, given_at: new Date() });
  interaction.result = { ...(interaction.lastSubmission ?? {}), consent: { grantId } };
  await interaction.save(Math.max(1, interaction.exp - epoch()));
  await deps.audit.record({
    action: 'oidc.consent.given',
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction: actor.homeJurisdiction,
    resource: { type: 'oidc_client', id: clientId },
    ip: meta.ip ?? null,
    requestId: meta.requestId ?? null,
    details: { scopes: scopes.join(' ') },
  });
  return { redirectTo: interaction.returnTo };
}

/** The agent refuses: the client gets `access_denied`. */
export async function refuseConsent(
  deps: ConsentDeps,
  actorOrNull: Actor | null,
  uid: string,
  meta: { ip?: string | null; requestId?: string } = {},
): Promise<{ redirectTo: string }> {
  const actor = authorize(actorOrNull, 'profile.read_own');
  const interaction = await consentInteraction(deps, actor, uid);
  interaction.result = { error: 'access_denied', error_description: 'the agent refused' };
  await interaction.save(Math.max(1, interaction.exp - epoch()));
  await deps.audit.record({
    action: 'oidc.consent.refused',
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction: actor.homeJurisdiction,
    resource: { type: 'oidc_client', id: String(interaction.params.client_id).slice(0, 100) },
    ip: meta.ip ?? null,
    requestId: meta.requestId ?? null,
  });
  return { redirectTo: interaction.returnTo };
}

export interface GrantView {
  clientId: string;
  name: { 'fr-FR': string; en: string };
  scopes: string[];
  claims: string[];
  givenAt: string;
}

export async function listMyGrants(deps: Pick<ConsentDeps, 'db'>, actorOrNull: Actor | null): Promise<GrantView[]> {
  const actor = authorize(actorOrNull, 'profile.read_own');
  const consents = await listConsents(deps.db, actor.principalId);
  const clients = new Map((await findClientRows(deps.db, consents.map((c) => c.client_id))).map((c) => [c.client_id, c]));
  return consents.flatMap((consent) => {
    const client = clients.get(consent.client_id);
    if (!client) return [];
    return [
      {
        clientId: consent.client_id,
        name: { 'fr-FR': client.name_fr, en: client.name_en },
        scopes: consent.scopes,
        claims: claimsOf(consent.scopes, consent.claims),
        givenAt: consent.given_at.toISOString(),
      },
    ];
  });
}

/** Revokes every grant of an agent for a client, with its codes and tokens (refresh included). */
export async function revokeGrants(db: ControlDb, principalId: string, clientId: string): Promise<number> {
  let removed = 0;
  for (const grantId of await grantIdsFor(db, principalId, clientId)) removed += await destroyByGrantId(db, grantId);
  return removed;
}

/**
 * Revokes every grant of an agent, for every client, with their codes and tokens — offline
 * access (refresh tokens that outlive sessions) included. For leaving and disabling: the
 * agent's downstream services lose their access at once, not when the refresh token expires.
 */
export async function revokeAllGrantsFor(db: ControlDb, principalId: string): Promise<number> {
  let removed = 0;
  for (const grantId of await grantIdsOfAccount(db, principalId)) removed += await destroyByGrantId(db, grantId);
  return removed;
}

/** The agent withdraws consent: forgotten, and everything the client holds stops working. */
export async function withdrawConsent(
  deps: Pick<ConsentDeps, 'db' | 'audit'> & {
    /** Ends the client's part of the agent's OpenID sessions (back-channel logout); how many it told. */
    logoutClient?: (clientId: string, principalId: string) => Promise<number>;
  },
  actorOrNull: Actor | null,
  clientId: string,
  meta: { ip?: string | null; requestId?: string } = {},
): Promise<void> {
  const actor = authorize(actorOrNull, 'profile.read_own');
  const forgotten = await deleteConsent(deps.db, actor.principalId, clientId);
  // Told before its grants go: the service signs the agent out of what it still shows them.
  const told = forgotten && deps.logoutClient ? await deps.logoutClient(clientId, actor.principalId) : 0;
  const revoked = await revokeGrants(deps.db, actor.principalId, clientId);
  if (!forgotten && revoked === 0) throw notFound();
  await deps.audit.record({
    action: 'oidc.consent.withdrawn',
    outcome: 'success',
    actorId: actor.principalId,
    jurisdiction: actor.homeJurisdiction,
    resource: { type: 'oidc_client', id: clientId },
    ip: meta.ip ?? null,
    requestId: meta.requestId ?? null,
    details: { revoked, backchannelLogout: told },
  });
}
