import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { sweepSearchIndex } from '../src/workspace/search/indexer.ts';
import '../src/workspace/search/search.tables.ts';
import { addSpace, openClient, acknowledged, synced, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Full-text search through the real server (workspace/search): French stemming and accents,
 * phrases, prefixes, highlighted extracts, filters, both cells merged, an edit through the real
 * Hocuspocus provider found within seconds — and never a title or an extract of a document the
 * searcher cannot read (non-member, restricted page and its subtree, removed member, trash,
 * other cell, level of assurance), whatever is typed.
 */
let t: TestApp;
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();
let spaceQC: string;
let spaceFR: string;
const docs: Record<string, string> = {};

interface Hit {
  documentId: string;
  spaceId: string;
  jurisdiction: 'FR' | 'QC';
  title: string;
  titleHighlight: { text: string; match: boolean }[];
  snippet: { text: string; match: boolean }[];
  author: { id: string; name: string | null };
  score: number;
}

async function api(agent: { id: string } | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const session = agent ? (sessions.get(agent.id) as TestSession) : null;
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: { ...(session?.headers ?? {}), ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

async function search(agent: { id: string } | null, q: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const params = new URLSearchParams({ q, ...extra });
  return api(agent, 'GET', `/api/search?${params.toString()}`, undefined, headers);
}
const titles = async (agent: { id: string }, q: string, extra: Record<string, string> = {}) => {
  const answer = await search(agent, q, extra);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  // Demo spaces (seeded as with npm start) are left out: these tests look at their own.
  return (answer.body.results as Hit[]).filter((h) => ours.has(h.spaceId)).map((h) => h.title).sort();
};
const ours = new Set<string>();

async function createDocument(agent: { id: string }, spaceId: string, jurisdiction: 'FR' | 'QC', title: string, paragraphs: string[], parentId?: string) {
  const created = await api(agent, 'POST', `/api/spaces/${spaceId}/documents`, { title, ...(parentId ? { parentId } : {}) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (paragraphs.length > 0) {
    const doc = jsonToYDoc({ type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });
    await t.entente.collab.store.initialise({ documentId: id, spaceId, jurisdiction }, Y.encodeStateAsUpdate(doc));
  }
  return id;
}

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
  const space = async (name: string, jurisdiction: 'FR' | 'QC', members: [{ email: string }, string][]) => {
    const id = (await api(camille, 'POST', '/api/spaces', { name, jurisdiction, minAssurance: 'low', classification: 'internal' })).body.id as string;
    for (const [agent, role] of members) expect((await api(camille, 'POST', `/api/spaces/${id}/invitations`, { email: agent.email, role })).status).toBe(201);
    ours.add(id);
    return id;
  };
  spaceQC = await space('Recherche Québec', 'QC', [
    [emilie, 'editor'],
    [olivier, 'reader'],
  ]);
  spaceFR = await space('Recherche France', 'FR', [[emilie, 'reader']]);
  docs.ecole = await createDocument(camille, spaceQC, 'QC', 'École numérique', [
    'Les écoles de la République accueillent les élèves.',
    'Le chef de projet pilote le document de cadrage.',
  ]);
  docs.chef = await createDocument(emilie, spaceQC, 'QC', 'Projet du chef', ['Le projet du chef avance. Souveraineté numérique et informatique en nuage.']);
  docs.route = await createDocument(camille, spaceFR, 'FR', 'Feuille de route', ['La feuille de route du cloud souverain : écoles et formations. Documents partagés.']);
  docs.secret = await createDocument(camille, spaceQC, 'QC', 'Rapport confidentiel', ['Ornithorynque confidentiel du rapport.']);
  docs.annexe = await createDocument(camille, spaceQC, 'QC', 'Annexe', ['Ornithorynque de l’annexe.'], docs.secret);
  docs.jete = await createDocument(camille, spaceQC, 'QC', 'Brouillon jeté', ['Ornithorynque à la poubelle.']);
  expect(
    (await api(camille, 'PUT', `/api/documents/${docs.secret}/access`, { restricted: true, entries: [{ principalId: emilie.id, role: 'reader' }] })).status,
  ).toBe(200);
  expect((await api(camille, 'POST', `/api/documents/${docs.jete}/trash`)).status).toBe(200);
  await sweepSearchIndex(t.entente.stores);
});
afterAll(async () => {
  await t?.close();
});

describe('search', () => {
  it('ignores accents and case, in titles and text, and merges both cells', async () => {
    const answer = await search(emilie, 'ecole ');
    expect(answer.status).toBe(200);
    const hits = (answer.body.results as Hit[]).filter((h) => ours.has(h.spaceId));
    expect(hits.map((h) => h.title).sort()).toEqual(['Feuille de route', 'École numérique']);
    expect(new Set(hits.map((h) => h.jurisdiction))).toEqual(new Set(['QC', 'FR']));
    // Ranked by score across cells: the title match (weight A) first.
    expect(hits[0]?.title).toBe('École numérique');
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 1);
    expect(hits[0]?.titleHighlight).toContainEqual({ text: 'École', match: true });
    const snippet = hits[0]?.snippet ?? [];
    expect(snippet.filter((s) => s.match).map((s) => s.text)).toContain('écoles');
    expect(snippet.map((s) => s.text).join('')).toContain('de la République');
    expect(hits[0]?.author).toEqual({ id: camille.id, name: expect.stringContaining('Camille') });
    expect(await titles(emilie, 'ÉCOLES')).toEqual(['Feuille de route', 'École numérique']);
  });

  it('stems French words: documents finds document', async () => {
    expect(await titles(emilie, 'documents ')).toEqual(['Feuille de route', 'École numérique']);
    expect(await titles(emilie, 'formation ')).toEqual(['Feuille de route']);
  });

  it('matches quoted phrases in order, and every word otherwise', async () => {
    expect(await titles(emilie, '"chef de projet"')).toEqual(['École numérique']);
    expect(await titles(emilie, 'chef projet ')).toEqual(['Projet du chef', 'École numérique']);
    expect(await titles(emilie, 'chef -cadrage ')).toEqual(['Projet du chef']);
    expect(await titles(emilie, 'cadrage OR nuage ')).toEqual(['Projet du chef', 'École numérique']);
    // An elided article inside a phrase keeps its place: « de l’annexe » has « l » between the words.
    expect(await titles(emilie, '"ornithorynque de l’annexe"')).toEqual(['Annexe']);
    expect(await titles(emilie, `"de l'annexe"`)).toEqual(['Annexe']);
  });

  it('takes the last word as a prefix while it is being typed', async () => {
    expect(await titles(emilie, 'souverainet')).toEqual(['Projet du chef']);
    expect(await titles(emilie, 'ornitho')).toEqual(['Annexe', 'Rapport confidentiel']);
    // Once a space follows it, the word is a word.
    expect(await titles(emilie, 'ornitho ')).toEqual([]);
  });

  it('filters by space, author and date', async () => {
    expect(await titles(emilie, 'ecole', { space: spaceFR })).toEqual(['Feuille de route']);
    expect(await titles(emilie, 'chef', { author: emilie.id })).toEqual(['Projet du chef']);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect(await titles(emilie, 'ecole', { from: day(1) })).toEqual([]);
    expect(await titles(emilie, 'ecole', { to: day(-1) })).toEqual([]);
    expect(await titles(emilie, 'ecole', { from: day(0), to: day(0) })).toEqual(['Feuille de route', 'École numérique']);
    expect((await search(emilie, 'ecole', { from: 'hier' })).status).toBe(400);
  });

  it('pages with a cursor', async () => {
    const first = await search(emilie, 'chef', { limit: '1', space: spaceQC });
    expect(first.body.results).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await search(emilie, 'chef', { limit: '1', space: spaceQC, cursor: first.body.nextCursor });
    expect(second.body.results).toHaveLength(1);
    expect(second.body.results[0].documentId).not.toBe(first.body.results[0].documentId);
    expect(second.body.nextCursor).toBeNull();
    expect((await search(emilie, 'ecole', { cursor: 'pas-un-curseur' })).status).toBe(400);
  });

  it('finds an edit made through the live editor within seconds, and forgets it when access is withdrawn', async () => {
    const id = await createDocument(emilie, spaceQC, 'QC', 'Note de terrain', []);
    const session = sessions.get(emilie.id) as TestSession;
    const client = openClient(t.baseUrl, id, () => ticketFor(t.baseUrl, session, id));
    try {
      await synced(client);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Un hippopotame amphibie dans le fleuve Saint-Laurent.')]);
      client.doc.getXmlFragment('default').insert(0, [paragraph]);
      await acknowledged(client);
      const started = Date.now();
      await until(async () => (await titles(emilie, 'hippopotame')).includes('Note de terrain'), 15_000, 'edit indexed', 250);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(10_000);
      const hit = (await search(emilie, 'hippopotames amphibies')).body.results[0] as Hit;
      expect(hit.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['hippopotame', 'amphibie']);
    } finally {
      client.destroy();
    }
    // The owner restricts the page to herself: the editor finds nothing of it any more, at once.
    expect((await api(camille, 'PUT', `/api/documents/${id}/access`, { restricted: true, entries: [] })).status).toBe(200);
    expect(await titles(emilie, 'hippopotame')).toEqual([]);
    expect(await titles(camille, 'hippopotame')).toEqual(['Note de terrain']);
  });

  it('reindexes a rename made with a token (api:write) and answers a token with api:read', async () => {
    const token = async (scopes: string[]) =>
      (await api(emilie, 'POST', '/api/me/tokens', { label: `Recherche ${scopes.join(' ')}`, scopes, expiresInDays: 1 })).body.token as string;
    const writer = await token(['api:write']);
    const renamed = await api(null, 'PATCH', `/api/documents/${docs.chef}`, { title: 'Tableau de bord' }, { authorization: `Bearer ${writer}` });
    expect(renamed.status).toBe(200);
    await until(async () => (await titles(emilie, 'tableau')).includes('Tableau de bord'), 15_000, 'rename indexed', 250);
    const reader = await token(['api:read']);
    const answer = await search(null, 'tableau', {}, { authorization: `Bearer ${reader}` });
    expect(answer.status).toBe(200);
    expect((answer.body.results as Hit[]).map((h) => h.title)).toContain('Tableau de bord');
    expect((await search(null, 'tableau')).status).toBe(401);
  });
});

describe('search never shows what the searcher cannot read', () => {
  it('gives a non-member nothing, even naming the space', async () => {
    expect(await titles(hugo, 'ecole')).toEqual([]);
    expect((await search(hugo, 'ecole', { space: spaceQC })).body.results).toEqual([]);
  });

  it('hides a restricted page and the pages under it from those not listed, and the trash from everyone', async () => {
    expect(await titles(olivier, 'ornithorynque')).toEqual([]);
    expect(await titles(emilie, 'ornithorynque')).toEqual(['Annexe', 'Rapport confidentiel']);
    expect(await titles(camille, 'ornithorynque')).toEqual(['Annexe', 'Rapport confidentiel']);
    expect(await titles(camille, 'poubelle')).toEqual([]);
    // Restored from the trash: found again.
    expect((await api(camille, 'POST', `/api/documents/${docs.jete}/restore`)).status).toBe(200);
    expect(await titles(camille, 'poubelle')).toEqual(['Brouillon jeté']);
    expect((await api(camille, 'POST', `/api/documents/${docs.jete}/trash`)).status).toBe(200);
    // Deleted for good: its row (title and text) leaves the index with it.
    expect((await api(camille, 'DELETE', `/api/documents/${docs.jete}`)).status).toBe(204);
    const left = await t.entente.stores.cells.QC.db.selectFrom('document_search').select('document_id').where('document_id', '=', docs.jete as string).execute();
    expect(left).toEqual([]);
  });

  it('keeps each member to their own spaces: the other cell, a space above their session, a removed member', async () => {
    // Olivier is in the QC space only: the FR document is not his.
    expect(await titles(olivier, 'ecole')).toEqual(['École numérique']);
    expect(await titles(olivier, 'feuille')).toEqual([]);
    // A space asking for a higher level of assurance than the session's: left out entirely.
    const high = await addSpace(t.entente, { jurisdiction: 'QC', members: [{ principalId: olivier.id, role: 'owner' }], minAssurance: 'high' });
    await t.entente.stores.cells.QC.db
      .insertInto('documents')
      .values({ id: '019ac9f0-0000-7000-8000-00000005e001', space_id: high, parent_id: null, title: 'Ornithorynque haut niveau', position: 0, restricted: false, epoch: 1, created_by: olivier.id })
      .execute();
    await sweepSearchIndex(t.entente.stores);
    expect(await titles(olivier, 'ornithorynque')).toEqual([]);
    // Removed from the space: nothing of it at once, neither title nor extract.
    expect((await api(camille, 'DELETE', `/api/spaces/${spaceQC}/members/${olivier.id}`)).status).toBe(204);
    const answer = await search(olivier, 'ecole');
    expect(answer.status).toBe(200);
    expect((answer.body.results as Hit[]).filter((h) => h.spaceId === spaceQC)).toEqual([]);
    expect(JSON.stringify(answer.body)).not.toContain('École numérique');
  });

  it('never fails on hostile input', async () => {
    const hostile = [
      "'",
      "l'école'",
      '&',
      '& | !',
      '!ecole',
      'ecole:*',
      ':*',
      '<->',
      'ecole <-> projet',
      'ecole <2> chef',
      '\\',
      '\\\\ecole\\',
      '"',
      '""',
      '"unterminated',
      '-',
      '-ecole',
      'OR',
      'ecole OR',
      '(ecole',
      "'); drop table document_search; --",
      "ecole' & 'x",
      '\u0301',
      '\uE000ecole\uE001',
      '🙂',
      'a'.repeat(200),
      `${'mot '.repeat(49)}x`,
    ];
    for (const q of hostile) {
      const answer = await search(emilie, q);
      expect(answer.status, q).toBe(200);
      expect(Array.isArray(answer.body.results), q).toBe(true);
    }
    expect((await search(emilie, 'a'.repeat(201))).status).toBe(400);
    expect((await search(emilie, '   ')).status).toBe(400);
    expect((await search(emilie, 'ecole', { limit: '1000' })).status).toBe(400);
    expect((await search(emilie, 'ecole', { space: "' or 1=1 --" })).status).toBe(400);
    // The table is still there and still answers.
    expect(await titles(emilie, "l'école")).toContain('École numérique');
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await api(null, 'GET', '/api/openapi.json')).body;
    expect(spec.paths['/api/search'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'space', 'author', 'from', 'to', 'limit', 'cursor']),
    );
  });
});
