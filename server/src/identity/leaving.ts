import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import type { EventBus } from '../platform/events/index.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorization.ts';
import type { AuditTrx, RequestMeta } from './roles.ts';
import { deleteMembership, findMemberRow, findPrincipal, lockAdministrators, setPrincipalStatus } from './roles.repo.ts';
import type { SessionService } from './sessions.ts';
import { deleteTeamMembershipsIn } from './teams.repo.ts';
import { revokeAllAccessTokensFor } from './tokens.repo.ts';

/**
 * Leaving: an administrator removes an agent from the organisation, or an operator disables an
 * agent. Entente then ends every session of theirs, revokes their tokens and tells the other
 * modules on the event bus (spaces drop the membership, credentials get revoked):
 * `identity.agent.left_organisation` { principalId, organisationId, reason } and
 * `identity.agent.disabled` { principalId }.
 *
 * The membership change commits first; sessions and tokens are ended right after. Sessions read
 * their grants at every request, so the removed agent loses the organisation's rights at once
 * even in the instant before their sessions end.
 */
export const AGENT_LEFT_ORGANISATION = 'identity.agent.left_organisation';
export const AGENT_DISABLED = 'identity.agent.disabled';
export const AGENT_ENABLED = 'identity.agent.enabled';

export interface LeavingDeps {
  stores: Stores;
  audit: AuditLog;
  sessions: SessionService;
  events: EventBus;
}

export async function removeMember(deps: LeavingDeps, actor: Actor | null, organisationId: string, principalId: string, meta: RequestMeta): Promise<void> {
  const me = authorize(actor, 'organisation.remove_members', { organisationId });
  const { target, teams } = await deps.stores.control.db.transaction().execute(async (trx) => {
    const admins = await lockAdministrators(trx, organisationId);
    const target = await findMemberRow(trx, organisationId, principalId);
    if (!target) throw notFound();
    if (admins.length === 1 && admins[0] === principalId) throw new AppError('last_admin', { status: 409 });
    const teams = await deleteTeamMembershipsIn(trx, organisationId, principalId);
    await deleteMembership(trx, organisationId, principalId);
    await deps.audit.record(
      {
        action: 'organisation.member_removed',
        outcome: 'success',
        actorId: me.principalId,
        organisationId,
        resource: { type: 'principal', id: principalId },
        requestId: meta.requestId,
        details: { roles: target.roles.join(' '), teams: teams.length },
      },
      trx as unknown as AuditTrx,
    );
    return { target, teams };
  });
  const { sessionsEnded, tokensRevoked } = await cutAccess(deps, principalId, target.home_jurisdiction, 'left_organisation', me, meta);
  await deps.audit.record({
    action: 'agent.left_organisation',
    outcome: 'success',
    actorId: me.principalId,
    organisationId,
    resource: { type: 'principal', id: principalId },
    requestId: meta.requestId,
    details: { reason: 'removed_by_admin', sessionsEnded, tokensRevoked, teams: teams.length },
  });
  await deps.events.publish(AGENT_LEFT_ORGANISATION, { principalId, organisationId, reason: 'removed_by_admin' });
}

export async function disableAgent(deps: LeavingDeps, actor: Actor | null, principalId: string, meta: RequestMeta): Promise<void> {
  const me = authorize(actor, 'platform.operate');
  // An operator cannot lock themselves out; another operator can.
  if (principalId === me.principalId) throw forbidden();
  const principal = await findPrincipal(deps.stores.control.db, principalId);
  if (!principal) throw notFound();
  const changed = await setPrincipalStatus(deps.stores.control.db, principalId, 'disabled');
  // Even when already disabled: end whatever might still be live (idempotent).
  const { sessionsEnded, tokensRevoked } = await cutAccess(deps, principalId, principal.home_jurisdiction, 'disabled', me, meta);
  await deps.audit.record({
    action: 'agent.disabled',
    outcome: 'success',
    actorId: me.principalId,
    resource: { type: 'principal', id: principalId },
    requestId: meta.requestId,
    details: { changed, sessionsEnded, tokensRevoked },
  });
  await deps.events.publish(AGENT_DISABLED, { principalId });
}

export async function enableAgent(deps: LeavingDeps, actor: Actor | null, principalId: string, meta: RequestMeta): Promise<void> {
  const me = authorize(actor, 'platform.operate');
  const principal = await findPrincipal(deps.stores.control.db, principalId);
  if (!principal) throw notFound();
  const changed = await setPrincipalStatus(deps.stores.control.db, principalId, 'active');
  await deps.audit.record({
    action: 'agent.enabled',
    outcome: 'success',
    actorId: me.principalId,
    resource: { type: 'principal', id: principalId },
    requestId: meta.requestId,
    details: { changed },
  });
  if (changed) await deps.events.publish(AGENT_ENABLED, { principalId });
}

async function cutAccess(
  deps: LeavingDeps,
  principalId: string,
  jurisdiction: 'FR' | 'QC',
  reason: string,
  me: Actor,
  meta: RequestMeta,
): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  const ended = await deps.sessions.endAllFor({ principalId, reason, actorId: me.principalId, ip: meta.ip, jurisdiction });
  const tokensRevoked = await revokeAllAccessTokensFor(deps.stores.control.db, principalId, new Date());
  return { sessionsEnded: ended.length, tokensRevoked };
}
