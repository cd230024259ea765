import type { Kysely } from 'kysely';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Stores } from '../db/stores.ts';
import { uuidv7 } from '../ids.ts';
import { type AuditQuery, type AuditRow, insertAuditEvent, selectAuditEvents } from './audit.repo.ts';
import type { AuditEventsTable } from './audit.tables.ts';

/**
 * The audit service every module calls to record security events: who, what, on which resource,
 * from where, when, with what outcome. An event about a cell's content (a space, a document, an
 * agent's profile) is stored in that cell (`jurisdiction`); an event about the control plane
 * (organisations, platform configuration) in the control plane. The data-plane issue makes the
 * store tamper-evident (per-organisation hash chains) behind this same interface.
 */
export interface AuditEvent {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actorId?: string | null;
  organisationId?: string | null;
  resource?: { type: string; id: string } | null;
  /** Where the event is kept: a cell, or the control plane when absent. */
  jurisdiction?: Jurisdiction | null;
  ip?: string | null;
  requestId?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditLog {
  /** Records the event; pass `db` to record inside the caller's transaction on the same store. */
  record(event: AuditEvent, db?: Kysely<{ audit_events: AuditEventsTable }>): Promise<void>;
  list(where: { jurisdiction?: Jurisdiction | null } & AuditQuery): Promise<AuditRow[]>;
}

const ACTION = /^[a-z][a-z0-9_.]{2,99}$/;

export function createAuditLog(stores: Stores): AuditLog {
  const storeFor = (jurisdiction: Jurisdiction | null | undefined) =>
    (jurisdiction ? stores.cells[jurisdiction].db : stores.control.db) as unknown as Kysely<{
      audit_events: AuditEventsTable;
    }>;
  return {
    async record(event, db) {
      if (!ACTION.test(event.action)) throw new Error(`Invalid audit action ${JSON.stringify(event.action)}`);
      await insertAuditEvent(db ?? storeFor(event.jurisdiction), {
        id: uuidv7(),
        occurred_at: new Date(),
        actor_id: event.actorId ?? null,
        organisation_id: event.organisationId ?? null,
        action: event.action,
        resource_type: event.resource?.type ?? null,
        resource_id: event.resource?.id ?? null,
        outcome: event.outcome,
        // An IP address is personal data: it is kept only in a cell, never in the control plane.
        ip: event.jurisdiction ? (event.ip ?? null) : null,
        request_id: event.requestId ?? null,
        details: event.details ?? {},
      });
    },
    list: ({ jurisdiction, ...query }) => selectAuditEvents(storeFor(jurisdiction), query),
  };
}
