import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import { notFound } from '../platform/errors.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorization.ts';
import { findOrganisationWithMemberCount, listOrganisationsByConfirmation, markConfirmed } from './admin-organisations.repo.ts';
import type { OrganisationRow } from './organisations.repo.ts';
import { type RequestMeta, requireSession } from './roles.ts';

/**
 * Operators confirm the organisations created at a sign-in (their SIRET or NEQ was new to
 * Entente): they check that it is a real administration, then confirm it (audited).
 */
export interface AdminOrganisationView {
  id: string;
  name: string;
  jurisdiction: 'FR' | 'QC';
  siret: string | null;
  neq: string | null;
  emailDomains: string[];
  demo: boolean;
  confirmed: boolean;
  createdAt: string;
  members: number;
}

const view = (o: OrganisationRow & { members: number }): AdminOrganisationView => ({
  id: o.id,
  name: o.name,
  jurisdiction: o.jurisdiction,
  siret: o.siret,
  neq: o.neq,
  emailDomains: o.email_domains,
  demo: o.demo,
  confirmed: o.confirmed,
  createdAt: o.created_at.toISOString(),
  members: o.members,
});

export async function listOrganisationsForOperators(stores: Stores, actor: Actor | null, filter: { confirmed?: boolean }): Promise<AdminOrganisationView[]> {
  authorize(actor, 'platform.operate');
  return (await listOrganisationsByConfirmation(stores.control.db, filter.confirmed)).map(view);
}

export async function confirmOrganisation(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  organisationId: string,
  meta: RequestMeta,
): Promise<AdminOrganisationView> {
  const me = authorize(actor, 'platform.operate');
  requireSession(me);
  if (!(await findOrganisationWithMemberCount(stores.control.db, organisationId))) throw notFound();
  if (await markConfirmed(stores.control.db, organisationId)) {
    await audit.record({
      action: 'organisation.confirmed',
      outcome: 'success',
      actorId: me.principalId,
      organisationId,
      resource: { type: 'organisation', id: organisationId },
      requestId: meta.requestId,
    });
  }
  const row = await findOrganisationWithMemberCount(stores.control.db, organisationId);
  if (!row) throw notFound();
  return view(row);
}
