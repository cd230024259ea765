import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Mentioning someone who is not a member of the space (issue 5): the mention list tells the panel
 * whether the actor may invite (`canInvite`, owners of the space), from the actor's role only — a
 * non-owner learns nothing by typing addresses —; an owner's invitation of an agent who already
 * has a profile makes them a member at once, and the comment that mentions them notifies them.
 * PGlite, and PostgreSQL in the integration run.
 */
let t: TestApp;
type Agent = (typeof DEMO_AGENTS)[number];
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [Agent, Agent, Agent, Agent];
const sessions = new Map<string, TestSession>();

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

async function call(agent: Agent, method: string, url: string, body?: unknown) {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...sessions.get(agent.id)?.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

/** A space owned by Camille with the members given, and a document in it with one paragraph. */
async function spaceWithDocument(members: [Agent, 'editor' | 'commenter' | 'reader'][]) {
  const created = await call(camille, 'POST', '/api/spaces', { name: `Mentions ${Math.random().toString(36).slice(2, 8)}`, jurisdiction: 'QC', minAssurance: 'low', classification: 'internal' });
  expect(created.status).toBe(201);
  const spaceId = created.body.id as string;
  for (const [agent, role] of members) {
    const invited = await call(camille, 'POST', `/api/spaces/${spaceId}/invitations`, { email: agent.email, role });
    expect(invited.body.member?.role).toBe(role);
  }
  const document = await call(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Compte rendu' });
  expect(document.status).toBe(201);
  const documentId = document.body.id as string;
  const doc = jsonToYDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Le comité se réunit à Québec en mars.' }] }] });
  await t.entente.collab.store.initialise({ documentId, spaceId, jurisdiction: 'QC' }, Y.encodeStateAsUpdate(doc));
  const paragraph = doc.getXmlFragment('default').get(0) as Y.XmlElement;
  const text = paragraph.get(0) as Y.XmlText;
  const encode = (index: number, assoc: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))).toString('base64');
  return { spaceId, documentId, anchor: { start: encode(22, 0), end: encode(36, -1) } };
}

const mentionable = (agent: Agent, documentId: string, q: string) => call(agent, 'GET', `/api/documents/${documentId}/mentionable?q=${encodeURIComponent(q)}`);

describe('mentionable: canInvite', () => {
  it('is true for the space’s owner only; editors and commenters get false, readers 403; it is in the OpenAPI schema', async () => {
    const { documentId } = await spaceWithDocument([
      [hugo, 'editor'],
      [emilie, 'commenter'],
      [olivier, 'reader'],
    ]);
    const owner = await mentionable(camille, documentId, '');
    expect(owner.status).toBe(200);
    expect(owner.body).toMatchObject({ canShare: true, canInvite: true });
    for (const agent of [hugo, emilie]) {
      const answer = await mentionable(agent, documentId, '');
      expect(answer.status, agent.givenName).toBe(200);
      expect(answer.body.canInvite, agent.givenName).toBe(false);
      // They still get the members to mention.
      expect(answer.body.agents.length, agent.givenName).toBeGreaterThan(0);
    }
    expect((await mentionable(olivier, documentId, '')).status).toBe(403);

    const openapi = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, { get?: { responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown>; required?: string[] } }> }> } }>;
    };
    const schema = openapi.paths['/api/documents/{documentId}/mentionable']?.get?.responses?.['200']?.content?.['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['agents', 'canShare', 'canInvite']));
    expect(schema?.required).toEqual(expect.arrayContaining(['canInvite']));
  });

  it('follows the role: a member made owner may invite, an owner made editor may not', async () => {
    const { spaceId, documentId } = await spaceWithDocument([[hugo, 'editor']]);
    expect((await mentionable(hugo, documentId, '')).body.canInvite).toBe(false);
    expect((await call(camille, 'PUT', `/api/spaces/${spaceId}/members/${hugo.id}`, { role: 'owner' })).status).toBe(200);
    expect((await mentionable(hugo, documentId, '')).body.canInvite).toBe(true);
    expect((await call(hugo, 'PUT', `/api/spaces/${spaceId}/members/${camille.id}`, { role: 'editor' })).status).toBe(200);
    expect((await mentionable(camille, documentId, '')).body.canInvite).toBe(false);
  });

  it('tells a non-owner nothing about addresses: an agent’s address and an unknown one get the same answer', async () => {
    const { spaceId, documentId } = await spaceWithDocument([[emilie, 'commenter']]);
    // Hugo has a profile (and is no member here); the other address belongs to nobody.
    const known = await mentionable(emilie, documentId, hugo.email);
    const unknown = await mentionable(emilie, documentId, 'personne.inconnue@dsne.demo-gouv-fr.test');
    expect(known.status).toBe(200);
    expect(known.body).toEqual({ agents: [], canShare: false, canInvite: false });
    expect(unknown.body).toEqual(known.body);
    // Nor does the invitation API: refused before any address is looked at.
    const inviteKnown = await call(emilie, 'POST', `/api/spaces/${spaceId}/invitations`, { email: hugo.email, role: 'commenter' });
    const inviteUnknown = await call(emilie, 'POST', `/api/spaces/${spaceId}/invitations`, { email: 'personne.inconnue@dsne.demo-gouv-fr.test', role: 'commenter' });
    expect(inviteKnown.status).toBe(403);
    const { requestId: _a, ...knownProblem } = inviteKnown.body;
    const { requestId: _b, ...unknownProblem } = inviteUnknown.body;
    expect(unknownProblem).toEqual(knownProblem);
    expect(inviteUnknown.status).toBe(403);
    // The owner is not told either by the list (no lookup by address, no directory by name).
    expect((await mentionable(camille, documentId, hugo.email)).body).toEqual({ agents: [], canShare: true, canInvite: true });
    expect((await mentionable(camille, documentId, 'Hugo')).body.agents).toEqual([]);
  });
});

describe('mentioning an agent invited from the comment', () => {
  it('an agent with a profile joins at once and the comment that mentions them notifies them; an unknown address waits for sign-in', async () => {
    const { spaceId, documentId, anchor } = await spaceWithDocument([]);
    expect((await mentionable(camille, documentId, 'Hugo')).body.agents).toEqual([]);

    // What the panel does once the owner picked « Inviter … » with the role commenter.
    const invited = await call(camille, 'POST', `/api/spaces/${spaceId}/invitations`, { email: hugo.email, role: 'commenter' });
    expect(invited.status).toBe(201);
    expect(invited.body.member).toMatchObject({ principalId: hugo.id, givenName: 'Hugo', familyName: 'Bernard', role: 'commenter' });
    // Now a member: listed, and reaching the document.
    expect((await mentionable(camille, documentId, 'Hugo')).body.agents).toEqual([{ principalId: hugo.id, givenName: 'Hugo', familyName: 'Bernard', canRead: true }]);

    const posted = await call(camille, 'POST', `/api/documents/${documentId}/comments`, { anchor, quote: 'Québec en mars', body: `<@${hugo.id}> pouvez-vous relire ?` });
    expect(posted.status).toBe(201);
    expect(posted.body.unreachableMentions).toEqual([]);
    await until(
      async () =>
        ((await call(hugo, 'GET', '/api/notifications?limit=50')).body.notifications as { kind: string; commentId: string | null }[]).some(
          (n) => n.kind === 'mention' && n.commentId === posted.body.comment.id,
        ),
      5_000,
      'Hugo told of the mention',
    );

    // Someone with no profile: a pending invitation, the address in the comment as plain text.
    const pending = await call(camille, 'POST', `/api/spaces/${spaceId}/invitations`, { email: 'nadia.roy@mcn.demo-gouv-qc.test', role: 'commenter' });
    expect(pending.status).toBe(201);
    expect(pending.body.member).toBeUndefined();
    const members = await call(camille, 'GET', `/api/spaces/${spaceId}/members`);
    expect(members.body.invitations).toEqual(expect.arrayContaining([expect.objectContaining({ email: 'nadia.roy@mcn.demo-gouv-qc.test', role: 'commenter' })]));
    const plain = await call(camille, 'POST', `/api/documents/${documentId}/comments`, { anchor, quote: 'Québec en mars', body: 'nadia.roy@mcn.demo-gouv-qc.test, à voir' });
    expect(plain.status).toBe(201);
    expect(plain.body.comment.body).toBe('nadia.roy@mcn.demo-gouv-qc.test, à voir');
  });
});
