import type { Kysely } from 'kysely';
import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { AuditEventsTable } from '../platform/audit/audit.tables.ts';
import type { Stores } from '../platform/db/stores.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorization.ts';
import { ORGANISATION_ROLES, type OrganisationRole } from './identity.tables.ts';
import { type MemberView, memberView } from './members.ts';
import { findMemberRow, lockAdministrators, updateMemberRoles, wouldLeaveNoActiveAdmin } from './roles.repo.ts';

export interface RequestMeta {
  ip: string | null;
  requestId: string;
}

/** The audit log's own table, for recording inside a control-plane transaction. */
export type AuditTrx = Kysely<{ audit_events: AuditEventsTable }>;

/**
 * Who may grant or remove which organisation role:
 * - `admin`: an operator, or another administrator of the organisation (not on themselves: an
 *   administrator steps down by asking another one, so nobody locks themselves out by mistake);
 * - `trainer`, `manager`: the organisation's administrators;
 * - `member` is not granted here: it is the membership itself (removing it is leaving).
 * `isAdmin` is read from the administrators' rows locked in the transaction, not from the
 * actor's snapshot taken when the request began.
 */
export function mayChangeRole(actor: Actor, isAdmin: boolean, targetId: string, role: OrganisationRole): boolean {
  if (role === 'admin') return actor.platformRoles.has('operator') || (isAdmin && targetId !== actor.principalId);
  if (role === 'trainer' || role === 'manager') return isAdmin;
  return false;
}

/**
 * Administrative changes are made by a person at a screen: a personal access token (`api:write`,
 * meant for scripts reading and writing one's own data) never changes roles, teams, memberships
 * or agents' status, so a leaked token cannot be turned against the organisation.
 */
export function requireSession(actor: Actor): void {
  if (actor.via !== 'session') throw forbidden();
}

/** Roles in their canonical order, without duplicates. */
export function normaliseRoles(roles: readonly OrganisationRole[]): OrganisationRole[] {
  return ORGANISATION_ROLES.filter((r) => roles.includes(r));
}

/**
 * Sets a member's roles (the whole list, `member` included). Every role granted or removed is
 * checked against `mayChangeRole` and audited (`role.granted`, `role.removed`); the last
 * active administrator of an organisation cannot lose that role (`last_admin`).
 */
export async function setMemberRoles(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  organisationId: string,
  principalId: string,
  wanted: readonly OrganisationRole[],
  meta: RequestMeta,
): Promise<MemberView> {
  const me = authorize(actor, 'organisation.manage_roles', { organisationId });
  requireSession(me);
  const roles = normaliseRoles(wanted);
  if (!roles.includes('member')) {
    throw new AppError('validation', { errors: [{ path: 'body.roles', message: 'must include member', code: 'invalid_value' }] });
  }
  await stores.control.db.transaction().execute(async (trx) => {
    const admins = await lockAdministrators(trx, organisationId);
    // Authority as it stands now, under the lock: an administrator demoted a moment ago no longer has it.
    const isAdmin = admins.some((a) => a.principalId === me.principalId);
    if (!me.platformRoles.has('operator') && !isAdmin) throw forbidden();
    const target = await findMemberRow(trx, organisationId, principalId);
    if (!target) throw notFound();
    const granted = roles.filter((r) => !target.roles.includes(r));
    const removed = target.roles.filter((r) => !roles.includes(r));
    for (const role of [...granted, ...removed]) {
      if (!mayChangeRole(me, isAdmin, principalId, role)) throw forbidden();
    }
    if (removed.includes('admin') && wouldLeaveNoActiveAdmin(admins, principalId)) throw new AppError('last_admin', { status: 409 });
    if (granted.length === 0 && removed.length === 0) return;
    await updateMemberRoles(trx, organisationId, principalId, roles);
    for (const [action, list] of [
      ['role.granted', granted],
      ['role.removed', removed],
    ] as const) {
      for (const role of list) {
        await audit.record(
          {
            action,
            outcome: 'success',
            actorId: me.principalId,
            organisationId,
            resource: { type: 'principal', id: principalId },
            requestId: meta.requestId,
            details: { role },
          },
          trx as unknown as AuditTrx,
        );
      }
    }
  });
  return memberView(stores, me, organisationId, principalId);
}
