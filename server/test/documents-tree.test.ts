import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { jsonToYDoc, yDocToJson } from '../src/workspace/content/ydoc-json.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * The documents tree through the real server: roles (readers and commenters change nothing),
 * moves (renumbering, no cycle, same space), trash and restore with descendants, delete for good,
 * per-document restriction in the listing and on read, duplicate with content, assurance.
 */
let t: TestApp;
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();
let space: string;

async function api(agent: { id: string }, method: string, path: string, body?: unknown) {
  const session = sessions.get(agent.id) as TestSession;
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: { ...session.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}
const create = async (title: string, parentId?: string, inSpace = space) => {
  const answer = await api(camille, 'POST', `/api/spaces/${inSpace}/documents`, { title, ...(parentId ? { parentId } : {}) });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
};
const list = async (agent: { id: string }, trash = false) =>
  (await api(agent, 'GET', `/api/spaces/${space}/documents?trash=${trash}`)).body.documents as { id: string; parentId: string | null; title: string; position: number; role: string }[];

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
  space = (await api(camille, 'POST', '/api/spaces', { name: 'Arborescence', jurisdiction: 'QC', minAssurance: 'low', classification: 'internal' })).body.id;
  for (const [agent, role] of [
    [emilie, 'editor'],
    [hugo, 'commenter'],
    [olivier, 'reader'],
  ] as const) {
    expect((await api(camille, 'POST', `/api/spaces/${space}/invitations`, { email: agent.email, role })).status).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
});

describe('documents tree', () => {
  it('lets editors build the tree and refuses readers and commenters', async () => {
    const a = await create('A');
    const created = await api(emilie, 'POST', `/api/spaces/${space}/documents`, { title: 'Par Émilie', parentId: a });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ parentId: a, position: 0, role: 'editor', restricted: false, trashedAt: null });
    for (const agent of [olivier, hugo]) {
      expect((await api(agent, 'POST', `/api/spaces/${space}/documents`, { title: 'Non' })).status).toBe(403);
      expect((await api(agent, 'PATCH', `/api/documents/${a}`, { title: 'Non' })).status).toBe(403);
      expect((await api(agent, 'POST', `/api/documents/${a}/trash`)).status).toBe(403);
      expect((await api(agent, 'POST', `/api/documents/${a}/duplicate`)).status).toBe(403);
    }
    // Readers still read.
    expect((await list(olivier)).map((d) => d.id)).toContain(a);
    const read = await api(olivier, 'GET', `/api/documents/${a}`);
    expect(read.body).toMatchObject({ id: a, title: 'A', role: 'reader', jurisdiction: 'QC', spaceName: 'Arborescence', epoch: 1, insufficientAssurance: false });
    // Editors rename; an editor cannot delete for good (owners only).
    expect((await api(emilie, 'PATCH', `/api/documents/${a}`, { title: 'A renommé' })).body.title).toBe('A renommé');
    await api(emilie, 'POST', `/api/documents/${a}/trash`);
    expect((await api(emilie, 'DELETE', `/api/documents/${a}`)).status).toBe(403);
    expect((await api(camille, 'POST', `/api/documents/${a}/restore`)).status).toBe(200);
  });

  it('moves among siblings and under another parent, renumbering both', async () => {
    const parent = await create('Parent');
    const [x, y, z] = [await create('X', parent), await create('Y', parent), await create('Z', parent)];
    const moved = await api(emilie, 'PATCH', `/api/documents/${z}`, { position: 0 });
    expect(moved.status).toBe(200);
    const order = (await list(camille)).filter((d) => d.parentId === parent).sort((p, q) => p.position - q.position);
    expect(order.map((d) => [d.title, d.position])).toEqual([
      ['Z', 0],
      ['X', 1],
      ['Y', 2],
    ]);
    const other = await create('Autre');
    expect((await api(emilie, 'PATCH', `/api/documents/${x}`, { parentId: other, position: 0 })).body).toMatchObject({ parentId: other, position: 0 });
    const left = (await list(camille)).filter((d) => d.parentId === parent).sort((p, q) => p.position - q.position);
    expect(left.map((d) => [d.title, d.position])).toEqual([
      ['Z', 0],
      ['Y', 1],
    ]);
    // To the root.
    expect((await api(emilie, 'PATCH', `/api/documents/${y}`, { parentId: null })).body.parentId).toBeNull();
    const audit = await t.entente.audit.list({ jurisdiction: 'QC', resourceType: 'document', resourceId: x, limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['workspace.document.created', 'workspace.document.moved']));
  });

  it('refuses a move that would make a cycle, or leave the space', async () => {
    const top = await create('Haut');
    const mid = await create('Milieu', top);
    const low = await create('Bas', mid);
    for (const target of [top, mid, low]) {
      const answer = await api(camille, 'PATCH', `/api/documents/${top}`, { parentId: target });
      expect(answer.status, target).toBe(409);
      expect(answer.body.type).toBe('urn:entente:problem:document-move-refused');
    }
    const elsewhere = (await api(camille, 'POST', '/api/spaces', { name: 'Ailleurs', jurisdiction: 'QC', minAssurance: 'low', classification: 'internal' })).body.id;
    const foreign = await create('Étranger', undefined, elsewhere);
    const across = await api(camille, 'PATCH', `/api/documents/${low}`, { parentId: foreign });
    expect(across.status).toBe(409);
    // A parent in a space the actor cannot see: nothing is revealed.
    const hidden = (await api(emilie, 'PATCH', `/api/documents/${low}`, { parentId: foreign })).status;
    expect(hidden).toBe(404);
    expect((await api(camille, 'GET', `/api/documents/${low}`)).body.parentId).toBe(mid);
  });

  it('trashes and restores a document with its descendants; owners delete for good from the trash only', async () => {
    const root = await create('Dossier');
    const child = await create('Enfant', root);
    const grandchild = await create('Petit-enfant', child);
    const trashed = await api(emilie, 'POST', `/api/documents/${root}/trash`);
    expect(trashed.status).toBe(200);
    expect(trashed.body.trashedAt).not.toBeNull();
    const visible = (await list(camille)).map((d) => d.id);
    expect(visible).not.toContain(root);
    expect(visible).not.toContain(grandchild);
    expect((await list(camille, true)).map((d) => d.id)).toEqual(expect.arrayContaining([root, child, grandchild]));
    // In the trash, it cannot be changed.
    expect((await api(emilie, 'PATCH', `/api/documents/${child}`, { title: 'Non' })).status).toBe(409);
    // Nor opened live: said as « in the trash » (not « no access »), so the page keeps what the
    // agent types meanwhile and sends it once the document is restored.
    const ticket = await api(emilie, 'POST', '/api/collab/tickets', { documentId: child });
    expect(ticket.status).toBe(409);
    expect(ticket.body.type).toBe('urn:entente:problem:document-in-trash');

    expect((await api(emilie, 'POST', `/api/documents/${root}/restore`)).status).toBe(200);
    expect((await api(emilie, 'POST', '/api/collab/tickets', { documentId: child })).status).toBe(200);
    expect((await list(camille)).map((d) => d.id)).toEqual(expect.arrayContaining([root, child, grandchild]));

    expect((await api(camille, 'DELETE', `/api/documents/${root}`)).status).toBe(409);
    await api(camille, 'POST', `/api/documents/${root}/trash`);
    expect((await api(camille, 'DELETE', `/api/documents/${root}`)).status).toBe(204);
    const rows = await t.entente.stores.cells.QC.db.selectFrom('documents').select('id').where('id', 'in', [root, child, grandchild]).execute();
    expect(rows).toEqual([]);
    expect((await api(camille, 'GET', `/api/documents/${child}`)).status).toBe(404);
    const audit = await t.entente.audit.list({ jurisdiction: 'QC', resourceType: 'document', resourceId: root, limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['workspace.document.trashed', 'workspace.document.restored', 'workspace.document.deleted']));
  });

  it('restores a child whose parent is still in the trash at the root', async () => {
    const parent = await create('Parent supprimé');
    const child = await create('Enfant isolé', parent);
    await api(camille, 'POST', `/api/documents/${child}/trash`);
    await api(camille, 'POST', `/api/documents/${parent}/trash`);
    const restored = await api(camille, 'POST', `/api/documents/${child}/restore`);
    expect(restored.body).toMatchObject({ parentId: null, trashedAt: null });
  });

  it('hides a restricted document from members not listed, in the listing and on read', async () => {
    const secret = await create('Note réservée');
    const set = await api(camille, 'PUT', `/api/documents/${secret}/access`, { restricted: true, entries: [{ principalId: emilie.id, role: 'reader' }] });
    expect(set.status).toBe(200);
    for (const agent of [olivier, hugo]) {
      expect((await list(agent)).map((d) => d.id)).not.toContain(secret);
      expect((await api(agent, 'GET', `/api/documents/${secret}`)).status).toBe(404);
      expect((await api(agent, 'PATCH', `/api/documents/${secret}`, { title: 'x' })).status).toBe(404);
    }
    // Émilie, editor of the space but listed as reader: reads it, cannot change it.
    const hers = (await list(emilie)).find((d) => d.id === secret);
    expect(hers).toMatchObject({ role: 'reader' });
    expect((await api(emilie, 'PATCH', `/api/documents/${secret}`, { title: 'x' })).status).toBe(403);
    // Only owners see and set the access list; a non-member cannot be listed.
    expect((await api(emilie, 'GET', `/api/documents/${secret}/access`)).status).toBe(403);
    const stranger = await api(camille, 'PUT', `/api/documents/${secret}/access`, {
      restricted: true,
      entries: [{ principalId: '019ac9f0-0000-7000-8000-00000000dead', role: 'reader' }],
    });
    expect(stranger.status).toBe(400);
    // A duplicate stays restricted to the same people.
    const copy = await api(camille, 'POST', `/api/documents/${secret}/duplicate`);
    expect(copy.body.restricted).toBe(true);
    expect((await list(olivier)).map((d) => d.id)).not.toContain(copy.body.id);
    // Lifted: everyone sees it again.
    await api(camille, 'PUT', `/api/documents/${secret}/access`, { restricted: false, entries: [] });
    expect((await list(olivier)).map((d) => d.id)).toContain(secret);
  });

  it('keeps a page written under a restricted document as restricted as its parent (review finding)', async () => {
    const secret = await create('Négociation réservée');
    await api(camille, 'PUT', `/api/documents/${secret}/access`, { restricted: true, entries: [{ principalId: emilie.id, role: 'editor' }] });
    // Émilie, listed, writes a sub-page: Olivier and Hugo, not listed, must not reach it either.
    const child = await api(emilie, 'POST', `/api/spaces/${space}/documents`, { title: 'Notes de séance', parentId: secret });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ parentId: secret, restricted: true, role: 'editor' });
    for (const agent of [olivier, hugo]) {
      expect((await list(agent)).map((d) => d.id)).not.toContain(child.body.id);
      expect((await api(agent, 'GET', `/api/documents/${child.body.id}`)).status).toBe(404);
    }
    expect((await api(camille, 'GET', `/api/documents/${child.body.id}/access`)).body).toEqual({ restricted: true, entries: [{ principalId: emilie.id, role: 'editor' }] });
  });

  it('covers the subtree under a restricted document: pages moved under it, and pages that were already there', async () => {
    const parent = await create('Dossier RH');
    const existing = await create('Compte rendu déjà là', parent);
    const moved = await create('Page déplacée ensuite');
    await api(camille, 'PUT', `/api/documents/${parent}/access`, { restricted: true, entries: [{ principalId: emilie.id, role: 'reader' }] });
    expect((await api(camille, 'PATCH', `/api/documents/${moved}`, { parentId: parent })).status).toBe(200);
    for (const id of [existing, moved]) {
      // Not listed on the parent: nothing under it, neither in the list nor by id, nor a ticket.
      for (const agent of [olivier, hugo]) {
        expect((await list(agent)).map((d) => d.id)).not.toContain(id);
        expect((await api(agent, 'GET', `/api/documents/${id}`)).status).toBe(404);
        expect((await api(agent, 'POST', '/api/collab/tickets', { documentId: id })).status).toBe(404);
      }
      // Listed as reader above: a reader below, whatever her space role (editor).
      expect((await list(emilie)).find((d) => d.id === id)?.role).toBe('reader');
      expect((await api(emilie, 'PATCH', `/api/documents/${id}`, { title: 'Non' })).status).toBe(403);
      // The space's owner reaches everything.
      expect((await api(camille, 'GET', `/api/documents/${id}`)).status).toBe(200);
    }
  });

  it('duplicates a document with its content, right after the original', async () => {
    const original = await create('Compte rendu');
    const store = t.entente.collab.store;
    const json = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Décisions du comité' }] }] };
    await store.initialise({ documentId: original, spaceId: space, jurisdiction: 'QC' }, Y.encodeStateAsUpdate(jsonToYDoc(json)));
    const copy = await api(emilie, 'POST', `/api/documents/${original}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ title: 'Compte rendu (copie)', parentId: null });
    const loaded = await store.load({ documentId: copy.body.id, spaceId: space, jurisdiction: 'QC' });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, loaded.state);
    expect(yDocToJson(doc)).toEqual(json);
    const siblings = (await list(camille)).filter((d) => d.parentId === null).sort((p, q) => p.position - q.position).map((d) => d.id);
    expect(siblings.indexOf(copy.body.id)).toBe(siblings.indexOf(original) + 1);
  });

  it('lists but does not open or change documents below the space’s level of assurance', async () => {
    const strict = (await api(camille, 'POST', '/api/spaces', { name: 'Sensible', jurisdiction: 'FR', minAssurance: 'low', classification: 'restricted' })).body.id;
    const doc = await create('Dossier sensible', undefined, strict);
    expect((await api(camille, 'PATCH', `/api/spaces/${strict}`, { minAssurance: 'substantial' })).status).toBe(200);
    // The test session has no federation level: below 'substantial'.
    const listed = await api(camille, 'GET', `/api/spaces/${strict}/documents`);
    expect(listed.status).toBe(200);
    expect(listed.body.documents.map((d: { id: string }) => d.id)).toContain(doc);
    const meta = await api(camille, 'GET', `/api/documents/${doc}`);
    expect(meta.body).toMatchObject({ insufficientAssurance: true, minAssurance: 'substantial' });
    const change = await api(camille, 'PATCH', `/api/documents/${doc}`, { title: 'Non' });
    expect(change.status).toBe(403);
    expect(change.body).toMatchObject({ type: 'urn:entente:problem:insufficient-assurance', requiredLevel: 'substantial' });
    expect(change.body.stepUp).toMatch(/^\/auth\/login\?level=substantial/);
  });

  it('refuses hostile input with a 4xx problem', async () => {
    const a = await create('Cible');
    const cases: [string, string, unknown?][] = [
      ['POST', `/api/spaces/${space}/documents`, { title: 'x'.repeat(301) }],
      ['POST', `/api/spaces/${space}/documents`, { title: '' }],
      ['POST', `/api/spaces/${space}/documents`, { title: 'ok', parentId: 'nope' }],
      ['POST', `/api/spaces/${space}/documents`, { title: 'ok', owner: camille.id }],
      ['PATCH', `/api/documents/${a}`, { position: -1 }],
      ['PATCH', `/api/documents/${a}`, { position: 1.5 }],
      ['PATCH', `/api/documents/${a}`, { spaceId: space }],
      ['GET', `/api/spaces/${space}/documents?trash=maybe`],
      ['GET', '/api/documents/..%2F..%2Fetc'],
      ['PUT', `/api/documents/${a}/access`, { restricted: 'yes', entries: [] }],
    ];
    for (const [method, path, body] of cases) {
      const answer = await api(camille, method, path, body);
      expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${method} ${path}`).toBeLessThan(500);
      expect(answer.body.type).toMatch(/^urn:entente:problem:/);
    }
    // A parent id that does not exist: 404, not a 500 from the foreign key.
    expect((await api(camille, 'POST', `/api/spaces/${space}/documents`, { title: 'ok', parentId: '019ac9f0-0000-7000-8000-00000000dead' })).status).toBe(404);
  });
});
