import { findPrincipalWithMemberships } from '../identity/principals.repo.ts';
import type { AuditEvent, AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';

/**
 * Workspace events (reads, uploads, edits, shares…) are accounted to the acting agent's
 * organisation, so that they land in that organisation's audit chain and its export
 * (`entente audit export --org`) holds what its agents did. An event that already names an
 * organisation keeps it; an agent of no organisation stays in the platform chain; an agent of
 * several is accounted to the first of them by id (deterministic; the control plane alone
 * decides, without reading a cell).
 *
 * The lookup reads the control plane only, and never while the event is recorded inside a
 * control-plane transaction (PGlite has one connection: the plain handle would wait for the
 * transaction forever); cell transactions are on other databases. Answers are cached briefly:
 * a membership change shows in the chain within a minute.
 */
export function accountedToActorsOrganisation(audit: AuditLog, stores: Stores, ttlMs = 60_000): AuditLog {
  const cache = new Map<string, { organisationId: string | null; expires: number }>();
  async function organisationOf(principalId: string, mayQuery: boolean): Promise<string | null | undefined> {
    const cached = cache.get(principalId);
    if (cached && cached.expires > Date.now()) return cached.organisationId;
    if (!mayQuery) return undefined;
    const principal = await findPrincipalWithMemberships(stores.control.db, principalId);
    const organisationId = principal ? ([...principal.organisation_ids].sort()[0] ?? null) : null;
    if (cache.size >= 10_000) cache.clear();
    cache.set(principalId, { organisationId, expires: Date.now() + ttlMs });
    return organisationId;
  }
  return {
    async record(event, db) {
      if (event.organisationId === undefined && event.actorId) {
        const organisationId = await organisationOf(event.actorId, !(db && !event.jurisdiction));
        if (organisationId !== undefined) return audit.record({ ...event, organisationId }, db);
      }
      return audit.record(event, db);
    },
    ...(audit.recordMany
      ? {
          recordMany: async (events) => {
            const accounted: AuditEvent[] = [];
            for (const event of events) {
              const organisationId = event.organisationId === undefined && event.actorId ? await organisationOf(event.actorId, true) : undefined;
              accounted.push(organisationId === undefined ? event : { ...event, organisationId });
            }
            return audit.recordMany?.(accounted);
          },
        }
      : {}),
    list: (where) => audit.list(where),
  };
}
