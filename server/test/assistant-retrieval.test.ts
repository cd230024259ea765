import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { sweepSearchIndex } from '../src/workspace/search/indexer.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * « Ask my documents » and « summarise » without a model (assistant/retrieval), through the real
 * server: the passage that answers comes first, with highlights and a citation; an extractive
 * summary in document order; both labelled as extractive — and never a passage or a sentence of
 * a document the asker cannot read (another space, a restricted page, the trash, after removal
 * from the space, right after a restriction), whatever they ask.
 */
let t: TestApp;
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();
let spaceA: string;
let spaceB: string;
const docs: Record<string, string> = {};

interface Passage {
  n: number;
  documentId: string;
  spaceId: string;
  jurisdiction: 'FR' | 'QC';
  title: string;
  text: string;
  highlight: { text: string; match: boolean }[];
  offset: number;
  length: number;
  quote: string;
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
  return { status: response.status, type: response.headers.get('content-type'), body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

const ask = (agent: { id: string } | null, question: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  api(agent, 'POST', '/api/assistant/ask', { question, ...extra }, headers);
/** The passages an agent gets, from our spaces only (the demo spaces are seeded as with npm start). */
async function passages(agent: { id: string }, question: string): Promise<Passage[]> {
  const answer = await ask(agent, question);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.passages as Passage[]).filter((p) => p.spaceId === spaceA || p.spaceId === spaceB);
}
const titlesOf = (list: Passage[]) => [...new Set(list.map((p) => p.title))].sort();

async function createDocument(agent: { id: string }, spaceId: string, jurisdiction: 'FR' | 'QC', title: string, blocks: string[], parentId?: string) {
  const created = await api(agent, 'POST', `/api/spaces/${spaceId}/documents`, { title, ...(parentId ? { parentId } : {}) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const content = blocks.map((text) =>
    text.startsWith('# ') ? { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: text.slice(2) }] } : { type: 'paragraph', content: [{ type: 'text', text }] },
  );
  await t.entente.collab.store.initialise({ documentId: id, spaceId, jurisdiction }, Y.encodeStateAsUpdate(jsonToYDoc({ type: 'doc', content })));
  return id;
}

beforeAll(async () => {
  t = await startTestApp({ entente: { startJobs: false } });
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
  const space = async (name: string, jurisdiction: 'FR' | 'QC', members: [{ email: string }, string][]) => {
    const id = (await api(camille, 'POST', '/api/spaces', { name, jurisdiction, minAssurance: 'low', classification: 'internal' })).body.id as string;
    for (const [agent, role] of members) expect((await api(camille, 'POST', `/api/spaces/${id}/invitations`, { email: agent.email, role })).status).toBe(201);
    return id;
  };
  spaceA = await space('Ressources humaines Québec', 'QC', [
    [emilie, 'editor'],
    [olivier, 'reader'],
  ]);
  spaceB = await space('Direction France', 'FR', [[hugo, 'reader']]);
  docs.teletravail = await createDocument(camille, spaceA, 'QC', 'Procédure de télétravail', [
    '# Objet',
    'Cette procédure précise les règles de travail à distance applicables aux agents de la direction, qu’ils soient permanents ou occasionnels.',
    'Elle a été présentée aux représentants du personnel et s’applique à compter du premier jour du mois suivant sa publication sur l’intranet.',
    'Les gestionnaires de proximité en expliquent les modalités aux équipes lors de la prochaine réunion de service.',
    '# Nombre de jours',
    'Le télétravail est autorisé deux jours par semaine, sur accord écrit du responsable hiérarchique.',
    'Les jours sont fixés à l’avance dans le calendrier partagé de l’équipe, afin que chaque service reste joignable.',
    '# Indemnité',
    'Une indemnité forfaitaire de 2,50 $ par jour de travail à domicile est versée chaque mois.',
    'Elle est plafonnée à 220 $ par année et figure sur le relevé de paie de l’agent concerné.',
  ]);
  docs.comite = await createDocument(camille, spaceA, 'QC', 'Compte rendu du comité de pilotage', [
    'Le comité de pilotage s’est réuni le 12 mars. M. Tremblay a présenté le budget de l’hébergement en nuage.',
    'Le budget de l’hébergement en nuage est fixé à 2 millions de dollars. La migration commencera en septembre.',
    'La pause a duré vingt minutes. Il faisait beau. Le projecteur est tombé en panne.',
    'Le comité de pilotage validera le budget de la migration au prochain comité, en juin.',
  ]);
  docs.coffre = await createDocument(camille, spaceA, 'QC', 'Rapport confidentiel', ['Le code du coffre-fort de la direction est ornithorynque.']);
  docs.annexe = await createDocument(camille, spaceA, 'QC', 'Annexe du rapport', ['Le second code du coffre-fort est ornithorynque bis.'], docs.coffre);
  docs.jete = await createDocument(camille, spaceA, 'QC', 'Brouillon jeté', ['Le mot de passe du réseau sans fil est kangourou.']);
  docs.fusion = await createDocument(camille, spaceB, 'FR', 'Note de la direction', ['La fusion des directions régionales est fixée au 3 mars, dans la plus grande discrétion.']);
  expect((await api(camille, 'PUT', `/api/documents/${docs.coffre}/access`, { restricted: true, entries: [{ principalId: emilie.id, role: 'reader' }] })).status).toBe(200);
  expect((await api(camille, 'POST', `/api/documents/${docs.jete}/trash`)).status).toBe(200);
  await sweepSearchIndex(t.entente.stores);
});
afterAll(async () => {
  await t?.close();
});

describe('ask my documents, without a model', () => {
  it('puts the passage that answers first, highlighted, with its citation, labelled as extractive', async () => {
    const answer = await ask(emilie, 'Combien de jours de télétravail par semaine ?');
    expect(answer.status).toBe(200);
    expect(answer.body.mode).toBe('extractive');
    expect(answer.body.label).toBe('assistant.extractive.askLabel');
    const first = (answer.body.passages as Passage[])[0] as Passage;
    expect(first).toMatchObject({ n: 1, documentId: docs.teletravail, spaceId: spaceA, jurisdiction: 'QC', title: 'Procédure de télétravail' });
    expect(first.text).toContain('deux jours par semaine');
    // The heading travels with its paragraph.
    expect(first.text.startsWith('Nombre de jours')).toBe(true);
    expect(first.highlight.map((s) => s.text).join('')).toBe(first.text);
    expect(first.highlight.filter((s) => s.match).map((s) => s.text.toLowerCase())).toEqual(expect.arrayContaining(['télétravail', 'jours', 'semaine']));
    expect(first.quote).toBe(first.text.replace(/\s+/g, ' ').slice(0, first.quote.length));
    expect(first.length).toBe(first.text.length);
    expect(first.offset).toBeGreaterThan(0);
  });

  it('finds the passage with the rarer words of the question, at most two passages per document', async () => {
    const list = await passages(emilie, 'Quel est le budget de l’hébergement en nuage ?');
    expect(list[0]?.documentId).toBe(docs.comite);
    expect(list[0]?.text).toContain('2 millions de dollars');
    expect(list.filter((p) => p.documentId === docs.comite).length).toBeLessThanOrEqual(2);
    expect((await passages(emilie, 'Quel montant est versé par jour à domicile ?'))[0]?.text).toContain('2,50 $');
  });

  it('answers nothing for a question of question words only, and refuses malformed questions with a problem', async () => {
    expect((await ask(emilie, 'Quoi ? Comment ? Pourquoi ?')).body.passages).toEqual([]);
    for (const body of [{ question: '   ' }, { question: 'x'.repeat(501) }, { question: 'budget', limit: 11 }, { question: 'budget', extra: 1 }, {}]) {
      const answer = await api(emilie, 'POST', '/api/assistant/ask', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.type).toContain('application/problem+json');
    }
    // Hostile characters are only separators.
    for (const question of ["'", "budget' | !nuage", 'budget:* & <->', '\\', '« » ( ) *']) expect((await ask(emilie, question)).status).toBe(200);
  });

  it('asks a signed-in agent or a token with api:read, and says who may not', async () => {
    expect((await ask(null, 'budget')).status).toBe(401);
    const token = (await api(emilie, 'POST', '/api/me/tokens', { label: 'Questions', scopes: ['api:read'], expiresInDays: 1 })).body.token as string;
    const answer = await ask(null, 'budget nuage', {}, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect((answer.body.passages as Passage[]).map((p) => p.documentId)).toContain(docs.comite);
    const summary = await api(null, 'POST', '/api/assistant/summarise', { documentId: docs.comite }, { authorization: `Bearer ${token}` });
    expect(summary.status).toBe(200);
    const aiToken = (await api(emilie, 'POST', '/api/me/tokens', { label: 'IA', scopes: ['ai'], expiresInDays: 1 })).body.token as string;
    expect((await ask(null, 'budget', {}, { authorization: `Bearer ${aiToken}` })).status).toBe(403);
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await api(null, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { summary?: string }>> };
    expect(spec.paths['/api/assistant/ask']?.post?.summary).toMatch(/extractive, no model/);
    expect(spec.paths['/api/assistant/summarise']?.post?.summary).toMatch(/extractive, no model/);
  });

  it('records the documents cited as read, without the question', async () => {
    await ask(olivier, 'Quelle indemnité forfaitaire pour le télétravail ?');
    const events = (await t.entente.audit.list({ jurisdiction: 'QC', action: 'workspace.document.read', resourceId: docs.teletravail, limit: 50 })).filter(
      (e) => e.actor_id === olivier.id && e.details.via === 'assistant.ask',
    );
    expect(events.length).toBe(1);
    expect(events[0]?.details.passages).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(events[0])).not.toContain('indemnité');
  });
});

describe('never a passage of a document the asker cannot read', () => {
  it('another space: the answer is only in space B, a member of A gets nothing of it', async () => {
    const question = 'Quand est fixée la fusion des directions régionales ?';
    expect(titlesOf(await passages(hugo, question))).toEqual(['Note de la direction']);
    const answer = await ask(olivier, question);
    expect((answer.body.passages as Passage[]).every((p) => p.spaceId !== spaceB)).toBe(true);
    expect(JSON.stringify(answer.body)).not.toContain('fusion des directions');
    // Naming space B does not help.
    expect((await ask(olivier, question, { spaceId: spaceB })).body.passages).toEqual([]);
  });

  it('a restricted page and the page under it: only for those listed, and the owner', async () => {
    const question = 'Quel est le code du coffre-fort ?';
    expect(titlesOf(await passages(olivier, question))).toEqual([]);
    expect(JSON.stringify((await ask(olivier, question)).body)).not.toContain('ornithorynque');
    expect(titlesOf(await passages(emilie, question))).toEqual(['Annexe du rapport', 'Rapport confidentiel']);
    expect(titlesOf(await passages(camille, question))).toEqual(['Annexe du rapport', 'Rapport confidentiel']);
  });

  it('the trash: for no one, the owner included', async () => {
    const question = 'Quel est le mot de passe du réseau sans fil ?';
    expect(JSON.stringify((await ask(camille, question)).body)).not.toContain('kangourou');
    expect((await api(camille, 'POST', `/api/documents/${docs.jete}/restore`)).status).toBe(200);
    expect(titlesOf(await passages(camille, question))).toEqual(['Brouillon jeté']);
    expect((await api(camille, 'POST', `/api/documents/${docs.jete}/trash`)).status).toBe(200);
    expect(titlesOf(await passages(camille, question))).toEqual([]);
  });

  it('right after access is withdrawn: a page restricted, then a member removed', async () => {
    const question = 'Combien de jours de télétravail par semaine ?';
    expect(titlesOf(await passages(emilie, question))).toContain('Procédure de télétravail');
    expect((await api(camille, 'PUT', `/api/documents/${docs.teletravail}/access`, { restricted: true, entries: [{ principalId: olivier.id, role: 'reader' }] })).status).toBe(200);
    expect(titlesOf(await passages(emilie, question))).not.toContain('Procédure de télétravail');
    expect(titlesOf(await passages(olivier, question))).toContain('Procédure de télétravail');
    expect((await api(camille, 'PUT', `/api/documents/${docs.teletravail}/access`, { restricted: false, entries: [] })).status).toBe(200);
    // Removed from the space: nothing of it at once.
    expect((await api(camille, 'DELETE', `/api/spaces/${spaceA}/members/${olivier.id}`)).status).toBe(204);
    const answer = await ask(olivier, question);
    expect(answer.status).toBe(200);
    expect((answer.body.passages as Passage[]).filter((p) => p.spaceId === spaceA)).toEqual([]);
    expect(JSON.stringify(answer.body)).not.toContain('deux jours par semaine');
    expect((await api(olivier, 'POST', '/api/assistant/summarise', { documentId: docs.comite })).status).toBe(404);
  });
});

describe('summarise, without a model', () => {
  it('gives the document’s own key sentences, in document order, labelled as extractive', async () => {
    const summaries = async () =>
      (await t.entente.audit.list({ jurisdiction: 'QC', action: 'workspace.document.read', resourceId: docs.comite, limit: 50 })).filter(
        (e) => e.actor_id === emilie.id && e.details.via === 'assistant.summarise',
      ).length;
    const before = await summaries();
    const answer = await api(emilie, 'POST', '/api/assistant/summarise', { documentId: docs.comite });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ mode: 'extractive', label: 'assistant.extractive.summaryLabel', documentId: docs.comite, title: 'Compte rendu du comité de pilotage', indexed: true });
    const sentences = answer.body.sentences as { text: string; offset: number; length: number }[];
    expect(sentences.length).toBe(3);
    expect(sentences.map((s) => s.offset)).toEqual([...sentences.map((s) => s.offset)].sort((a, b) => a - b));
    const text = sentences.map((s) => s.text).join(' ');
    // « M. » does not end a sentence.
    expect(text).toContain('M. Tremblay a présenté le budget');
    expect(text).not.toMatch(/pause|projecteur|beau/);
    // Reading key sentences is reading the document: audited as a read, in the space's cell.
    expect(await summaries()).toBe(before + 1);
  });

  it('answers 404 for a document the agent cannot read: another space, restricted, in the trash, unknown', async () => {
    for (const [agent, id] of [
      [hugo, docs.comite],
      [camille, docs.jete],
      [emilie, docs.fusion],
      [emilie, '019ac9f0-0000-7000-8000-0000000000e3'],
    ] as const) {
      const answer = await api(agent, 'POST', '/api/assistant/summarise', { documentId: id });
      expect(answer.status).toBe(404);
      expect(answer.type).toContain('application/problem+json');
      expect(JSON.stringify(answer.body)).not.toMatch(/kangourou|fusion|comité/);
    }
    expect((await api(emilie, 'POST', '/api/assistant/summarise', { documentId: 'pas-un-id' })).status).toBe(400);
    expect((await api(emilie, 'POST', '/api/assistant/summarise', { documentId: docs.coffre })).status).toBe(200);
    expect((await api(olivier, 'POST', '/api/assistant/summarise', { documentId: docs.coffre })).status).toBe(404);
  });
});
