import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { RICH_DOCUMENT } from '../src/workspace/content/fixtures.ts';
import { jsonToText } from '../src/workspace/content/text.ts';
import { type JSONContent, jsonToYDoc, yDocToJson } from '../src/workspace/content/ydoc-json.ts';
import { AUTO_VERSION_EVERY_MS, maybeRecordAutoVersion, sweepAutoVersions } from '../src/workspace/versions/auto-versions.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { acknowledged, addDocument, addSpace, type Client, openClient, setMember, synced, ticketFor, until } from './collab-support.ts';

/**
 * A document's history through the API, as its members would use it: versions named and listed
 * with their authors, compared with now, restored as a live change that connected editors see
 * arrive — and what a reader, a stranger or a forged request cannot do.
 */
let t: TestApp;
const [FR1, FR2, QC1, QC2] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
let owner: TestSession;
let editor: TestSession;
let reader: TestSession;
let stranger: TestSession;
let spaceId: string;
const clients: Client[] = [];

const paragraphs = (...texts: string[]): JSONContent => ({
  type: 'doc',
  content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

interface Version {
  id: string;
  kind: string;
  name: string | null;
  createdAt: string;
  createdBy: { principalId: string; givenName: string; familyName: string } | null;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are checked by the assertions
async function api(session: TestSession | null, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { ...(session?.headers ?? {}) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** A document of the QC space holding `content`, as if seeded or imported. */
async function documentWith(content: JSONContent) {
  const ref = await addDocument(t.entente, spaceId, 'QC');
  await t.entente.collab.store.initialise(ref, Y.encodeStateAsUpdate(jsonToYDoc(content)));
  return ref;
}

async function storedJson(ref: { documentId: string; spaceId: string; jurisdiction: 'FR' | 'QC' }): Promise<JSONContent> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await t.entente.collab.store.load(ref)).state);
  return yDocToJson(doc);
}

function client(documentId: string, session: TestSession): Client {
  const c = openClient(t.baseUrl, documentId, () => ticketFor(t.baseUrl, session, documentId));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  t = await startTestApp({ entente: { startJobs: false } });
  owner = await t.signIn(FR1);
  editor = await t.signIn(QC1);
  reader = await t.signIn(FR2);
  stranger = await t.signIn(QC2);
  // A Québec space with a French owner: authors' names come from their own home cell.
  spaceId = await addSpace(t.entente, {
    jurisdiction: 'QC',
    members: [
      { principalId: FR1.id, role: 'owner' },
      { principalId: QC1.id, role: 'editor' },
      { principalId: FR2.id, role: 'reader' },
    ],
  });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

describe('named versions', () => {
  it('an editor names a version; members list it with its author and read it back exactly', async () => {
    const ref = await documentWith(RICH_DOCUMENT);
    const created = await api(owner, 'POST', `/api/documents/${ref.documentId}/versions`, { name: '  Relecture du 3 mars  ' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ kind: 'named', name: 'Relecture du 3 mars', createdBy: { principalId: FR1.id, givenName: FR1.givenName, familyName: FR1.familyName } });

    const listed = await api(reader, 'GET', `/api/documents/${ref.documentId}/versions`);
    expect(listed.status).toBe(200);
    expect(listed.json.versions.map((v: Version) => v.id)).toEqual([created.json.id]);

    const viewed = await api(reader, 'GET', `/api/documents/${ref.documentId}/versions/${created.json.id}`);
    expect(viewed.status).toBe(200);
    expect(viewed.json.content).toEqual(RICH_DOCUMENT);

    // Stored encrypted: the words are not in the cell's bytes.
    const row = await t.entente.stores.cells.QC.db.selectFrom('document_versions').select(['state', 'content_text']).where('id', '=', created.json.id).executeTakeFirstOrThrow();
    expect(Buffer.from(row.state).includes('résidence des données')).toBe(false);
    expect(row.content_text).toBe(jsonToText(RICH_DOCUMENT));

    // Described in the OpenAPI document like every route.
    const openapi = await api(null, 'GET', '/api/openapi.json');
    expect(Object.keys(openapi.json.paths)).toEqual(expect.arrayContaining(['/api/documents/{documentId}/versions/{versionId}/restore']));
  });

  it('refuses what a reader, a stranger or a forged request may not do', async () => {
    const ref = await documentWith(paragraphs('Version initiale'));
    const v = (await api(editor, 'POST', `/api/documents/${ref.documentId}/versions`, { name: 'Initiale' })).json as Version;
    const base = `/api/documents/${ref.documentId}/versions`;

    // A reader reads but neither names nor restores.
    expect((await api(reader, 'POST', base, { name: 'Moi aussi' })).status).toBe(403);
    expect((await api(reader, 'POST', `${base}/${v.id}/restore`)).status).toBe(403);
    expect((await api(reader, 'GET', `${base}/${v.id}/diff`)).status).toBe(200);

    // A stranger learns nothing, not even that the document exists.
    for (const [method, path] of [
      ['GET', base],
      ['GET', `${base}/${v.id}`],
      ['GET', `${base}/${v.id}/diff`],
      ['POST', `${base}/${v.id}/restore`],
    ] as const) {
      const answer = await api(stranger, method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    expect((await api(stranger, 'POST', base, { name: 'x' })).status).toBe(404);
    // Not signed in; signed in but without the CSRF token.
    expect((await api(null, 'GET', base)).status).toBe(401);
    const noCsrf = await fetch(`${t.baseUrl}${base}`, {
      method: 'POST',
      headers: { cookie: editor.cookie, origin: t.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sans jeton' }),
    });
    expect(noCsrf.status).toBe(403);

    // Another document's version through this document's URL: not found.
    const other = await documentWith(paragraphs('Autre'));
    const otherVersion = (await api(editor, 'POST', `/api/documents/${other.documentId}/versions`, { name: 'Autre' })).json as Version;
    expect((await api(editor, 'GET', `${base}/${otherVersion.id}`)).status).toBe(404);
    expect((await api(editor, 'POST', `${base}/${otherVersion.id}/restore`)).status).toBe(404);
    expect(await storedJson(ref)).toEqual(paragraphs('Version initiale'));

    // Malformed input is a 400, never a 500.
    expect((await api(editor, 'POST', base, { name: '' })).status).toBe(400);
    expect((await api(editor, 'POST', base, { name: 'x'.repeat(201) })).status).toBe(400);
    expect((await api(editor, 'GET', `${base}/not-a-uuid`)).status).toBe(400);

    // A member removed from the space loses the history at once.
    await setMember(t.entente, spaceId, FR2.id, null);
    try {
      expect((await api(reader, 'GET', base)).status).toBe(404);
    } finally {
      await setMember(t.entente, spaceId, FR2.id, 'reader');
    }
    // Only the editor's named version is there.
    const listed = (await api(owner, 'GET', base)).json.versions as Version[];
    expect(listed.map((x) => x.name)).toEqual(['Initiale']);
  });
});

describe('documents in the trash and spaces above the session’s assurance', () => {
  it('keeps a trashed document’s history readable but unchangeable, and asks for a step-up where needed', async () => {
    const ref = await documentWith(paragraphs('À jeter'));
    const v = (await api(editor, 'POST', `/api/documents/${ref.documentId}/versions`, { name: 'Avant corbeille' })).json as Version;
    await t.entente.stores.cells.QC.db.updateTable('documents').set({ trashed_at: new Date(), trashed_by: QC1.id }).where('id', '=', ref.documentId).execute();
    expect((await api(editor, 'GET', `/api/documents/${ref.documentId}/versions`)).status).toBe(200);
    expect((await api(editor, 'POST', `/api/documents/${ref.documentId}/versions`, { name: 'Non' })).status).toBe(409);
    expect((await api(editor, 'POST', `/api/documents/${ref.documentId}/versions/${v.id}/restore`)).status).toBe(409);

    // A space that asks for a substantial level: a session without it gets 403 with the step-up.
    const guarded = await addSpace(t.entente, { jurisdiction: 'FR', minAssurance: 'substantial', members: [{ principalId: QC1.id, role: 'owner' }] });
    const doc = await addDocument(t.entente, guarded, 'FR');
    const answer = await api(editor, 'GET', `/api/documents/${doc.documentId}/versions`);
    expect(answer.status).toBe(403);
    expect(answer.json.type).toBe('urn:entente:problem:insufficient-assurance');
  });
});

describe('restore', () => {
  it('brings a version back as a live change that connected members see, and keeps the history', async () => {
    const ref = await documentWith(paragraphs('Premier jet', 'Deuxième paragraphe'));
    const first = (await api(editor, 'POST', `/api/documents/${ref.documentId}/versions`, { name: 'Premier jet' })).json as Version;

    // An editor rewrites the document live; a reader is connected too.
    const writer = client(ref.documentId, editor);
    const watcher = client(ref.documentId, reader);
    await Promise.all([synced(writer), synced(watcher)]);
    expect(yDocToJson(watcher.doc)).toEqual(paragraphs('Premier jet', 'Deuxième paragraphe'));
    const rewritten = paragraphs('Texte réécrit', 'Deuxième paragraphe', 'Ajout');
    jsonToYDoc(rewritten, writer.doc);
    await acknowledged(writer);
    await until(() => JSON.stringify(yDocToJson(watcher.doc)) === JSON.stringify(rewritten), 10_000, 'the reader sees the rewrite');

    // What changed since the version, against the document now.
    const diff = await api(reader, 'GET', `/api/documents/${ref.documentId}/versions/${first.id}/diff`);
    expect(diff.status).toBe(200);
    const blocks = diff.json.blocks as { op: string; text: string }[];
    expect(blocks.slice(0, 2)).toEqual([
      { op: 'removed', text: 'Premier jet' },
      { op: 'added', text: 'Texte réécrit' },
    ]);
    expect(blocks.find((b) => b.text.includes('Deuxième paragraphe'))?.op).toBe('same');
    expect(blocks.find((b) => b.text.includes('Ajout'))?.op).toBe('added');
    expect(blocks.filter((b) => b.op === 'removed')).toHaveLength(1);

    const restored = await api(editor, 'POST', `/api/documents/${ref.documentId}/versions/${first.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.json.restored.id).toBe(first.id);
    expect(restored.json.beforeRestore).toMatchObject({ kind: 'before_restore', createdBy: { principalId: QC1.id } });

    // Both connected clients receive it live, without reconnecting; the database holds the same.
    const target = paragraphs('Premier jet', 'Deuxième paragraphe');
    for (const c of [writer, watcher]) await until(() => JSON.stringify(yDocToJson(c.doc)) === JSON.stringify(target), 10_000, 'restored content arrives live');
    expect(await storedJson(ref)).toEqual(target);
    expect(writer.closes).toEqual([]);

    // The history is kept: the named version, and what was there before the restore.
    const listed = (await api(reader, 'GET', `/api/documents/${ref.documentId}/versions`)).json.versions as Version[];
    expect(listed.map((v) => v.kind)).toEqual(['before_restore', 'named']);
    const saved = await api(reader, 'GET', `/api/documents/${ref.documentId}/versions/${restored.json.beforeRestore.id}`);
    expect(saved.json.content).toEqual(rewritten);

    // The editor keeps editing after the restore, on top of it.
    const para = writer.doc.getXmlFragment('default').get(0) as Y.XmlElement;
    (para.get(0) as Y.XmlText).insert(0, 'Vraiment : ');
    await acknowledged(writer);
    await until(() => yDocToJson(watcher.doc).content?.[0]?.content?.[0]?.text === 'Vraiment : Premier jet', 10_000, 'edit after restore');

    // Audited in the space's cell.
    const events = await t.entente.audit.list({ jurisdiction: 'QC', resourceId: ref.documentId, limit: 10 });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['workspace.document.version_created', 'workspace.document.version_restored']));
  });

  it('restores the rich document exactly (every node and mark)', async () => {
    const ref = await documentWith(RICH_DOCUMENT);
    const v = (await api(owner, 'POST', `/api/documents/${ref.documentId}/versions`, { name: 'Riche' })).json as Version;
    // Someone empties the document (a server-side change, as an import would make).
    const emptied = new Y.Doc();
    Y.applyUpdate(emptied, (await t.entente.collab.store.load(ref)).state);
    const sv = Y.encodeStateVector(emptied);
    emptied.transact(() => emptied.getXmlFragment('default').delete(0, emptied.getXmlFragment('default').length));
    await t.entente.collab.applyServerUpdate(ref, Y.encodeStateAsUpdate(emptied, sv));
    expect(await storedJson(ref)).toEqual({ type: 'doc', content: [] });

    expect((await api(owner, 'POST', `/api/documents/${ref.documentId}/versions/${v.id}/restore`)).status).toBe(200);
    expect(await storedJson(ref)).toEqual(RICH_DOCUMENT);
  });
});

describe('automatic versions', () => {
  it('records at most one per interval of activity, only when the content changed', async () => {
    const ref = await documentWith(paragraphs('Brouillon'));
    const deps = { cells: t.entente.cells, logger: t.entente.logger, content: () => t.entente.collab.store };
    const t0 = new Date();
    const later = (ms: number) => new Date(t0.getTime() + ms);

    const firstId = await maybeRecordAutoVersion(deps, ref, { now: t0 });
    expect(firstId).not.toBeNull();
    // Within the interval: nothing, even after a change.
    const c = client(ref.documentId, editor);
    await synced(c);
    jsonToYDoc(paragraphs('Brouillon revu'), c.doc);
    await acknowledged(c);
    expect(await maybeRecordAutoVersion(deps, ref, { now: later(60_000) })).toBeNull();
    // After it: one, then none again until the content changes.
    const secondId = await maybeRecordAutoVersion(deps, ref, { now: later(AUTO_VERSION_EVERY_MS + 1) });
    expect(secondId).not.toBeNull();
    expect(await maybeRecordAutoVersion(deps, ref, { now: later(3 * AUTO_VERSION_EVERY_MS) })).toBeNull();

    const listed = (await api(reader, 'GET', `/api/documents/${ref.documentId}/versions`)).json.versions as Version[];
    expect(listed.filter((v) => v.kind === 'auto').map((v) => v.id)).toEqual([secondId, firstId]);
    expect(listed[0]?.createdBy).toBeNull();
    const content = (await api(reader, 'GET', `/api/documents/${ref.documentId}/versions/${secondId}`)).json.content;
    expect(content).toEqual(paragraphs('Brouillon revu'));
  });

  it('the sweep records versions of the documents changed recently, not of untouched ones', async () => {
    const changed = await documentWith(paragraphs('Sujet du jour'));
    const count = async (documentId: string) =>
      (await t.entente.stores.cells.QC.db.selectFrom('document_versions').select('id').where('document_id', '=', documentId).where('kind', '=', 'auto').execute()).length;
    const deps = { cells: t.entente.cells, logger: t.entente.logger, content: () => t.entente.collab.store };
    await sweepAutoVersions(deps);
    expect(await count(changed.documentId)).toBe(1);
    // Long after (no recent activity): the document is not looked at again.
    await sweepAutoVersions(deps, new Date(Date.now() + 24 * 3_600_000));
    expect(await count(changed.documentId)).toBe(1);
    // Two sweeps at once (two nodes): still one version.
    const busy = await documentWith(paragraphs('Deux nœuds'));
    await Promise.all([sweepAutoVersions(deps), sweepAutoVersions(deps)]);
    expect(await count(busy.documentId)).toBe(1);
  });
});
