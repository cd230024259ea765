import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import {
  acknowledged,
  addDocument,
  addSpace,
  type Client,
  openClient,
  requestTicket,
  storedText,
  synced,
  ticketFor,
  until,
} from './collab-support.ts';

/**
 * What the log guarantees: concurrent editors converge and the database holds what they
 * converged to; an old copy never removes newer content; a Québec space's content is only in the
 * Québec cell, encrypted; replacing content moves everyone to a new epoch.
 */
let t: TestApp;
const agents = DEMO_AGENTS as unknown as (typeof DEMO_AGENTS)[number][];
let sessions: TestSession[];
const clients: Client[] = [];

function client(documentId: string, session: TestSession, doc?: Y.Doc): Client {
  const c = openClient(t.baseUrl, documentId, () => ticketFor(t.baseUrl, session, documentId), doc);
  clients.push(c);
  return c;
}

/** Deterministic pseudo-random numbers (a failing run can be replayed). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

beforeAll(async () => {
  t = await startTestApp();
  sessions = await Promise.all(agents.map((a) => t.signIn(a)));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await t?.close();
});

async function editorsSpace(jurisdiction: 'FR' | 'QC'): Promise<string> {
  return addSpace(t.entente, {
    jurisdiction,
    members: agents.map((a, i) => ({ principalId: a.id, role: i === 0 ? ('owner' as const) : ('editor' as const) })),
  });
}

describe('convergence', () => {
  it('8 clients editing at random converge, and the database holds exactly that', async () => {
    const space = await editorsSpace('FR');
    const doc = await addDocument(t.entente, space, 'FR');
    const n = 8;
    const editors = Array.from({ length: n }, (_, i) => client(doc.documentId, sessions[i % sessions.length] as TestSession));
    await Promise.all(editors.map((c) => synced(c)));

    await Promise.all(
      editors.map(async (c, i) => {
        const next = random(1000 + i);
        for (let step = 0; step < 40; step++) {
          const length = c.text.length;
          if (length > 10 && next() < 0.3) c.text.delete(Math.floor(next() * (length - 3)), 1 + Math.floor(next() * 3));
          else c.text.insert(Math.floor(next() * (length + 1)), `${String.fromCharCode(97 + i)}${step}.`);
          await new Promise((r) => setTimeout(r, Math.floor(next() * 15)));
        }
      }),
    );
    await Promise.all(editors.map((c) => acknowledged(c, 30_000)));
    await until(() => new Set(editors.map((c) => c.text.toString())).size === 1, 15_000, 'all clients identical');
    const converged = (editors[0] as Client).text.toString();
    expect(converged.length).toBeGreaterThan(100);
    // Every client's own last insertion survived somewhere (nothing lost in the merge).
    for (let i = 0; i < n; i++) expect(converged).toMatch(new RegExp(`${String.fromCharCode(97 + i)}\\d+\\.`));

    for (const c of editors) c.destroy();
    await until(() => !t.entente.collab.server.hocuspocus.documents.has(doc.documentId), 10_000, 'document unloaded');
    expect(await storedText(t.entente, doc)).toBe(converged);
    // Compacted, the same again; and a newcomer loads it.
    await t.entente.collab.store.compact(doc);
    expect(await storedText(t.entente, doc)).toBe(converged);
    const late = client(doc.documentId, sessions[1] as TestSession);
    await synced(late);
    expect(late.text.toString()).toBe(converged);
  });
});

describe('storage failure', () => {
  it('an update that could not be logged is neither applied nor shown; the client sends it again and it is kept', async () => {
    const space = await editorsSpace('FR');
    const doc = await addDocument(t.entente, space, 'FR');
    const writer = client(doc.documentId, sessions[0] as TestSession);
    const watcher = client(doc.documentId, sessions[1] as TestSession);
    await Promise.all([synced(writer), synced(watcher)]);
    const store = t.entente.collab.store;
    const append = store.append.bind(store);
    let failures = 1;
    store.append = async (...args) => {
      if (failures-- > 0) throw new Error('disk full');
      return append(...args);
    };
    try {
      writer.text.insert(0, 'décision importante');
      await until(() => writer.closes.includes('storage-unavailable'), 5_000, 'writer told');
      expect(watcher.text.toString()).toBe(''); // never broadcast before it is on disk
      // The provider reconnects with a fresh ticket and sends what the server lacks.
      await acknowledged(writer, 20_000);
      await until(() => watcher.text.toString() === 'décision importante', 10_000, 'watcher received');
      expect(await storedText(t.entente, doc)).toBe('décision importante');
    } finally {
      store.append = append;
    }
  });
});

describe('background compaction', () => {
  it('folds the log into a snapshot once the document goes quiet, without changing its content', async () => {
    const space = await editorsSpace('FR');
    const doc = await addDocument(t.entente, space, 'FR');
    const c = client(doc.documentId, sessions[0] as TestSession);
    await synced(c);
    for (let i = 0; i < 30; i++) c.text.insert(c.text.length, `mot${i} `);
    await acknowledged(c);
    const db = t.entente.stores.cells.FR.db;
    const logged = await db.selectFrom('document_updates').select('id').where('document_id', '=', doc.documentId).execute();
    expect(logged.length).toBeGreaterThan(1);
    // The job runner (not this test) compacts: quiet for ~2 s, then the job after a few seconds.
    await until(
      async () => (await db.selectFrom('document_snapshots').select('document_id').where('document_id', '=', doc.documentId).execute()).length === 1,
      30_000,
      'snapshot written by the background job',
    );
    const left = await db.selectFrom('document_updates').select('id').where('document_id', '=', doc.documentId).execute();
    expect(left.length).toBeLessThan(logged.length);
    expect(await storedText(t.entente, doc)).toBe(c.text.toString());
  });
});

describe('stale client', () => {
  it('an hour-old copy reconnecting merges its offline edits and removes nothing newer', async () => {
    const space = await editorsSpace('FR');
    const doc = await addDocument(t.entente, space, 'FR');
    const a = client(doc.documentId, sessions[0] as TestSession);
    await synced(a);
    a.text.insert(0, 'Ligne A. Ligne B. ');
    await acknowledged(a);
    // The stale copy: what the laptop had in IndexedDB when it went offline.
    const old = Y.encodeStateAsUpdate(a.doc);
    a.destroy();

    const b = client(doc.documentId, sessions[1] as TestSession);
    await synced(b);
    b.text.delete(0, 'Ligne A. '.length); // a newer deletion
    b.text.insert(b.text.length, 'Ligne C (récente). ');
    await acknowledged(b);
    await t.entente.collab.store.compact(doc);

    // An hour later, the laptop's copy (with an offline edit) comes back.
    const laptop = new Y.Doc();
    Y.applyUpdate(laptop, old);
    laptop.getText('t').insert(laptop.getText('t').length, 'Hors ligne. ');
    const stale = client(doc.documentId, sessions[2] as TestSession, laptop);
    await synced(stale);
    await acknowledged(stale);
    await until(() => b.text.toString() === stale.text.toString(), 10_000, 'merged');
    const merged = b.text.toString();
    expect(merged).not.toContain('Ligne A.'); // the newer deletion stands
    expect(merged).toContain('Ligne B.');
    expect(merged).toContain('Ligne C (récente).');
    expect(merged).toContain('Hors ligne.');
    expect(merged.split('Ligne B.').length).toBe(2); // nothing duplicated
    expect(await storedText(t.entente, doc)).toBe(merged);
  });
});

describe('cells and encryption', () => {
  it('a Québec space’s updates are in the Québec cell only, and not in plain text', async () => {
    const space = await editorsSpace('QC');
    const doc = await addDocument(t.entente, space, 'QC');
    const c = client(doc.documentId, sessions[2] as TestSession);
    await synced(c);
    const word = 'Souverainete7391Quebec';
    c.text.insert(0, `Compte rendu : ${word}`);
    await acknowledged(c);

    const qc = await t.entente.stores.cells.QC.db.selectFrom('document_updates').select(['data', 'key_version']).where('document_id', '=', doc.documentId).execute();
    const fr = await t.entente.stores.cells.FR.db.selectFrom('document_updates').select('id').where('document_id', '=', doc.documentId).execute();
    expect(qc.length).toBeGreaterThan(0);
    expect(fr).toHaveLength(0);
    for (const row of qc) expect(Buffer.from(row.data).includes(Buffer.from(word))).toBe(false);

    await t.entente.collab.store.compact(doc);
    const snapshot = await t.entente.stores.cells.QC.db.selectFrom('document_snapshots').select(['state']).where('document_id', '=', doc.documentId).executeTakeFirstOrThrow();
    expect(Buffer.from(snapshot.state).includes(Buffer.from(word))).toBe(false);
    expect(await t.entente.stores.cells.FR.db.selectFrom('document_snapshots').select('document_id').where('document_id', '=', doc.documentId).execute()).toHaveLength(0);
    expect(await storedText(t.entente, doc)).toContain(word);

    // A row moved to another document does not decrypt there (AAD binds it to its document).
    const other = await addDocument(t.entente, space, 'QC');
    const stolen = qc[0] as { data: Uint8Array; key_version: number };
    await t.entente.stores.cells.QC.db.insertInto('document_updates').values({ document_id: other.documentId, epoch: 1, key_version: stolen.key_version, data: stolen.data }).execute();
    await expect(t.entente.collab.store.load(other)).rejects.toThrow();
  });
});

describe('derived copies, server changes and epochs', () => {
  it('serves the content as JSON, Markdown and text, and a server-side change reaches live clients', async () => {
    const space = await editorsSpace('FR');
    const doc = await addDocument(t.entente, space, 'FR');
    const seed = jsonToYDoc({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Feuille de route' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Premier jalon.' }] },
      ],
    });
    await t.entente.collab.store.initialise(doc, Y.encodeStateAsUpdate(seed));
    const live = client(doc.documentId, sessions[1] as TestSession);
    await synced(live);

    const get = async (format: string) => {
      const r = await fetch(`${t.baseUrl}/api/documents/${doc.documentId}/content?format=${format}`, { headers: (sessions[1] as TestSession).headers });
      expect(r.status).toBe(200);
      return ((await r.json()) as { content: unknown }).content;
    };
    expect(await get('markdown')).toContain('# Feuille de route');
    expect(await get('text')).toContain('Premier jalon.');
    expect(JSON.stringify(await get('json'))).toContain('"heading"');

    // A version restore is a live change: logged first, then everyone receives it.
    const change = new Y.Doc();
    Y.applyUpdate(change, Y.encodeStateAsUpdate(live.doc));
    const before = Y.encodeStateVector(change);
    change.getText('t').insert(0, 'restauré');
    await t.entente.collab.applyServerUpdate(doc, Y.encodeStateAsUpdate(change, before));
    await until(() => live.text.toString() === 'restauré', 5_000, 'server change received');
    expect(await storedText(t.entente, doc)).toBe('restauré');

    // Nobody else reads it.
    const outsider = await t.signIn(agents[3]);
    const privateSpace = await addSpace(t.entente, { jurisdiction: 'FR', members: [{ principalId: (agents[0] as { id: string }).id, role: 'owner' }] });
    const hidden = await addDocument(t.entente, privateSpace, 'FR');
    expect((await fetch(`${t.baseUrl}/api/documents/${hidden.documentId}/content`, { headers: outsider.headers })).status).toBe(404);
  });

  it('replacing the content moves the document to a new epoch: live copies are closed, old tickets refused', async () => {
    const space = await editorsSpace('FR');
    const doc = await addDocument(t.entente, space, 'FR');
    // Like the web client, it asks its tickets for the epoch of the copy it holds.
    const a = openClient(t.baseUrl, doc.documentId, () => ticketFor(t.baseUrl, sessions[0] as TestSession, doc.documentId, 1));
    clients.push(a);
    await synced(a);
    a.text.insert(0, 'ancien contenu');
    await acknowledged(a);

    const replacement = new Y.Doc();
    replacement.getText('t').insert(0, 'contenu importé');
    const epoch = await t.entente.collab.store.replace(doc, Y.encodeStateAsUpdate(replacement));
    expect(epoch).toBe(2);
    await until(() => a.closes.includes('epoch-changed'), 5_000, 'old copy closed');
    // Its reconnection is refused (409 on the ticket): the old copy is never merged back.
    await until(() => a.refusals.length > 0, 10_000, 'old copy refused');
    a.text.insert(0, 'ajout hors époque ');
    expect(await storedText(t.entente, doc)).toBe('contenu importé');
    const conflict = await requestTicket(t.baseUrl, sessions[0] as TestSession, doc.documentId, 1);
    expect(conflict.status).toBe(409);

    // A client that starts afresh at the new epoch sees only the new content.
    const b = client(doc.documentId, sessions[1] as TestSession);
    await synced(b);
    expect(b.text.toString()).toBe('contenu importé');
    b.text.insert(0, '» ');
    await acknowledged(b);
    await new Promise((r) => setTimeout(r, 500));
    expect(await storedText(t.entente, doc)).toBe('» contenu importé');
    expect(b.text.toString()).toBe('» contenu importé');
  });
});
