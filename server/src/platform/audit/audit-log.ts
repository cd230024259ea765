import type { Kysely } from 'kysely';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Stores } from '../db/stores.ts';
import { uuidv7 } from '../ids.ts';
import { type AuditDb, type AuditQuery, type AuditRow, appendAuditEvent, appendAuditEvents, MAX_APPEND_BATCH, selectAuditEvents } from './audit.repo.ts';
import type { AuditEventsTable } from './audit.tables.ts';
import { chainIdFor } from './chain.ts';

/**
 * The audit service every module calls to record security events: who, what, on which resource,
 * from where, when, with what outcome. An event about a cell's content (a space, a document, an
 * agent's profile) is stored in that cell (`jurisdiction`); an event about the control plane
 * (organisations, platform configuration) in the control plane. Each store keeps one hash chain
 * per organisation and one for the platform (chain.ts, audit.repo.ts): recording appends to the
 * chain of `organisationId` in that store, inside the caller's transaction when one is passed.
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
  /**
   * For an event written a little later (a batch): its id and time, given when it happened, so
   * that the entry says when, and a batch written again after a failure writes it once. Made
   * when the event is stored otherwise.
   */
  id?: string;
  occurredAt?: Date;
}

export interface AuditLog {
  /** Records the event; pass `db` to record inside the caller's transaction on the same store. */
  record(event: AuditEvent, db?: Kysely<{ audit_events: AuditEventsTable }>): Promise<void>;
  /**
   * Records several events at once, outside any transaction: one statement per store for the
   * whole batch (audit.repo.ts#appendAuditEvents), in the given order within each chain. For
   * writers of many events off any request's path (the AI gateway); absent on a log that has no
   * batched form, whose callers then record one by one.
   */
  recordMany?(events: readonly AuditEvent[]): Promise<void>;
  list(where: { jurisdiction?: Jurisdiction | null } & AuditQuery): Promise<AuditRow[]>;
}

const ACTION = /^[a-z][a-z0-9_.]{2,99}$/;

export function createAuditLog(stores: Stores): AuditLog {
  const storeFor = (jurisdiction: Jurisdiction | null | undefined) =>
    (jurisdiction ? stores.cells[jurisdiction].db : stores.control.db) as unknown as AuditDb;
  return {
    async record(event, db) {
      // The caller's handle is typed for audit_events only; it is the same store (and transaction).
      await appendAuditEvent((db ?? storeFor(event.jurisdiction)) as unknown as AuditDb, rowOf(event));
    },
    async recordMany(events) {
      const byStore = new Map<AuditDb, ReturnType<typeof rowOf>[]>();
      for (const event of events) {
        const store = storeFor(event.jurisdiction);
        const rows = byStore.get(store) ?? [];
        rows.push(rowOf(event));
        byStore.set(store, rows);
      }
      for (const [store, rows] of byStore) {
        for (let from = 0; from < rows.length; from += MAX_APPEND_BATCH) await appendAuditEvents(store, rows.slice(from, from + MAX_APPEND_BATCH));
      }
    },
    list: ({ jurisdiction, ...query }) => selectAuditEvents(storeFor(jurisdiction), query),
  };
}

/** The stored row of an event (its chain, its id and time); an invalid action is the caller's bug. */
function rowOf(event: AuditEvent) {
  if (!ACTION.test(event.action)) throw new Error(`Invalid audit action ${JSON.stringify(event.action)}`);
  const organisationId = event.organisationId ?? null;
  return {
    id: event.id ?? uuidv7(),
    occurred_at: event.occurredAt ?? new Date(),
    actor_id: event.actorId ?? null,
    organisation_id: organisationId,
    action: event.action,
    resource_type: clean(event.resource?.type),
    resource_id: clean(event.resource?.id),
    outcome: event.outcome,
    // An IP address is personal data: it is kept only in a cell, never in the control plane.
    ip: event.jurisdiction ? clean(event.ip) : null,
    request_id: clean(event.requestId),
    details: cleanDetails(event.details ?? {}),
    chain_id: chainIdFor(organisationId),
  };
}

/**
 * Text that PostgreSQL stores exactly as given: no NUL (refused by text and jsonb) and no lone
 * UTF-16 surrogate (turned into U+FFFD on the way in). Otherwise a request carrying such a
 * character could make its own audit entry fail, or hash differently once read back.
 */
function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

function cleanDetails(details: Record<string, string | number | boolean | null>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined) continue;
    // Non-finite numbers have no JSON form: kept as their text.
    out[clean(key) as string] = typeof value === 'string' ? clean(value) : typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  }
  return out;
}
