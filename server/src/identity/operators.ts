import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import {
  type DesignationSource,
  deleteDesignation,
  designatedPrincipals,
  grantOperator,
  insertDesignation,
  isDesignatedOperator,
  listConfigDesignations,
  listDesignations,
  listOperatorPrincipals,
  principalOfIdentity,
  revokeDesignatedOperator,
} from './operators.repo.ts';

/**
 * Operators (the states' digital directorates) are named by federated identity — upstream and
 * subject — in ENTENTE_OPERATORS or with `entente operators add`. A designation becomes the
 * `operator` platform role as soon as the identity is known to Entente: at start, when the
 * command runs, and at each sign-in of that identity. Removing a designation (from the variable
 * or with `operators remove`) removes the role, unless another designation still covers the agent
 * or the role did not come from a designation (operator_grants).
 */
export interface OperatorIdentity {
  upstream: string;
  subject: string;
}

async function grant(stores: Stores, audit: AuditLog, principalId: string, source: DesignationSource | 'sign_in'): Promise<boolean> {
  if (!(await grantOperator(stores.control.db, principalId))) return false;
  await audit.record({
    action: 'role.granted',
    outcome: 'success',
    actorId: null,
    resource: { type: 'principal', id: principalId },
    details: { role: 'operator', source },
  });
  return true;
}

async function revokeIfUndesignated(stores: Stores, audit: AuditLog, principalId: string, source: DesignationSource): Promise<boolean> {
  if (await isDesignatedOperator(stores.control.db, principalId)) return false;
  if (!(await revokeDesignatedOperator(stores.control.db, principalId))) return false;
  await audit.record({
    action: 'role.removed',
    outcome: 'success',
    actorId: null,
    resource: { type: 'principal', id: principalId },
    details: { role: 'operator', source },
  });
  return true;
}

/** A designation added or removed is an administrator action (issue 6), audited with its source. */
async function auditDesignation(audit: AuditLog, identity: OperatorIdentity, source: DesignationSource, added: boolean): Promise<void> {
  await audit.record({
    action: added ? 'operator.designated' : 'operator.designation_removed',
    outcome: 'success',
    actorId: null,
    resource: { type: 'federated_identity', id: `${identity.upstream}:${identity.subject}` },
    details: { source },
  });
}

/** At start: the designations of ENTENTE_OPERATORS replace the previous ones, then roles follow. */
export async function applyConfiguredOperators(stores: Stores, audit: AuditLog, configured: readonly OperatorIdentity[]): Promise<void> {
  const key = (o: OperatorIdentity) => `${o.upstream}\u0000${o.subject}`;
  const wanted = new Set(configured.map(key));
  for (const old of await listConfigDesignations(stores.control.db)) {
    if (wanted.has(key(old))) continue;
    if (await deleteDesignation(stores.control.db, { ...old, source: 'config' })) await auditDesignation(audit, old, 'config', false);
    const principalId = await principalOfIdentity(stores.control.db, old.upstream, old.subject);
    if (principalId) await revokeIfUndesignated(stores, audit, principalId, 'config');
  }
  for (const identity of configured) {
    if (await insertDesignation(stores.control.db, { ...identity, source: 'config' })) await auditDesignation(audit, identity, 'config', true);
  }
  for (const principalId of await designatedPrincipals(stores.control.db)) await grant(stores, audit, principalId, 'config');
}

/** At each sign-in through a federation: a designated identity gets the role (idempotent). */
export async function grantOperatorAtSignIn(stores: Stores, audit: AuditLog, principalId: string): Promise<void> {
  if (await isDesignatedOperator(stores.control.db, principalId)) await grant(stores, audit, principalId, 'sign_in');
}

/** `entente operators add`: returns the principal when the identity has signed in already. */
export async function addOperator(stores: Stores, audit: AuditLog, identity: OperatorIdentity): Promise<{ principalId: string | null; granted: boolean }> {
  if (await insertDesignation(stores.control.db, { ...identity, source: 'cli' })) await auditDesignation(audit, identity, 'cli', true);
  const principalId = (await principalOfIdentity(stores.control.db, identity.upstream, identity.subject)) ?? null;
  return { principalId, granted: principalId ? await grant(stores, audit, principalId, 'cli') : false };
}

/** `entente operators remove`: false when the command had not designated this identity. */
export async function removeOperator(stores: Stores, audit: AuditLog, identity: OperatorIdentity): Promise<{ removed: boolean; revoked: boolean }> {
  const removed = await deleteDesignation(stores.control.db, { ...identity, source: 'cli' });
  if (removed) await auditDesignation(audit, identity, 'cli', false);
  const principalId = await principalOfIdentity(stores.control.db, identity.upstream, identity.subject);
  const revoked = removed && principalId ? await revokeIfUndesignated(stores, audit, principalId, 'cli') : false;
  return { removed, revoked };
}

export interface OperatorListing {
  designations: { upstream: string; subject: string; source: DesignationSource; principalId: string | null }[];
  /** Every principal holding the role, designated or not (e.g. the demo operator). */
  principals: string[];
}

export async function listOperators(stores: Stores): Promise<OperatorListing> {
  const designations = await listDesignations(stores.control.db);
  const principals = await listOperatorPrincipals(stores.control.db);
  return {
    designations: designations.map((d) => ({ upstream: d.upstream, subject: d.subject, source: d.source, principalId: d.principal_id ?? null })),
    principals,
  };
}
