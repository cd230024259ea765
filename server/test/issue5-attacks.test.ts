import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { upsertMembership } from '../src/identity/principals.repo.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { addDocument, addSpace, type Client, openClient, setMember, storedText, synced, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Attacks on the issue 5 features (share links, comments, notifications, export, import) that
 * their own test files do not cover: what a link's holder, who is no member of the space, could
 * reach beyond the one document the link opens.
 */
let t: TestApp;
const [FR1, , QC1, QC2] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
let emilie: TestSession;
let olivier: TestSession;
let spaceId: string;

beforeAll(async () => {
  t = await startTestApp();
  [emilie, olivier] = await Promise.all([t.signIn(QC1), t.signIn(QC2)]);
  // Émilie owns the space, Camille (FR1) is an editor; Olivier is no member.
  spaceId = await addSpace(t.entente, { jurisdiction: 'QC', classification: 'public', members: [{ principalId: QC1.id, role: 'owner' }, { principalId: FR1.id, role: 'editor' }] });
});
const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

const json = (session: TestSession | null, method: string, path: string, body?: unknown) =>
  fetch(`${t.baseUrl}${path}`, {
    method,
    headers: { ...(session?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A document with one page under it; Olivier opens an editor link of the document. */
async function linkedDocumentWithChild(role: 'editor' | 'commenter' = 'editor') {
  const doc = await addDocument(t.entente, spaceId, 'QC');
  const childId = uuidv7();
  await t.entente.stores.cells.QC.db
    .insertInto('documents')
    .values({ id: childId, space_id: spaceId, parent_id: doc.documentId, title: 'Sous-page', position: 0, restricted: false, epoch: 1, created_by: QC1.id })
    .execute();
  const created = await json(emilie, 'POST', `/api/documents/${doc.documentId}/share-links`, { role, reach: 'authenticated' });
  expect(created.status).toBe(201);
  const token = ((await created.json()) as { url: string }).url.split('/').pop();
  expect((await json(olivier, 'POST', '/api/share-links/redeem', { token })).status).toBe(200);
  return { doc, childId };
}

const documentRows = (spaceOf: string) =>
  t.entente.stores.cells.QC.db.selectFrom('documents').select(['id', 'title', 'parent_id', 'trashed_at']).where('space_id', '=', spaceOf).execute();

describe('an editor link gives the document’s text, not its place in the space’s tree', () => {
  it('its holder cannot trash the pages under it, duplicate it into the tree, move or rename it', async () => {
    const { doc, childId } = await linkedDocumentWithChild();
    // The link works: Olivier edits the document (its text), but he sees no page of the tree.
    expect((await json(olivier, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(200);
    expect((await json(olivier, 'GET', `/api/documents/${childId}`)).status).toBe(404);
    const before = await documentRows(spaceId);

    expect((await json(olivier, 'POST', `/api/documents/${doc.documentId}/trash`)).status).toBe(403);
    expect((await json(olivier, 'POST', `/api/documents/${doc.documentId}/duplicate`)).status).toBe(403);
    expect((await json(olivier, 'PATCH', `/api/documents/${doc.documentId}`, { parentId: null, position: 0 })).status).toBe(403);
    expect((await json(olivier, 'PATCH', `/api/documents/${doc.documentId}`, { title: 'Renommé par un lien' })).status).toBe(403);

    // Nothing changed in the space's tree: the page under it is not in the trash, no copy appeared.
    const after = await documentRows(spaceId);
    expect(after).toEqual(before);
    expect(after.find((d) => d.id === childId)?.trashed_at).toBeNull();
  });
});

describe('a commenter link does not open the space’s member list', () => {
  it('its holder, no member, gets no one to mention; a member of the space still does', async () => {
    const { doc } = await linkedDocumentWithChild('commenter');
    const asHolder = await json(olivier, 'GET', `/api/documents/${doc.documentId}/mentionable?q=`);
    expect(asHolder.status).toBe(200);
    const holderView = (await asHolder.json()) as { agents: { principalId: string }[] };
    expect(holderView.agents.map((a) => a.principalId)).not.toContain(QC1.id);
    expect(holderView.agents.map((a) => a.principalId)).not.toContain(FR1.id);
    expect(holderView.agents).toEqual([]);
    const asMember = (await (await json(emilie, 'GET', `/api/documents/${doc.documentId}/mentionable?q=`)).json()) as { agents: { principalId: string }[] };
    expect(asMember.agents.map((a) => a.principalId)).toContain(FR1.id);
  });
});

describe('public links follow the space’s protection as it is now', () => {
  const inAMonth = () => new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
  const setSpace = (values: { min_assurance?: 'low' | 'substantial'; classification?: 'public' | 'internal' | 'restricted' }) =>
    t.entente.stores.cells.QC.db.updateTable('spaces').set(values).where('id', '=', spaceId).execute();

  it('a public page made before the space was classified internal or restricted, or raised its assurance, stops being served', async () => {
    const doc = await addDocument(t.entente, spaceId, 'QC');
    const created = await json(emilie, 'POST', `/api/documents/${doc.documentId}/share-links`, { role: 'reader', reach: 'public', expiresAt: inAMonth() });
    expect(created.status).toBe(201);
    const publicUrl = ((await created.json()) as { url: string }).url;
    expect((await fetch(publicUrl)).status).toBe(200);
    for (const classification of ['restricted', 'internal'] as const) {
      await setSpace({ classification });
      try {
        expect((await fetch(publicUrl)).status, classification).toBe(410);
      } finally {
        await setSpace({ classification: 'public' });
      }
    }
    await setSpace({ min_assurance: 'substantial' });
    try {
      expect((await fetch(publicUrl)).status).toBe(410);
    } finally {
      await setSpace({ min_assurance: 'low' });
    }
    expect((await fetch(publicUrl)).status).toBe(200);
  });
});

describe('an editor link does not make a reader of the space an editor of its tree', () => {
  it('a reader holding an editor link of a page cannot import pages under it', async () => {
    await setMember(t.entente, spaceId, QC2.id, 'reader');
    try {
      const doc = await addDocument(t.entente, spaceId, 'QC');
      const created = await json(emilie, 'POST', `/api/documents/${doc.documentId}/share-links`, { role: 'editor', reach: 'members' });
      const token = ((await created.json()) as { url: string }).url.split('/').pop();
      expect((await json(olivier, 'POST', '/api/share-links/redeem', { token })).status).toBe(200);
      // The link works on the page's text…
      expect(((await (await json(olivier, 'GET', `/api/documents/${doc.documentId}`)).json()) as { role: string }).role).toBe('editor');
      // …but creating pages in the space stays an editor's of the space: by hand or by import.
      expect((await json(olivier, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Sous-page', parentId: doc.documentId })).status).toBe(403);
      const before = (await documentRows(spaceId)).length;
      const imported = await fetch(`${t.baseUrl}/api/spaces/${spaceId}/imports?${new URLSearchParams({ name: 'note.md', parentId: doc.documentId })}`, {
        method: 'POST',
        headers: { ...olivier.headers, 'content-type': 'application/octet-stream' },
        body: new TextEncoder().encode('# Importé par un lecteur\n'),
      });
      expect(imported.status).toBe(403);
      await new Promise((r) => setTimeout(r, 300));
      expect((await documentRows(spaceId)).length).toBe(before);
    } finally {
      await setMember(t.entente, spaceId, QC2.id, null);
    }
  });
});

describe('an organisation link and the agent leaving the organisation', () => {
  it('closes the open editor at once when its holder leaves the organisation but stays in another', async () => {
    const QC_ORG = DEMO_ORGANISATIONS[2].id;
    const { principalId } = await provisionAgent(t.entente.stores, t.entente.outbox, {
      jurisdiction: 'QC',
      givenName: 'Zoé',
      familyName: 'Lien',
      email: 'zoe.lien@mcn.demo-gouv-qc.test',
      preferredLanguage: 'fr-CA',
      organisationId: QC_ORG,
      roles: ['member'],
    });
    // Also of a French organisation: leaving the Québec one cuts no session.
    await upsertMembership(t.entente.stores.control.db, DEMO_ORGANISATIONS[1].id, principalId, ['member']);
    const zoe = await t.signIn({ ...QC2, id: principalId });
    const doc = await addDocument(t.entente, spaceId, 'QC');
    await t.entente.collab.store.initialise(doc, Y.encodeStateAsUpdate(jsonToYDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Texte' }] }] })));
    const created = await json(emilie, 'POST', `/api/documents/${doc.documentId}/share-links`, { role: 'editor', reach: 'organisation' });
    const token = ((await created.json()) as { url: string }).url.split('/').pop();
    expect((await json(zoe, 'POST', '/api/share-links/redeem', { token })).status).toBe(200);
    const editor = openClient(t.baseUrl, doc.documentId, () => ticketFor(t.baseUrl, zoe, doc.documentId));
    clients.push(editor);
    await synced(editor);
    editor.text.insert(0, 'Avant le départ ');
    await until(async () => (await storedText(t.entente, doc)).includes('Avant le départ'), 10_000, 'edit stored');

    // Émilie, administrator of the Québec organisation, removes Zoé from it.
    expect((await json(emilie, 'DELETE', `/api/organisations/${QC_ORG}/members/${principalId}`)).status).toBe(204);
    expect((await json(zoe, 'GET', `/api/documents/${doc.documentId}`)).status).toBe(404);
    // The open editor is closed well before the minute-long periodic re-check.
    await until(() => editor.closes.includes('access-revoked'), 15_000, 'editor closed on leaving the organisation');
  });
});
