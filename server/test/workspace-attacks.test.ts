import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * An attacker's review of spaces and documents (helper F): races that the locks must win (two
 * moves that together would make a cycle, two owners demoting each other), a removed member's
 * every door closed, and input nobody should be able to slip in (unknown fields, oversized text).
 */
let t: TestApp;
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();

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
const newSpace = async (name: string) => {
  const answer = await api(camille, 'POST', '/api/spaces', { name, jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
};
const invite = async (spaceId: string, agent: { email: string }, role: string) =>
  expect((await api(camille, 'POST', `/api/spaces/${spaceId}/invitations`, { email: agent.email, role })).status).toBe(201);
const create = async (spaceId: string, title: string, parentId?: string) => {
  const answer = await api(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title, ...(parentId ? { parentId } : {}) });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
};

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
});
afterAll(async () => {
  await t?.close();
});

describe('races the locks must win', () => {
  it('two moves at once cannot together make a cycle', async () => {
    const space = await newSpace('Course aux déplacements');
    for (let round = 0; round < 5; round++) {
      const a = await create(space, `A${round}`);
      const b = await create(space, `B${round}`);
      // A under B and B under A, at the same moment: at most one may succeed.
      const [first, second] = await Promise.all([
        api(camille, 'PATCH', `/api/documents/${a}`, { parentId: b }),
        api(camille, 'PATCH', `/api/documents/${b}`, { parentId: a }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const docs = (await api(camille, 'GET', `/api/spaces/${space}/documents`)).body.documents as { id: string; parentId: string | null }[];
      const parentOf = new Map(docs.map((d) => [d.id, d.parentId]));
      // Every document still reaches the root.
      for (const id of [a, b]) {
        const seen = new Set<string>();
        let at: string | null = id;
        while (at !== null) {
          expect(seen.has(at)).toBe(false);
          seen.add(at);
          at = parentOf.get(at) ?? null;
        }
      }
    }
  });

  it('two owners demoting or removing each other at once leave the space with an owner', async () => {
    for (const [index, change] of (['demote', 'remove'] as const).entries()) {
      const space = await newSpace(`Deux propriétaires ${index}`);
      await invite(space, olivier, 'owner');
      const act = (by: { id: string }, target: { id: string }) =>
        change === 'demote'
          ? api(by, 'PUT', `/api/spaces/${space}/members/${target.id}`, { role: 'reader' })
          : api(by, 'DELETE', `/api/spaces/${space}/members/${target.id}`);
      const answers = await Promise.all([act(camille, olivier), act(olivier, camille)]);
      expect(answers.filter((a) => a.status < 300)).toHaveLength(1);
      const members = (await api(camille, 'GET', `/api/spaces/${space}/members`)).body.members as { role: string }[] | undefined;
      const viaOlivier = (await api(olivier, 'GET', `/api/spaces/${space}/members`)).body.members as { role: string }[] | undefined;
      expect((members ?? viaOlivier ?? []).filter((m) => m.role === 'owner')).toHaveLength(1);
    }
  });
});

describe('a removed member', () => {
  it('finds every door of the space closed, as if it did not exist', async () => {
    const space = await newSpace('Départ');
    await invite(space, emilie, 'editor');
    const doc = await create(space, 'Plan');
    expect((await api(emilie, 'GET', `/api/documents/${doc}`)).status).toBe(200);
    expect((await api(camille, 'DELETE', `/api/spaces/${space}/members/${emilie.id}`)).status).toBe(204);
    for (const [method, path, body] of [
      ['GET', `/api/spaces/${space}`],
      ['GET', `/api/spaces/${space}/members`],
      ['GET', `/api/spaces/${space}/documents`],
      ['POST', `/api/spaces/${space}/documents`, { title: 'Encore moi' }],
      ['GET', `/api/documents/${doc}`],
      ['PATCH', `/api/documents/${doc}`, { title: 'Encore moi' }],
      ['POST', `/api/documents/${doc}/duplicate`],
      ['POST', `/api/documents/${doc}/trash`],
      ['GET', `/api/documents/${doc}/versions`],
      ['GET', `/api/documents/${doc}/content`],
      ['POST', '/api/collab/tickets', { documentId: doc }],
      ['POST', `/api/spaces/${space}/invitations`, { email: 'quelqu.un@example.gouv.fr', role: 'owner' }],
    ] as const) {
      const answer = await api(emilie, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    expect((await api(camille, 'GET', `/api/documents/${doc}`)).body.title).toBe('Plan');
  });
});

describe('what nobody can slip in', () => {
  it('forgets a removed member’s places on access lists: re-invited, they do not find restricted documents again', async () => {
    const space = await newSpace('Départs et retours');
    await invite(space, emilie, 'editor');
    const secret = await create(space, 'Dossier réservé');
    expect((await api(camille, 'PUT', `/api/documents/${secret}/access`, { restricted: true, entries: [{ principalId: emilie.id, role: 'editor' }] })).status).toBe(200);
    expect((await api(emilie, 'GET', `/api/documents/${secret}`)).status).toBe(200);

    expect((await api(camille, 'DELETE', `/api/spaces/${space}/members/${emilie.id}`)).status).toBe(204);
    await invite(space, emilie, 'editor');
    // A member again, but no longer on the list an owner made before she left.
    expect((await api(emilie, 'GET', `/api/spaces/${space}`)).status).toBe(200);
    expect((await api(emilie, 'GET', `/api/documents/${secret}`)).status).toBe(404);
    expect((await api(camille, 'GET', `/api/documents/${secret}/access`)).body).toEqual({ restricted: true, entries: [] });
  });

  it('refuses unknown fields and oversized text without writing anything', async () => {
    const before = (await api(camille, 'GET', '/api/spaces')).body.spaces.length as number;
    for (const body of [
      { name: 'Champ inconnu', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal', role: 'owner' },
      { name: 'Champ inconnu', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal', id: '019ac9f0-0000-7000-8000-0000000e0001' },
      { name: 'x'.repeat(201), jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' },
      { name: 'Hors cellule', jurisdiction: 'US', minAssurance: 'low', classification: 'internal' },
    ]) {
      expect((await api(camille, 'POST', '/api/spaces', body)).status).toBe(400);
    }
    expect((await api(camille, 'GET', '/api/spaces')).body.spaces).toHaveLength(before);
    // What was left out is said as such, field by field, not as a size or a value not allowed.
    const blank = await api(camille, 'POST', '/api/spaces', { name: '   ', minAssurance: 'low', classification: 'internal' });
    expect(blank.status).toBe(400);
    const messages = new Map((blank.body.errors as { path: string; message: string }[]).map((e) => [e.path, e.message]));
    expect(messages.get('body.name')).toBe('Ce champ est obligatoire.');
    expect(messages.get('body.jurisdiction')).toBe('Ce champ est obligatoire.');
    expect((await api(camille, 'GET', '/api/spaces')).body.spaces).toHaveLength(before);
    const space = await newSpace('Champs');
    await invite(space, hugo, 'reader');
    const doc = await create(space, 'Titre');
    // A reader cannot raise their own role, nor restrict a document to themself.
    expect((await api(hugo, 'PUT', `/api/spaces/${space}/members/${hugo.id}`, { role: 'owner' })).status).toBe(403);
    expect((await api(hugo, 'PUT', `/api/documents/${doc}/access`, { restricted: true, entries: [{ principalId: hugo.id, role: 'owner' }] })).status).toBe(403);
    expect((await api(camille, 'PATCH', `/api/documents/${doc}`, { title: 'y', spaceId: '019ac9f0-0000-7000-8000-0000000e0001' })).status).toBe(400);
    expect((await api(camille, 'PATCH', `/api/documents/${doc}`, { title: 'y'.repeat(301) })).status).toBe(400);
    expect((await api(camille, 'GET', `/api/documents/${doc}`)).body).toMatchObject({ title: 'Titre', spaceId: space });
  });
});
