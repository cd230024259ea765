import type { Kysely } from 'kysely';
import type { AuditEventsTable } from './audit.tables.ts';

type AuditDb = Kysely<{ audit_events: AuditEventsTable }>;
export type AuditRow = Omit<AuditEventsTable, 'details'> & { details: Record<string, unknown> };

const COLUMNS = [
  'id',
  'occurred_at',
  'actor_id',
  'organisation_id',
  'action',
  'resource_type',
  'resource_id',
  'outcome',
  'ip',
  'request_id',
  'details',
] as const;

export async function insertAuditEvent(db: AuditDb, row: AuditRow): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({ ...row, details: JSON.stringify(row.details) as unknown as Record<string, unknown> })
    .execute();
}

export interface AuditQuery {
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  since?: Date;
  limit: number;
}

export async function selectAuditEvents(db: AuditDb, query: AuditQuery): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_events').select(COLUMNS);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  if (query.resourceType) q = q.where('resource_type', '=', query.resourceType);
  if (query.resourceId) q = q.where('resource_id', '=', query.resourceId);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.since) q = q.where('occurred_at', '>=', query.since);
  return (await q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute()) as AuditRow[];
}
