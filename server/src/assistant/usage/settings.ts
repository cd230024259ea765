import type { Actor } from '../../identity/actor.ts';
import { authorize } from '../../identity/authorization.ts';
import { findOrganisationsByIds } from '../../identity/organisations.repo.ts';
import { type AuditTrx, requireSession } from '../../identity/roles.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { notFound } from '../../platform/errors.ts';
import { CONTENT_RETENTION_DAYS } from './content-log.ts';
import { findContentLogging, upsertContentLogging } from './usage.repo.ts';

/**
 * The AI settings of an organisation: content logging (off by default). Read by its members
 * (each agent is told whether the text of their requests is kept) and by operators; changed by
 * its administrators and by operators, from a browser session only (a leaked token cannot switch
 * the logging of everyone's prompts on), audited in the organisation's chain.
 */
export interface AiSettings {
  organisationId: string;
  contentLogging: boolean;
  retentionDays: number;
}

/** Whether the prompts and answers of this organisation's agents are kept (contract C3). */
export async function contentLoggingFor(deps: { stores: Stores }, organisationId: string | null): Promise<boolean> {
  if (!organisationId) return false;
  return findContentLogging(deps.stores.control.db, organisationId);
}

async function existing(stores: Stores, organisationId: string): Promise<void> {
  const [found] = await findOrganisationsByIds(stores.control.db, [organisationId]);
  if (!found) throw notFound();
}

export async function readAiSettings(deps: { stores: Stores }, actor: Actor | null, organisationId: string): Promise<AiSettings> {
  authorize(actor, 'organisation.read_members', { organisationId });
  await existing(deps.stores, organisationId);
  return { organisationId, contentLogging: await contentLoggingFor(deps, organisationId), retentionDays: CONTENT_RETENTION_DAYS };
}

export async function changeAiSettings(
  deps: { stores: Stores; audit: AuditLog; changed?: (organisationId: string) => void },
  actor: Actor | null,
  organisationId: string,
  input: { contentLogging: boolean },
  meta: { ip: string | null; requestId: string },
): Promise<AiSettings> {
  let me: Actor;
  try {
    me = authorize(actor, 'organisation.manage', { organisationId });
    requireSession(me);
  } catch (error) {
    if (actor) {
      await deps.audit.record({
        action: 'ai.settings.changed',
        outcome: 'denied',
        actorId: actor.principalId,
        organisationId,
        resource: { type: 'organisation', id: organisationId },
        ip: meta.ip,
        requestId: meta.requestId,
        details: { contentLogging: input.contentLogging, via: actor.via },
      });
    }
    throw error;
  }
  await existing(deps.stores, organisationId);
  const before = await contentLoggingFor(deps, organisationId);
  await deps.stores.control.db.transaction().execute(async (trx) => {
    await upsertContentLogging(trx, organisationId, input.contentLogging, me.principalId, new Date());
    await deps.audit.record(
      {
        action: 'ai.settings.changed',
        outcome: 'success',
        actorId: me.principalId,
        organisationId,
        resource: { type: 'organisation', id: organisationId },
        ip: meta.ip,
        requestId: meta.requestId,
        details: { contentLogging: input.contentLogging, before },
      },
      trx as unknown as AuditTrx,
    );
  });
  deps.changed?.(organisationId);
  return { organisationId, contentLogging: input.contentLogging, retentionDays: CONTENT_RETENTION_DAYS };
}
