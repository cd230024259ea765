import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { type CollabAuthenticate, createCollabServer } from '../src/workspace/collab/collab-server.ts';
import type { DocumentStore } from '../src/workspace/collab/document-store.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { acknowledged, addDocument, addSpace, type Client, openClient, storedText, synced, ticketFor, until } from './collab-support.ts';

/**
 * The collaboration limits that protect everyone on a document from one client: connections per
 * document and document size (docs/collaboration.md, "Guard rails"). The server under test has
 * the limits lowered (5 connections, 64 KiB), so that reaching them takes a few real clients; the
 * production defaults are checked separately.
 */
const LIMITS = { maxConnectionsPerDocument: 5, maxDocumentBytes: 64 * 1024 };

let t: TestApp;
const [FR1, , QC1] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
let owner: TestSession;
let editor: TestSession;
let spaceId: string;
const clients: Client[] = [];

function client(documentId: string, session: TestSession): Client {
  const c = openClient(t.baseUrl, documentId, () => ticketFor(t.baseUrl, session, documentId));
  clients.push(c);
  return c;
}
const liveConnections = (documentId: string) => t.entente.collab.server.connections((c) => c.documentId === documentId).length;

beforeAll(async () => {
  t = await startTestApp({ entente: { collabLimits: LIMITS } });
  owner = await t.signIn(FR1);
  editor = await t.signIn(QC1);
  spaceId = await addSpace(t.entente, {
    jurisdiction: 'FR',
    members: [
      { principalId: FR1.id, role: 'owner' },
      { principalId: QC1.id, role: 'editor' },
    ],
  });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

describe('limits', () => {
  it('defaults to 250 connections per document and 16 MiB per document; the test server has them lowered', async () => {
    const server = createCollabServer({ logger: t.entente.logger, store: {} as DocumentStore });
    try {
      expect(server.limits).toEqual({ maxConnectionsPerDocument: 250, maxDocumentBytes: 16 * 1024 * 1024 });
    } finally {
      await server.close();
    }
    expect(t.entente.collab.server.limits).toEqual(LIMITS);
  });
});

describe('connections per document', () => {
  it('refuses the connection beyond the limit inside the protocol, keeps the others working, and lets a newcomer in once one leaves', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const five = [0, 1, 2, 3, 4].map((i) => client(doc.documentId, i % 2 === 0 ? owner : editor));
    await Promise.all(five.map((c) => synced(c)));
    expect(liveConnections(doc.documentId)).toBe(5);

    const sixth = client(doc.documentId, editor);
    await until(() => sixth.refusals.length > 0, 10_000, 'sixth refused');
    expect(sixth.refusals).toEqual(['too-many-connections']);
    expect(sixth.provider.isSynced).toBe(false);
    expect(liveConnections(doc.documentId)).toBe(5);

    // The five still co-edit; the refused one receives nothing.
    five[0]?.text.insert(0, 'toujours ouvert');
    await acknowledged(five[0] as Client);
    await Promise.all(five.map((c) => until(() => c.text.toString() === 'toujours ouvert', 10_000, 'edit received')));
    expect(await storedText(t.entente, doc)).toBe('toujours ouvert');
    expect(sixth.text.toString()).toBe('');

    // The limit is per document: another document opens normally meanwhile.
    const other = await addDocument(t.entente, spaceId, 'FR');
    const elsewhere = client(other.documentId, owner);
    await synced(elsewhere);

    // One leaves: a newcomer gets in and sees the document.
    sixth.destroy();
    five[4]?.destroy();
    await until(() => liveConnections(doc.documentId) === 4, 10_000, 'one left');
    const newcomer = client(doc.documentId, owner);
    await synced(newcomer);
    expect(newcomer.refusals).toEqual([]);
    expect(newcomer.text.toString()).toBe('toujours ouvert');
    expect(liveConnections(doc.documentId)).toBe(5);
  });

  it('holds when many clients arrive at once on a document still loading', async () => {
    // A collaboration server of its own whose document takes 200 ms to load (a big document, a
    // busy database): every client authenticated meanwhile used to get in, whatever the limit.
    const store = {
      load: async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { state: Y.encodeStateAsUpdate(new Y.Doc()), epoch: 1 };
      },
      append: async () => {},
    } as unknown as DocumentStore;
    const authenticate: CollabAuthenticate = async ({ documentName }) => ({
      readOnly: false,
      context: { documentId: documentName, spaceId, jurisdiction: 'FR', principalId: FR1.id, sessionId: owner.sessionId, epoch: 1, role: 'editor', assuranceLevel: null },
    });
    const server = createCollabServer({ logger: t.entente.logger, store, authenticate, limits: LIMITS });
    const httpServer = http.createServer();
    httpServer.on('upgrade', (req, socket, head) => server.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const { port } = httpServer.address() as AddressInfo;
    const burst = Array.from({ length: 9 }, () => openClient(`http://127.0.0.1:${port}`, 'burst', 'any'));
    try {
      await until(() => burst.every((c) => c.provider.isSynced || c.refusals.length > 0), 15_000, 'every client answered');
      expect(server.connections()).toHaveLength(5);
      expect(burst.filter((c) => c.refusals.includes('too-many-connections'))).toHaveLength(4);
      // Those admitted keep working.
      const [first, second] = burst.filter((c) => c.provider.isSynced) as [Client, Client];
      first.text.insert(0, 'cinq');
      await until(() => second.text.toString() === 'cinq', 10_000, 'edit received');
    } finally {
      for (const c of burst) c.destroy();
      await server.close();
      await new Promise((resolve) => httpServer.close(resolve));
    }
  });
});

describe('document size', () => {
  it('refuses growth beyond the limit: the writer is told, nothing of it is logged or broadcast, everyone else keeps editing', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const writer = client(doc.documentId, owner);
    const other = client(doc.documentId, editor);
    await Promise.all([synced(writer), synced(other)]);

    const first = 'a'.repeat(40_000);
    writer.text.insert(0, first);
    await acknowledged(writer);
    await until(() => other.text.length === first.length, 10_000, 'first content received');

    // 40 KB + 30 KB > 64 KiB: refused, the writer's socket is closed with the reason.
    writer.text.insert(first.length, 'b'.repeat(30_000));
    await until(() => writer.closes.includes('too-large'), 10_000, 'writer told too-large');
    // It reconnects and sends its change again: refused again, never acknowledged.
    await until(() => writer.closes.filter((r) => r === 'too-large').length >= 2, 10_000, 'refused again on reconnect');
    expect(writer.provider.unsyncedChanges).toBeGreaterThan(0);
    writer.destroy();

    // Nothing of it anywhere: not on the other client, not in the database, not for a newcomer.
    expect(other.text.toString()).toBe(first);
    expect(await storedText(t.entente, doc)).toBe(first);
    const newcomer = client(doc.documentId, editor);
    await synced(newcomer);
    expect(newcomer.text.toString()).toBe(first);

    // The others still edit within the limit, and deleting still works.
    other.text.insert(0, 'ok ');
    await acknowledged(other);
    other.text.delete(3, 20_000);
    await acknowledged(other);
    const expected = `ok ${'a'.repeat(20_000)}`;
    await until(() => newcomer.text.toString() === expected, 10_000, 'edits received');
    expect(await storedText(t.entente, doc)).toBe(expected);
    expect(other.closes).toEqual([]);
  });

  it('counts the state loaded from the database: a document already near the limit refuses growth after a reload', async () => {
    const doc = await addDocument(t.entente, spaceId, 'FR');
    const writer = client(doc.documentId, owner);
    await synced(writer);
    writer.text.insert(0, 'c'.repeat(50_000));
    await acknowledged(writer);
    writer.destroy();
    // Unloaded once nobody is connected; the next client loads it from the database.
    await until(() => !t.entente.collab.server.hocuspocus.documents.has(doc.documentId), 15_000, 'document unloaded');

    const again = client(doc.documentId, editor);
    await synced(again);
    expect(again.text.length).toBe(50_000);
    again.text.insert(0, 'd'.repeat(20_000));
    await until(() => again.closes.includes('too-large'), 10_000, 'growth refused after reload');
    again.destroy();
    expect(await storedText(t.entente, doc)).toBe('c'.repeat(50_000));
  });
});
