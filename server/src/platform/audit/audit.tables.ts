import type { Generated } from 'kysely';

/** One security event. The same shape in the control plane and in each cell. */
export interface AuditEventsTable {
  id: string;
  occurred_at: Date;
  /** Principal who acted, or null (anonymous, system). */
  actor_id: string | null;
  /** Organisation the event is accounted to: the unit of tamper-evident chains (data-plane issue). */
  organisation_id: string | null;
  /** Dotted verb, e.g. `session.created`, `space.member_added`. */
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  request_id: string | null;
  /** Small structured details: ids and codes, never secrets or document content. */
  details: Generated<Record<string, unknown>>;
}

declare module '../db/types.ts' {
  interface ControlPlaneTables {
    audit_events: AuditEventsTable;
  }
  interface CellTables {
    audit_events: AuditEventsTable;
  }
}
