import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { PRINCIPAL_PROVISIONED, provisionAgent, registerIdentityOutboxHandlers } from '../src/identity/provision-agent.ts';
import type { Stores } from '../src/platform/db/stores.ts';
import { OutboxRegistry, reconcileOutbox } from '../src/platform/jobs/index.ts';
import { createLogger } from '../src/platform/logger.ts';
import { openTestStores } from './support/db.ts';

/** A write that spans a cell and the control plane survives a crash between the two. */
let stores: Stores;
let close: () => Promise<void>;
const outbox = new OutboxRegistry();
const qcOrganisation = DEMO_ORGANISATIONS[2];

beforeAll(async () => {
  ({ stores, close } = await openTestStores());
  registerIdentityOutboxHandlers(outbox, stores);
  await stores.control.db
    .insertInto('organisations')
    .values({ ...qcOrganisation, email_domains: [...qcOrganisation.email_domains], demo: true })
    .execute();
});
afterAll(async () => close?.());

const agent = (email: string) => ({
  jurisdiction: 'QC' as const,
  givenName: 'Gabrielle',
  familyName: 'Roy',
  email,
  preferredLanguage: 'fr-CA' as const,
  organisationId: qcOrganisation.id,
  roles: ['member' as const],
});

const principalExists = async (id: string) =>
  (await stores.control.db.selectFrom('principals').select('id').where('id', '=', id).execute()).length === 1;

describe('provisioning an agent across the home cell and the control plane', () => {
  it('writes the profile in the home cell and the principal and membership in the control plane', async () => {
    const { principalId, created } = await provisionAgent(stores, outbox, agent('gabrielle.roy@mcn.demo-gouv-qc.test'));
    expect(created).toBe(true);
    expect(await principalExists(principalId)).toBe(true);
    const membership = await stores.control.db
      .selectFrom('memberships')
      .select(['roles'])
      .where('principal_id', '=', principalId)
      .executeTakeFirstOrThrow();
    expect(membership.roles).toEqual(['member']);
    const pending = await stores.cells.QC.db.selectFrom('outbox').select('id').where('done_at', 'is', null).execute();
    expect(pending).toHaveLength(0);
  });

  it('is completed by reconciliation after a crash between the two writes, exactly once', async () => {
    const { principalId } = await provisionAgent(stores, outbox, agent('anne.hebert@mcn.demo-gouv-qc.test'), {
      crashAfterCellWrite: true,
    });
    expect(await principalExists(principalId)).toBe(false);
    const logger = createLogger({ logLevel: 'silent' });
    const cells = { FR: stores.cells.FR.db, QC: stores.cells.QC.db };
    const first = await reconcileOutbox(cells, outbox, { logger, graceMs: 0 });
    expect(first.QC.applied).toBe(1);
    expect(await principalExists(principalId)).toBe(true);
    const second = await reconcileOutbox(cells, outbox, { logger, graceMs: 0 });
    expect(second.QC.applied).toBe(0);
    const entries = await stores.cells.QC.db
      .selectFrom('outbox')
      .select(['done_at'])
      .where('type', '=', PRINCIPAL_PROVISIONED)
      .execute();
    expect(entries.every((e) => e.done_at !== null)).toBe(true);
  });

  it('does not provision the same email twice', async () => {
    const first = await provisionAgent(stores, outbox, agent('michel.tremblay@mcn.demo-gouv-qc.test'));
    const again = await provisionAgent(stores, outbox, agent('Michel.Tremblay@mcn.demo-gouv-qc.test'));
    expect(again).toEqual({ principalId: first.principalId, created: false });
  });
});
