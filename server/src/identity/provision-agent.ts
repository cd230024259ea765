import type { Locale } from '../../../common/src/i18n/locales.ts';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Stores } from '../platform/db/stores.ts';
import { uuidv7 } from '../platform/ids.ts';
import { type OutboxRegistry, recordInOutbox } from '../platform/jobs/index.ts';
import type { OrganisationRole } from './identity.tables.ts';
import { insertPrincipalIfAbsent, upsertMembership } from './principals.repo.ts';
import { findProfileByEmail, insertProfileIfAbsent } from './profiles.repo.ts';

/**
 * Creating an agent touches the home cell (the profile: personal data) and the control plane
 * (the pseudonymous principal and its membership). They cannot be one transaction, so, as
 * DESIGN.md requires: the cell is written first together with an outbox entry, then the control
 * plane; if the process stops in between, the reconciliation job replays the entry. The control
 * plane write is idempotent, so a replay after a crash is harmless.
 */
export const PRINCIPAL_PROVISIONED = 'identity.principal_provisioned';

export interface NewAgent {
  id?: string;
  jurisdiction: Jurisdiction;
  givenName: string;
  familyName: string;
  email: string;
  preferredLanguage: Locale;
  organisationId: string;
  roles: OrganisationRole[];
}

export function registerIdentityOutboxHandlers(outbox: OutboxRegistry, stores: Stores): void {
  outbox.register(PRINCIPAL_PROVISIONED, async ({ payload, jurisdiction }) => {
    const p = payload as { principalId: string; organisationId: string; roles: OrganisationRole[] };
    await stores.control.db.transaction().execute(async (trx) => {
      await insertPrincipalIfAbsent(trx, p.principalId, jurisdiction);
      await upsertMembership(trx, p.organisationId, p.principalId, p.roles);
    });
  });
}

/** Returns the principal id: the existing one when the email already has a profile in the cell. */
export async function provisionAgent(
  stores: Stores,
  outbox: OutboxRegistry,
  agent: NewAgent,
  options: { crashAfterCellWrite?: boolean } = {},
): Promise<{ principalId: string; created: boolean }> {
  const cell = stores.cells[agent.jurisdiction].db;
  const existing = await findProfileByEmail(cell, agent.email);
  if (existing) return { principalId: existing.principal_id, created: false };
  const principalId = agent.id ?? uuidv7();
  const entry = await cell.transaction().execute(async (trx) => {
    const inserted = await insertProfileIfAbsent(trx, {
      principal_id: principalId,
      given_name: agent.givenName,
      family_name: agent.familyName,
      email: agent.email,
      preferred_language: agent.preferredLanguage,
      organisation_id: agent.organisationId,
    });
    // Another request provisioned the same email in between: theirs stands, nothing to record.
    if (!inserted) return null;
    return recordInOutbox(trx, PRINCIPAL_PROVISIONED, {
      principalId,
      organisationId: agent.organisationId,
      roles: agent.roles,
    });
  });
  if (!entry) {
    const winner = await findProfileByEmail(cell, agent.email);
    if (!winner) throw new Error('agent profile vanished while being provisioned');
    return { principalId: winner.principal_id, created: false };
  }
  // Tests use this to stand for a process that died between the two writes.
  if (options.crashAfterCellWrite) return { principalId, created: true };
  await outbox.apply(cell, agent.jurisdiction, entry);
  return { principalId, created: true };
}
