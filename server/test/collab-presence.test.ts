import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { addDocument, addSpace, type Client, openClient, synced, ticketFor, until } from './collab-support.ts';

/**
 * Presence (named cursors, avatars) comes from the clients, but the name on it is the agent's as
 * the home cell knows it: a client announcing itself as someone else is shown under its own name.
 */
let t: TestApp;
const clients: Client[] = [];
const [camille, , emilie] = DEMO_AGENTS as unknown as (typeof DEMO_AGENTS)[number][];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

describe('presence names', () => {
  it('rewrites a forged name with the authenticated agent’s own', async () => {
    const spaceId = await addSpace(t.entente, {
      jurisdiction: 'QC',
      members: [
        { principalId: camille!.id, role: 'owner' },
        { principalId: emilie!.id, role: 'editor' },
      ],
    });
    const ref = await addDocument(t.entente, spaceId, 'QC');
    const camilleSession = await t.signIn(camille);
    const emilieSession = await t.signIn(emilie);
    const forger = openClient(t.baseUrl, ref.documentId, () => ticketFor(t.baseUrl, camilleSession, ref.documentId));
    const watcher = openClient(t.baseUrl, ref.documentId, () => ticketFor(t.baseUrl, emilieSession, ref.documentId));
    clients.push(forger, watcher);
    await synced(forger);
    await synced(watcher);
    forger.provider.awareness?.setLocalStateField('user', { name: 'Émilie Tremblay', color: '#aa0000' });
    const seen = () => watcher.provider.awareness?.getStates().get(forger.doc.clientID) as { user?: { name?: string; color?: string } } | undefined;
    await until(() => seen()?.user?.color === '#aa0000', 10_000, 'the forger’s presence reaching the watcher');
    // The colour is the client's choice; the name is not.
    expect(seen()?.user?.name).toBe(`${camille!.givenName} ${camille!.familyName}`);
  });
});
