import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import type { ControlDb } from '../platform/db/types.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import type { EventBus } from '../platform/events/index.ts';
import { uuidv7 } from '../platform/ids.ts';
import { enqueue, type JobRunner } from '../platform/jobs/index.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorization.ts';
import { holdsOperatorRole } from './operators.repo.ts';
import { findPrincipal } from './principals.repo.ts';
import { accountsChanged, revokeAllGrantsFor } from './provider/index.ts';
import { type AuditTrx, type RequestMeta, requireSession } from './roles.ts';
import { deleteMembership, findMemberRow, lockAdministrators, remainingGrants, setPrincipalStatus, wouldLeaveNoActiveAdmin } from './roles.repo.ts';
import type { SessionService } from './sessions.ts';
import { deleteTeamMembershipsIn } from './teams.repo.ts';
import { tokensRevoked as forgetTokensOf } from './token-cache.ts';
import { revokeAllAccessTokensFor } from './tokens.repo.ts';

/**
 * Leaving: an administrator removes an agent from the organisation, or an operator disables an
 * agent. Entente then ends every session of theirs, revokes their personal access tokens and the
 * grants of its OpenID provider (refresh tokens of offline access included), and tells the other
 * modules on the event bus (spaces drop the membership, credentials get revoked):
 * `identity.agent.left_organisation` { principalId, organisationId, reason } and
 * `identity.agent.disabled` { principalId } (`identity.agent.enabled` when re-enabled).
 *
 * The change (membership deleted, status set), its audit row and a follow-up job are one
 * control-plane transaction: whatever happens next, the change is audited and the follow-up will
 * run. The request then cuts access at once; the job (a few seconds later) repeats the cut if it
 * still applies — a crash in between loses nothing — and publishes the event, so an event is
 * never lost (at least once: subscribers are idempotent).
 *
 * Someone removed from one organisation who still belongs to another, or holds a platform role,
 * keeps their sessions and tokens: rights are re-read at every request, so the organisation's
 * are gone at once anyway; only the last membership's end cuts access.
 *
 * Right after the commit, before the cut, `accountsChanged` makes the OpenID provider forget the
 * agent's cached claims (provider/account-cache.ts) on this node and, through the event bus, on
 * the others: the next token request reads the status and the memberships again.
 */
export const AGENT_LEFT_ORGANISATION = 'identity.agent.left_organisation';
export const AGENT_DISABLED = 'identity.agent.disabled';
export const AGENT_ENABLED = 'identity.agent.enabled';

/** The follow-up job of a removal, disabling or enabling (control-plane job queue). */
export const LEAVING_FOLLOW_UP_JOB = 'identity.leaving.follow_up';
/** The request cuts access itself first; the job comes after, as the safety net and the publisher. */
const FOLLOW_UP_DELAY_MS = 2_000;

export interface LeavingDeps {
  stores: Stores;
  audit: AuditLog;
  sessions: SessionService;
  events: EventBus;
}

type FollowUp =
  | { event: typeof AGENT_LEFT_ORGANISATION; principalId: string; organisationId: string; jurisdiction: Jurisdiction; cut: boolean; actorId: string }
  | { event: typeof AGENT_DISABLED; principalId: string; jurisdiction: Jurisdiction; cut: true; actorId: string }
  | { event: typeof AGENT_ENABLED; principalId: string; jurisdiction: Jurisdiction; cut: false; actorId: string };

async function recordFollowUp(trx: ControlDb, followUp: FollowUp): Promise<void> {
  await enqueue(trx, {
    type: LEAVING_FOLLOW_UP_JOB,
    payload: followUp,
    runAt: new Date(Date.now() + FOLLOW_UP_DELAY_MS),
    idempotencyKey: `${LEAVING_FOLLOW_UP_JOB}:${uuidv7()}`,
  });
}

export function registerLeavingJobs(jobs: JobRunner, deps: LeavingDeps): void {
  jobs.register(LEAVING_FOLLOW_UP_JOB, async ({ payload }) => {
    const followUp = payload as FollowUp;
    // Again, in case the request stopped before telling the nodes (harmless when it did).
    if (followUp.event !== AGENT_ENABLED) await accountsChanged(deps.events, [followUp.principalId]);
    // Reality first: the agent may have been re-enabled, or have joined again, in the meantime.
    if (followUp.cut && (await cutStillApplies(deps.stores.control.db, followUp))) {
      const counts = await cutAccess(deps, followUp.principalId, followUp.jurisdiction, reasonOf(followUp), followUp.actorId, null);
      if (counts.sessionsEnded + counts.tokensRevoked + counts.grantsRevoked > 0) {
        // Only when the request's own cut did not happen (the process stopped in between).
        await deps.audit.record({
          action: 'agent.access_cut',
          outcome: 'success',
          actorId: followUp.actorId,
          resource: { type: 'principal', id: followUp.principalId },
          details: { reason: reasonOf(followUp), ...counts, by: 'follow_up' },
        });
      }
    }
    if (followUp.event === AGENT_LEFT_ORGANISATION) {
      await deps.events.publish(AGENT_LEFT_ORGANISATION, { principalId: followUp.principalId, organisationId: followUp.organisationId, reason: 'removed_by_admin' });
    } else {
      await deps.events.publish(followUp.event, { principalId: followUp.principalId });
    }
  });
}

const reasonOf = (followUp: FollowUp) => (followUp.event === AGENT_DISABLED ? 'disabled' : 'left_organisation');

async function cutStillApplies(db: ControlDb, followUp: FollowUp): Promise<boolean> {
  if (followUp.event === AGENT_DISABLED) return (await findPrincipal(db, followUp.principalId))?.status === 'disabled';
  const left = await remainingGrants(db, followUp.principalId);
  return left.memberships === 0 && left.platformRoles === 0;
}

export async function removeMember(deps: LeavingDeps, actor: Actor | null, organisationId: string, principalId: string, meta: RequestMeta): Promise<void> {
  const me = authorize(actor, 'organisation.remove_members', { organisationId });
  requireSession(me);
  // As for roles: an administrator does not remove themselves (another one does), so nobody
  // locks themselves out of the organisation by mistake.
  if (principalId === me.principalId) throw forbidden();
  const { target, teams, cut } = await deps.stores.control.db.transaction().execute(async (trx) => {
    const admins = await lockAdministrators(trx, organisationId);
    // Authority as it stands under the lock, not as it was when the request began.
    if (!admins.some((a) => a.principalId === me.principalId)) throw forbidden();
    const target = await findMemberRow(trx, organisationId, principalId);
    if (!target) throw notFound();
    if (wouldLeaveNoActiveAdmin(admins, principalId)) throw new AppError('last_admin', { status: 409 });
    // The membership first: a concurrent team addition (which reads it FOR SHARE) either waits
    // and then finds no member, or commits first and is removed with the other team rows below.
    await deleteMembership(trx, organisationId, principalId);
    const teams = await deleteTeamMembershipsIn(trx, organisationId, principalId);
    const left = await remainingGrants(trx, principalId);
    const cut = left.memberships === 0 && left.platformRoles === 0;
    await deps.audit.record(
      {
        action: 'organisation.member_removed',
        outcome: 'success',
        actorId: me.principalId,
        organisationId,
        resource: { type: 'principal', id: principalId },
        requestId: meta.requestId,
        details: { roles: target.roles.join(' '), teams: teams.length, accessCut: cut },
      },
      trx as unknown as AuditTrx,
    );
    await recordFollowUp(trx, {
      event: AGENT_LEFT_ORGANISATION,
      principalId,
      organisationId,
      jurisdiction: target.home_jurisdiction,
      cut,
      actorId: me.principalId,
    });
    return { target, teams, cut };
  });
  await accountsChanged(deps.events, [principalId]);
  const counts = cut
    ? await cutAccess(deps, principalId, target.home_jurisdiction, 'left_organisation', me.principalId, meta.ip)
    : { sessionsEnded: 0, tokensRevoked: 0, grantsRevoked: 0 };
  await deps.audit.record({
    action: 'agent.left_organisation',
    outcome: 'success',
    actorId: me.principalId,
    organisationId,
    resource: { type: 'principal', id: principalId },
    requestId: meta.requestId,
    details: { reason: 'removed_by_admin', accessCut: cut, ...counts, teams: teams.length },
  });
}

export async function disableAgent(deps: LeavingDeps, actor: Actor | null, principalId: string, meta: RequestMeta): Promise<void> {
  const me = authorize(actor, 'platform.operate');
  requireSession(me);
  // An operator cannot lock themselves out; another operator can, but only with the command line
  // (`entente operators remove`, then disable): one stolen operator session cannot lock out the others.
  if (principalId === me.principalId) throw forbidden();
  const principal = await deps.stores.control.db.transaction().execute(async (trx) => {
    const principal = await findPrincipal(trx, principalId);
    if (!principal) throw notFound();
    if (await holdsOperatorRole(trx, principalId)) throw new AppError('agent_is_operator', { status: 403 });
    const changed = await setPrincipalStatus(trx, principalId, 'disabled');
    await deps.audit.record(
      {
        action: 'agent.disabled',
        outcome: 'success',
        actorId: me.principalId,
        resource: { type: 'principal', id: principalId },
        requestId: meta.requestId,
        details: { changed },
      },
      trx as unknown as AuditTrx,
    );
    await recordFollowUp(trx, { event: AGENT_DISABLED, principalId, jurisdiction: principal.home_jurisdiction, cut: true, actorId: me.principalId });
    return principal;
  });
  // The OpenID provider's cached account says "active" until told: tell every node first.
  await accountsChanged(deps.events, [principalId]);
  // Even when already disabled: end whatever might still be live (idempotent).
  const counts = await cutAccess(deps, principalId, principal.home_jurisdiction, 'disabled', me.principalId, meta.ip);
  await deps.audit.record({
    action: 'agent.access_cut',
    outcome: 'success',
    actorId: me.principalId,
    resource: { type: 'principal', id: principalId },
    requestId: meta.requestId,
    details: { reason: 'disabled', ...counts },
  });
}

export async function enableAgent(deps: LeavingDeps, actor: Actor | null, principalId: string, meta: RequestMeta): Promise<void> {
  const me = authorize(actor, 'platform.operate');
  requireSession(me);
  const principal = await findPrincipal(deps.stores.control.db, principalId);
  if (!principal) throw notFound();
  // Whatever the disabling left behind (a grant made in a race, a token the cut missed) must not
  // come back to life with the agent: they start again from a fresh sign-in.
  if (principal.status === 'disabled') await cutAccess(deps, principalId, principal.home_jurisdiction, 'disabled', me.principalId, meta.ip);
  await deps.stores.control.db.transaction().execute(async (trx) => {
    const changed = await setPrincipalStatus(trx, principalId, 'active');
    await deps.audit.record(
      {
        action: 'agent.enabled',
        outcome: 'success',
        actorId: me.principalId,
        resource: { type: 'principal', id: principalId },
        requestId: meta.requestId,
        details: { changed },
      },
      trx as unknown as AuditTrx,
    );
    if (changed) await recordFollowUp(trx, { event: AGENT_ENABLED, principalId, jurisdiction: principal.home_jurisdiction, cut: false, actorId: me.principalId });
  });
}

/** Ends sessions, revokes personal access tokens and OpenID grants. Idempotent. */
async function cutAccess(
  deps: LeavingDeps,
  principalId: string,
  jurisdiction: Jurisdiction,
  reason: string,
  actorId: string,
  ip: string | null,
): Promise<{ sessionsEnded: number; tokensRevoked: number; grantsRevoked: number }> {
  const ended = await deps.sessions.endAllFor({ principalId, reason, actorId, ip, jurisdiction });
  const tokensRevoked = await revokeAllAccessTokensFor(deps.stores.control.db, principalId, new Date());
  await forgetTokensOf(deps.events, { principalIds: [principalId] }); // AI gateway keys cached per node (token-cache.ts)
  const grantsRevoked = await revokeAllGrantsFor(deps.stores.control.db, principalId);
  return { sessionsEnded: ended.length, tokensRevoked, grantsRevoked };
}

// ── organisation deletion (helper O) ──
/**
 * An organisation deleted by an operator (organisation-deletion.ts): its member leaves it through
 * the same path as a removal — membership and team rows deleted, audited, follow-up job recorded in
 * one transaction, then access cut — and, when it was their only organisation (and they hold no
 * platform role), they are disabled as well: nobody is left signed in to an organisation that no
 * longer exists. Idempotent: run again after a crash, it only finishes what is left.
 */
export async function leaveDeletedOrganisation(
  deps: LeavingDeps,
  organisationId: string,
  principalId: string,
  by: { actorId: string | null; requestId: string | null },
): Promise<{ left: boolean; disabled: boolean }> {
  const actorId = by.actorId as string; // null from the command line: the audit then names no actor
  const outcome = await deps.stores.control.db.transaction().execute(async (trx) => {
    const principal = await findPrincipal(trx, principalId);
    if (!principal) return null;
    const left = await deleteMembership(trx, organisationId, principalId);
    const teams = await deleteTeamMembershipsIn(trx, organisationId, principalId);
    const remaining = await remainingGrants(trx, principalId);
    const disable = remaining.memberships === 0 && remaining.platformRoles === 0;
    const disabled = disable && (await setPrincipalStatus(trx, principalId, 'disabled'));
    if (left) {
      await deps.audit.record(
        {
          action: 'organisation.member_removed',
          outcome: 'success',
          actorId: by.actorId,
          organisationId,
          resource: { type: 'principal', id: principalId },
          requestId: by.requestId,
          details: { reason: 'organisation_deleted', teams: teams.length, accessCut: disable },
        },
        trx as unknown as AuditTrx,
      );
      await recordFollowUp(trx, { event: AGENT_LEFT_ORGANISATION, principalId, organisationId, jurisdiction: principal.home_jurisdiction, cut: disable, actorId });
    }
    if (disabled) {
      await deps.audit.record(
        {
          action: 'agent.disabled',
          outcome: 'success',
          actorId: by.actorId,
          resource: { type: 'principal', id: principalId },
          requestId: by.requestId,
          details: { changed: true, reason: 'organisation_deleted' },
        },
        trx as unknown as AuditTrx,
      );
      await recordFollowUp(trx, { event: AGENT_DISABLED, principalId, jurisdiction: principal.home_jurisdiction, cut: true, actorId });
    }
    return { left, disabled, disable, jurisdiction: principal.home_jurisdiction };
  });
  if (!outcome) return { left: false, disabled: false };
  await accountsChanged(deps.events, [principalId]);
  // Even on a second run: whatever might still be live ends (idempotent).
  if (outcome.disable) {
    const counts = await cutAccess(deps, principalId, outcome.jurisdiction, 'disabled', actorId, null);
    if (outcome.disabled || counts.sessionsEnded + counts.tokensRevoked + counts.grantsRevoked > 0) {
      await deps.audit.record({
        action: 'agent.access_cut',
        outcome: 'success',
        actorId: by.actorId,
        resource: { type: 'principal', id: principalId },
        requestId: by.requestId,
        details: { reason: 'organisation_deleted', ...counts },
      });
    }
  }
  return { left: outcome.left, disabled: outcome.disabled };
}
// ── end organisation deletion ──
