import { createHmac } from 'node:crypto';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { Actor } from '../../identity/actor.ts';
import { emailWithinDomains, type SignedInEvent } from '../../identity/federation/signed-in.ts';
import { findProfile, findProfileByEmail, type ProfileRow } from '../../identity/profiles.repo.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type OutboxRegistry, recordInOutbox } from '../../platform/jobs/index.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { ROLE_RANK, type SpaceRole } from '../workspace.tables.ts';
import { type AuditTrx, MEMBERSHIP_CHANGED, publishQuietly, type RequestMeta, requireActor, type WorkspaceDeps } from './deps.ts';
import {
  countInvitationsSentSince,
  acceptInvitationRow,
  deleteIndexRows,
  findPendingByHmac,
  insertIndexIfAbsent,
  insertInvitation,
  markIndexAccepted,
  revokeInvitationRow,
  revokePendingFor,
} from './invitations.repo.ts';
import type { InvitationView, MemberView } from './members.ts';
import { loadSpaceAsOwner } from './spaces.ts';
import { spaceChanged } from '../live/space-events.ts';
import { findActiveMove } from './move/move.repo.ts';
import { findMemberRole, upsertMember } from './spaces.repo.ts';

/**
 * Inviting someone into a space by address. The invitation (with the address) is written in the
 * space's cell; the control plane gets only HMAC-SHA256(server secret, lower-cased address), the
 * role and the expiry, through the outbox (cell first, then control plane, repaired after a
 * crash). An agent whose profile already holds that address, vouched for by their federation,
 * becomes a member at once; anyone else is matched at sign-in — only on an address their
 * federation asserted as verified and that is within that federation's configured domains, so
 * that nobody can claim an invitation meant for someone else by putting that address on an
 * account somewhere. A new invitation for the same address replaces a pending one.
 */
export const INVITATION_VALIDITY_DAYS = 30;
export const INVITATION_INDEXED = 'workspace.invitation_indexed';
export const INVITATION_REVOKED = 'workspace.invitation_revoked';
export const INVITATION_ACCEPTED = 'workspace.invitation_accepted';

export function emailHmac(secret: Buffer, email: string): string {
  return createHmac('sha256', secret).update(`space-invitation:${email.trim().toLowerCase()}`).digest('hex');
}

export function registerInvitationOutboxHandlers(outbox: OutboxRegistry, stores: Stores): void {
  outbox.register(INVITATION_INDEXED, async ({ payload }) => {
    const p = payload as {
      invitationId: string;
      spaceId: string;
      emailHmac: string;
      role: SpaceRole;
      expiresAt: string;
      replaced: string[];
      acceptedBy: string | null;
    };
    await stores.control.db.transaction().execute(async (trx) => {
      await deleteIndexRows(trx, p.replaced);
      await insertIndexIfAbsent(trx, {
        id: p.invitationId,
        space_id: p.spaceId,
        email_hmac: p.emailHmac,
        role: p.role,
        expires_at: new Date(p.expiresAt),
        accepted_at: p.acceptedBy ? new Date() : null,
        accepted_by: p.acceptedBy,
      });
      if (p.acceptedBy) await grantAtLeast(trx, p.spaceId, p.acceptedBy, p.role);
    });
  });
  outbox.register(INVITATION_REVOKED, async ({ payload }) => {
    const p = payload as { invitationId: string };
    await deleteIndexRows(stores.control.db, [p.invitationId]);
  });
  outbox.register(INVITATION_ACCEPTED, async ({ payload }) => {
    const p = payload as { invitationId: string; spaceId: string; principalId: string; role: SpaceRole };
    await stores.control.db.transaction().execute(async (trx) => {
      await markIndexAccepted(trx, p.invitationId, p.principalId, new Date());
      await grantAtLeast(trx, p.spaceId, p.principalId, p.role);
    });
  });
}

/** Makes the principal a member with at least `role`: an invitation never lowers an existing role. */
async function grantAtLeast(trx: Stores['control']['db'], spaceId: string, principalId: string, role: SpaceRole): Promise<void> {
  const current = await findMemberRole(trx, spaceId, principalId);
  if (current && ROLE_RANK[current] >= ROLE_RANK[role]) return;
  await upsertMember(trx, spaceId, principalId, role);
}

/** A profile holding this address whose federation vouched for it, in either cell. */
async function verifiedProfileFor(stores: Stores, email: string): Promise<(ProfileRow & { jurisdiction: Jurisdiction }) | null> {
  for (const jurisdiction of JURISDICTIONS) {
    const profile = await findProfileByEmail(stores.cells[jurisdiction].db, email);
    if (profile?.email_verified) return { ...profile, jurisdiction };
  }
  return null;
}

/**
 * Every invitation sends a mail whose space name the inviter wrote: per agent, at most
 * INVITATIONS_PER_HOUR, counted in both cells over the last hour (a team's onboarding fits; a
 * script mailing a federation's whole directory does not). Over it: 429 with the wait.
 */
export const INVITATIONS_PER_HOUR = 100;

async function requireInvitationAllowance(deps: Pick<WorkspaceDeps, 'stores'>, principalId: string): Promise<void> {
  const since = new Date(Date.now() - 3_600_000);
  let sent = 0;
  for (const jurisdiction of JURISDICTIONS) sent += await countInvitationsSentSince(deps.stores.cells[jurisdiction].db, principalId, since);
  if (sent < INVITATIONS_PER_HOUR) return;
  const minutes = 15;
  throw new AppError('too_many_invitations', { params: { limit: INVITATIONS_PER_HOUR, minutes }, headers: { 'retry-after': String(minutes * 60) } });
}

export async function inviteMember(
  deps: WorkspaceDeps,
  actorOrNull: Actor | null,
  spaceId: string,
  input: { email: string; role: SpaceRole },
  meta: RequestMeta,
): Promise<{ invitation: InvitationView; member?: MemberView }> {
  const actor = requireActor(actorOrNull);
  const { access, space } = await loadSpaceAsOwner(deps.stores, actor, spaceId);
  const email = input.email.trim().toLowerCase();
  const profile = await verifiedProfileFor(deps.stores, email);
  // Someone with no account yet can accept only by signing in through a federation that vouches
  // for this address (acceptInvitationsAtSignIn): an address outside every federation's domains
  // could never accept, and a mail sent there would make Entente a relay for any text to anyone.
  if (!profile && !emailWithinDomains(email, deps.federatedDomains())) {
    throw invalid([{ path: 'body.email', message: 'no identity federation serves this address', code: 'outside_federations' }]);
  }
  if (profile) {
    const current = await findMemberRole(deps.stores.control.db, spaceId, profile.principal_id);
    if (current) throw new AppError('already_member', { status: 409 });
  }
  await requireInvitationAllowance(deps, actor.principalId);
  const now = new Date();
  const id = uuidv7();
  const expiresAt = new Date(now.getTime() + INVITATION_VALIDITY_DAYS * 86_400_000);
  const cell = deps.stores.cells[access.jurisdiction].db;
  const entry = await cell.transaction().execute(async (trx) => {
    const replaced = await revokePendingFor(trx, spaceId, email, now);
    await insertInvitation(trx, {
      id,
      space_id: spaceId,
      email,
      role: input.role,
      invited_by: actor.principalId,
      expires_at: expiresAt,
      accepted_at: profile ? now : null,
    });
    const audit = (action: string, details: Record<string, string | boolean>) =>
      deps.audit.record(
        {
          action,
          outcome: 'success',
          actorId: actor.principalId,
          jurisdiction: access.jurisdiction,
          resource: { type: 'space', id: spaceId },
          ip: meta.ip,
          requestId: meta.requestId,
          details,
        },
        trx as unknown as AuditTrx,
      );
    // The address is personal data: the audit names the invitation, not the address.
    await audit('workspace.member.invited', { invitationId: id, role: input.role, immediate: profile !== null, replaced: replaced.length > 0 });
    if (profile) await audit('workspace.member.added', { principalId: profile.principal_id, role: input.role, via: 'invitation' });
    return recordInOutbox(trx, INVITATION_INDEXED, {
      invitationId: id,
      spaceId,
      emailHmac: emailHmac(deps.secret, email),
      role: input.role,
      expiresAt: expiresAt.toISOString(),
      replaced,
      acceptedBy: profile?.principal_id ?? null,
    });
  });
  await deps.outbox.apply(cell, access.jurisdiction, entry);
  if (profile) await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId, principalId: profile.principal_id });
  else await spaceChanged(deps, spaceId, 'members'); // a pending invitation: other owners' pages list it
  await sendInvitationMail(deps, actor, { email, role: input.role, spaceName: space.name, spaceJurisdiction: access.jurisdiction, profile });
  const invitation = { id, email, role: input.role, expiresAt: expiresAt.toISOString() };
  if (!profile) return { invitation };
  return {
    invitation,
    member: {
      principalId: profile.principal_id,
      givenName: profile.given_name,
      familyName: profile.family_name,
      jurisdiction: profile.jurisdiction,
      role: input.role,
    },
  };
}

/**
 * The mail goes to the invitee's home cell's outbox when they have a profile, else to the space's
 * cell (where the address already is). A mail that cannot be sent does not undo the invitation:
 * the owners see it pending and the invitee is matched at sign-in all the same.
 */
async function sendInvitationMail(
  deps: WorkspaceDeps,
  actor: Actor,
  invite: { email: string; role: SpaceRole; spaceName: string; spaceJurisdiction: Jurisdiction; profile: (ProfileRow & { jurisdiction: Jurisdiction }) | null },
): Promise<void> {
  try {
    const inviterProfile = await findProfile(deps.stores.cells[actor.homeJurisdiction].db, actor.principalId);
    const inviter = inviterProfile ? `${inviterProfile.given_name} ${inviterProfile.family_name}` : 'Entente';
    const jurisdiction = invite.profile?.jurisdiction ?? invite.spaceJurisdiction;
    const locale: Locale = invite.profile?.preferred_language ?? (invite.spaceJurisdiction === 'QC' ? 'fr-CA' : 'fr-FR');
    await deps.mailer.send({
      jurisdiction,
      to: invite.email,
      locale,
      template: 'spaceInvitation',
      // The space's name is the inviter's free text: no working link in it (phishing, attack review).
      params: { inviter, space: withoutLinks(invite.spaceName), url: deps.publicUrl().href, days: INVITATION_VALIDITY_DAYS },
    });
  } catch (error) {
    deps.logger.warn({ err: error }, 'the invitation mail could not be sent');
  }
}

/**
 * A web address in free text made unclickable, as mail clients would otherwise link it: the scheme
 * dropped and the domain's dots bracketed (« https://evil.example/login » → « evil[.]example/login »).
 */
const ADDRESS = /(?:[a-z][a-z0-9+.-]*:\/\/)?((?:[\p{L}\p{N}-]+\.)+\p{L}{2,})((?:[/?#:]\S*)?)/giu;
export function withoutLinks(text: string): string {
  return text.replace(ADDRESS, (_match, host: string, rest: string) => `${host.replaceAll('.', '[.]')}${rest}`);
}

export async function revokeInvitation(deps: WorkspaceDeps, actorOrNull: Actor | null, spaceId: string, invitationId: string, meta: RequestMeta): Promise<void> {
  const actor = requireActor(actorOrNull);
  const { access } = await loadSpaceAsOwner(deps.stores, actor, spaceId);
  const cell = deps.stores.cells[access.jurisdiction].db;
  const entry = await cell.transaction().execute(async (trx) => {
    if (!(await revokeInvitationRow(trx, spaceId, invitationId, new Date()))) throw notFound();
    await deps.audit.record(
      {
        action: 'workspace.invitation.revoked',
        outcome: 'success',
        actorId: actor.principalId,
        jurisdiction: access.jurisdiction,
        resource: { type: 'space', id: spaceId },
        ip: meta.ip,
        requestId: meta.requestId,
        details: { invitationId },
      },
      trx as unknown as AuditTrx,
    );
    return recordInOutbox(trx, INVITATION_REVOKED, { invitationId });
  });
  await deps.outbox.apply(cell, access.jurisdiction, entry);
  // Other owners' open pages list the pending invitations.
  await spaceChanged(deps, spaceId, 'members');
}

/**
 * At a federated sign-in: accepts the invitations waiting for the address the federation
 * asserted — only if it vouched for it and the address is within its domains. Each invitation is
 * taken in its space's cell (pending, unexpired, unrevoked, for exactly this address) before the
 * membership is written, so it is accepted once. Returns the spaces joined.
 */
export async function acceptInvitationsAtSignIn(deps: WorkspaceDeps, event: SignedInEvent): Promise<string[]> {
  if (!event.emailVerified || !event.emailWithinUpstreamDomains) return [];
  const email = event.email.trim().toLowerCase();
  const now = new Date();
  const pending = await findPendingByHmac(deps.stores.control.db, emailHmac(deps.secret, email), now);
  const joined: string[] = [];
  for (const index of pending) {
    // A space being moved to the other cell takes no change: the invitation waits for the next sign-in.
    if (await findActiveMove(deps.stores.control.db, index.space_id)) continue;
    const cell = deps.stores.cells[index.jurisdiction].db;
    const entry = await cell.transaction().execute(async (trx) => {
      const taken = await acceptInvitationRow(trx, index.id, email, now);
      if (!taken) return null;
      for (const action of ['workspace.invitation.accepted', 'workspace.member.added']) {
        await deps.audit.record(
          {
            action,
            outcome: 'success',
            actorId: event.principalId,
            jurisdiction: index.jurisdiction,
            resource: { type: 'space', id: taken.space_id },
            requestId: event.requestId,
            details: { invitationId: taken.id, role: taken.role, principalId: event.principalId, upstream: event.upstream },
          },
          trx as unknown as AuditTrx,
        );
      }
      return recordInOutbox(trx, INVITATION_ACCEPTED, { invitationId: taken.id, spaceId: taken.space_id, principalId: event.principalId, role: taken.role });
    });
    if (!entry) continue;
    await deps.outbox.apply(cell, index.jurisdiction, entry);
    await publishQuietly(deps, MEMBERSHIP_CHANGED, { spaceId: index.space_id, principalId: event.principalId });
    joined.push(index.space_id);
  }
  return joined;
}
