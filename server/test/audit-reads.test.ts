import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { findPrincipalWithMemberships } from '../src/identity/principals.repo.ts';
import { auditStores } from '../src/platform/audit/audit-stores.ts';
import { readPublicKeys } from '../src/platform/audit/signing-keys.ts';
import { verifyStore } from '../src/platform/audit/verify.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { addDocument, addSpace, type Client, openClient, synced, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Reading a document is a security event (issue 6): opening it on the collaboration socket, its
 * content through the API (JSON, Markdown, text) and its versions are audited in the space's cell,
 * with who, what and from where — and a refused read is not recorded as a read. The public keys
 * that verify checkpoints and exports are published.
 */
let t: TestApp;
const [FR1, , QC1, QC2] = DEMO_AGENTS as unknown as (typeof DEMO_AGENTS)[number][];
let reader: TestSession;
let stranger: TestSession;
let spaceId: string;
let documentId: string;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestApp({ entente: { startJobs: false } });
  reader = await t.signIn(QC1);
  stranger = await t.signIn(QC2);
  spaceId = await addSpace(t.entente, { jurisdiction: 'QC', members: [{ principalId: FR1?.id as string, role: 'owner' }, { principalId: QC1?.id as string, role: 'reader' }] });
  const ref = await addDocument(t.entente, spaceId, 'QC');
  documentId = ref.documentId;
  await t.entente.collab.store.initialise(ref, Y.encodeStateAsUpdate(jsonToYDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Note confidentielle' }] }] })));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

const reads = async (action: string) =>
  (await t.entente.audit.list({ jurisdiction: 'QC', action, resourceId: documentId, limit: 50 })).filter((e) => e.resource_type === 'document');

describe('reading documents is audited', () => {
  it('content through the API, in each format, with the reader and the request', async () => {
    for (const format of ['markdown', 'json', 'text']) {
      const response = await fetch(`${t.baseUrl}/api/documents/${documentId}/content?format=${format}`, { headers: reader.headers });
      expect(response.status).toBe(200);
    }
    const events = await reads('workspace.document.read');
    expect(events.map((e) => e.details.format).sort()).toEqual(['json', 'markdown', 'text']);
    expect(events[0]).toMatchObject({ actor_id: QC1?.id, outcome: 'success', ip: '127.0.0.1' });
    expect(events[0]?.request_id).toBeTruthy();
    // Accounted to the reader's organisation: the event is in that organisation's chain and export.
    const principal = await findPrincipalWithMemberships(t.entente.stores.control.db, QC1?.id as string);
    expect(principal?.organisation_ids.length).toBe(1);
    expect(events[0]?.organisation_id).toBe(principal?.organisation_ids[0]);
    // A stranger is refused (404) and nothing is recorded as read by them.
    expect((await fetch(`${t.baseUrl}/api/documents/${documentId}/content`, { headers: stranger.headers })).status).toBe(404);
    expect((await reads('workspace.document.read')).filter((e) => e.actor_id === QC2?.id)).toEqual([]);
  });

  it('a version and its comparison with now', async () => {
    const owner = await t.signIn(FR1);
    const created = await fetch(`${t.baseUrl}/api/documents/${documentId}/versions`, {
      method: 'POST',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Relecture' }),
    });
    expect(created.status).toBe(201);
    const versionId = ((await created.json()) as { id: string }).id;
    expect((await fetch(`${t.baseUrl}/api/documents/${documentId}/versions/${versionId}`, { headers: reader.headers })).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/api/documents/${documentId}/versions/${versionId}/diff`, { headers: reader.headers })).status).toBe(200);
    const events = (await reads('workspace.document.read')).filter((e) => e.details.versionId === versionId);
    expect(events.map((e) => e.details.via).sort()).toEqual(['version', 'version_diff']);
    expect(events.every((e) => e.actor_id === QC1?.id)).toBe(true);
  });

  it('opening the document on the collaboration socket', async () => {
    const client = openClient(t.baseUrl, documentId, () => ticketFor(t.baseUrl, reader, documentId));
    clients.push(client);
    await synced(client);
    await until(async () => (await reads('workspace.document.opened')).length > 0, 10_000, 'audited');
    const [opened] = await reads('workspace.document.opened');
    expect(opened).toMatchObject({ actor_id: QC1?.id, details: { role: 'reader', readOnly: true } });
  });

  it('keeps the cell’s chains intact, and publishes the keys that verify them', async () => {
    const keysResponse = await fetch(`${t.baseUrl}/api/audit/signing-keys`);
    expect(keysResponse.status).toBe(200);
    const published = (await keysResponse.json()) as { current: string; keys: { kid: string; publicKey: { kty: string; crv: string; x: string } }[] };
    expect(published.keys.map((k) => k.kid)).toContain(published.current);
    expect(published.keys[0]?.publicKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(JSON.stringify(published)).not.toMatch(/privateKey|"d":/);
    const keys = await readPublicKeys(t.entente.config.audit.signingKeyFile);
    for (const store of auditStores(t.entente.stores)) {
      for (const report of await verifyStore(store, { keys })) expect(report.problem, `${store.id} ${report.chain}`).toBeNull();
    }
  });
});
