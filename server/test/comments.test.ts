import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS, DEMO_COLLEAGUES } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { jsonToYDoc } from '../src/workspace/content/ydoc-json.ts';
import { exportSpaceArchive } from '../src/workspace/export/space-export.ts';
import { importArchive } from '../src/workspace/export/space-import.ts';
import { acknowledged, openClient, synced, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Comments through the real server (PGlite, and PostgreSQL in the integration run): who may read
 * and write them (the permissions matrix), anchors that follow a concurrent edit made through the
 * real Hocuspocus provider, edit and delete one's own only (owners moderate, audited), resolve and
 * reopen, reactions, mentions and their notifications, personal access tokens, and the attacker's
 * inputs (malformed, huge, another document's ids).
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

async function call(agent: Agent | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...(agent ? sessions.get(agent.id)?.headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

/** A space owned by Camille: Hugo editor, Émilie commenter, Olivier reader. */
async function space(jurisdiction: 'FR' | 'QC' = 'QC') {
  const created = await call(camille, 'POST', '/api/spaces', { name: `Commentaires ${Math.random().toString(36).slice(2, 8)}`, jurisdiction, minAssurance: 'low', classification: 'internal' });
  expect(created.status).toBe(201);
  for (const [agent, role] of [
    [hugo, 'editor'],
    [emilie, 'commenter'],
    [olivier, 'reader'],
  ] as const) {
    const invited = await call(camille, 'POST', `/api/spaces/${created.body.id}/invitations`, { email: agent.email, role });
    expect(invited.body.member?.role).toBe(role);
  }
  return created.body.id as string;
}

async function documentIn(spaceId: string, text = 'Le comité se réunit à Québec en mars.') {
  const created = await call(camille, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Compte rendu' });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const jurisdiction = (await call(camille, 'GET', `/api/documents/${id}`)).body.jurisdiction;
  await t.entente.collab.store.initialise(
    { documentId: id, spaceId, jurisdiction },
    Y.encodeStateAsUpdate(jsonToYDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })),
  );
  return id;
}

/** An anchor of the document as the editor makes it: relative positions in its text. */
function anchorIn(doc: Y.Doc, words: string) {
  const paragraph = doc.getXmlFragment('default').get(0) as Y.XmlElement;
  const text = paragraph.get(0) as Y.XmlText;
  const at = text.toString().indexOf(words);
  expect(at).toBeGreaterThanOrEqual(0);
  const encode = (index: number, assoc: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))).toString('base64');
  return { start: encode(at, 0), end: encode(at + words.length, -1) };
}

function resolveAnchor(doc: Y.Doc, anchor: { start: string; end: string }): string {
  const absolute = (b64: string) => Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(b64, 'base64')), doc);
  const start = absolute(anchor.start);
  const end = absolute(anchor.end);
  if (!start || !end) throw new Error('the anchor no longer resolves');
  expect(start.type).toBe(end.type);
  return (start.type as Y.XmlText).toString().slice(start.index, end.index);
}

/** An anchor from a throwaway copy of the document's stored state. */
async function storedAnchor(spaceId: string, documentId: string, words: string) {
  const jurisdiction = (await call(camille, 'GET', `/api/documents/${documentId}`)).body.jurisdiction;
  const { state } = await t.entente.collab.store.load({ documentId, spaceId, jurisdiction });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return anchorIn(doc, words);
}

async function openThread(agent: Agent, spaceId: string, documentId: string, body = 'Faut-il préciser la date ?') {
  const anchor = await storedAnchor(spaceId, documentId, 'Québec en mars');
  return call(agent, 'POST', `/api/documents/${documentId}/comments`, { anchor, quote: 'Québec en mars', body });
}

async function notificationsOf(agent: Agent) {
  return (await call(agent, 'GET', '/api/notifications?limit=50')).body.notifications as { kind: string; commentId: string | null; documentId: string }[];
}

describe('comments: who may do what', () => {
  it('commenters, editors and owners comment; readers read but get 403; non-members 404', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    for (const agent of [emilie, hugo, camille]) expect((await openThread(agent, spaceId, documentId)).status).toBe(201);
    const refused = await openThread(olivier, spaceId, documentId);
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('urn:entente:problem:forbidden');

    const listed = await call(olivier, 'GET', `/api/documents/${documentId}/comments`);
    expect(listed.status).toBe(200);
    expect(listed.body.canComment).toBe(false);
    expect(listed.body.threads).toHaveLength(3);
    expect(listed.body.threads[0].comments[0]).toMatchObject({ body: 'Faut-il préciser la date ?', authorId: emilie.id, canEdit: false, canDelete: false });
    // Names are read from the authors' home cells.
    expect(listed.body.people).toEqual(expect.arrayContaining([{ principalId: emilie.id, givenName: 'Émilie', familyName: 'Tremblay' }]));
    const threadId = listed.body.threads[0].id;
    const commentId = listed.body.threads[0].comments[0].id;
    expect((await call(olivier, 'POST', `/api/documents/${documentId}/comment-threads/${threadId}/replies`, { body: 'Moi aussi' })).status).toBe(403);
    expect((await call(olivier, 'PATCH', `/api/documents/${documentId}/comment-threads/${threadId}`, { resolved: true })).status).toBe(403);
    expect((await call(olivier, 'PUT', `/api/documents/${documentId}/comments/${commentId}/reactions/${encodeURIComponent('👍')}`)).status).toBe(403);

    // Someone outside the space learns nothing, not even that the document exists.
    const otherSpace = await call(olivier, 'POST', '/api/spaces', { name: 'Ailleurs', jurisdiction: 'QC', minAssurance: 'low', classification: 'internal' });
    expect(otherSpace.status).toBe(201);
    await call(camille, 'DELETE', `/api/spaces/${spaceId}/members/${olivier.id}`);
    for (const [method, url, body] of [
      ['GET', `/api/documents/${documentId}/comments`, undefined],
      ['POST', `/api/documents/${documentId}/comment-threads/${threadId}/replies`, { body: 'Bonjour' }],
      ['GET', `/api/documents/${documentId}/mentionable?q=`, undefined],
    ] as const) {
      const answer = await call(olivier, method, url, body);
      expect(answer.status, `${method} ${url}`).toBe(404);
    }
    expect((await call(null, 'GET', `/api/documents/${documentId}/comments`)).status).toBe(401);
  });

  it('a restricted document hides its comments from members outside it; a trashed one is read-only', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    expect((await openThread(emilie, spaceId, documentId)).status).toBe(201);
    const restricted = await call(camille, 'PUT', `/api/documents/${documentId}/access`, { restricted: true, entries: [{ principalId: hugo.id, role: 'editor' }] });
    expect(restricted.status).toBe(200);
    expect((await call(emilie, 'GET', `/api/documents/${documentId}/comments`)).status).toBe(404);
    expect((await openThread(emilie, spaceId, documentId)).status).toBe(404);
    expect((await call(hugo, 'GET', `/api/documents/${documentId}/comments`)).body.threads).toHaveLength(1);

    expect((await call(hugo, 'POST', `/api/documents/${documentId}/trash`)).status).toBe(200);
    const trashed = await openThread(hugo, spaceId, documentId);
    expect(trashed.status).toBe(409);
    expect(trashed.body.type).toBe('urn:entente:problem:document-in-trash');
    const list = await call(hugo, 'GET', `/api/documents/${documentId}/comments`);
    expect(list.status).toBe(200);
    expect(list.body.canComment).toBe(false);
  });

  it('only the author edits; the author or an owner deletes (moderation audited); a tombstone stays', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    const opened = await openThread(emilie, spaceId, documentId, 'Premier avis');
    const threadId = opened.body.thread.id;
    const first = opened.body.comment.id;
    const reply = await call(hugo, 'POST', `/api/documents/${documentId}/comment-threads/${threadId}/replies`, { body: 'Réponse de Hugo' });
    expect(reply.status).toBe(201);
    const second = reply.body.comment.id;

    expect((await call(hugo, 'PATCH', `/api/documents/${documentId}/comments/${first}`, { body: 'Réécrit par un autre' })).status).toBe(403);
    expect((await call(camille, 'PATCH', `/api/documents/${documentId}/comments/${first}`, { body: 'Réécrit par la propriétaire' })).status).toBe(403);
    const edited = await call(emilie, 'PATCH', `/api/documents/${documentId}/comments/${first}`, { body: 'Premier avis, corrigé' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ body: 'Premier avis, corrigé', canEdit: true });
    expect(edited.body.editedAt).not.toBeNull();

    // An editor may not delete someone else's comment; the owner may (moderation).
    expect((await call(hugo, 'DELETE', `/api/documents/${documentId}/comments/${first}`)).status).toBe(403);
    expect((await call(camille, 'DELETE', `/api/documents/${documentId}/comments/${first}`)).status).toBe(204);
    expect((await call(camille, 'DELETE', `/api/documents/${documentId}/comments/${first}`)).status).toBe(409);
    expect((await call(hugo, 'DELETE', `/api/documents/${documentId}/comments/${second}`)).status).toBe(204);
    const jurisdiction = 'QC';
    const moderated = await t.entente.audit.list({ jurisdiction, resourceType: 'comment', resourceId: first, limit: 10 });
    expect(moderated.map((e) => e.action).sort()).toEqual(['workspace.comment.edited', 'workspace.comment.moderated']);
    expect(moderated.find((e) => e.action === 'workspace.comment.moderated')).toMatchObject({ actor_id: camille.id, details: { authorId: emilie.id, threadId } });
    const own = await t.entente.audit.list({ jurisdiction, resourceType: 'comment', resourceId: second, limit: 10 });
    expect(own.map((e) => e.action).sort()).toEqual(['workspace.comment.created', 'workspace.comment.deleted']);
    // The text is gone from the database, not only hidden.
    const row = await t.entente.stores.cells.QC.db.selectFrom('comments').select(['body', 'deleted_by']).where('id', '=', first).executeTakeFirstOrThrow();
    expect(row).toEqual({ body: '', deleted_by: camille.id });
    // Every comment deleted: the thread is gone for readers.
    expect((await call(olivier, 'GET', `/api/documents/${documentId}/comments`)).body.threads).toHaveLength(0);
  });

  it('a deleted comment in a live thread shows as a tombstone; reactions are set and taken back', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    const opened = await openThread(emilie, spaceId, documentId, 'À supprimer');
    const threadId = opened.body.thread.id;
    const reply = await call(hugo, 'POST', `/api/documents/${documentId}/comment-threads/${threadId}/replies`, { body: 'Je garde' });
    expect((await call(emilie, 'DELETE', `/api/documents/${documentId}/comments/${opened.body.comment.id}`)).status).toBe(204);
    const seen = await call(olivier, 'GET', `/api/documents/${documentId}/comments`);
    expect(seen.body.threads[0].comments.map((c: { body: string; deleted: boolean }) => [c.body, c.deleted])).toEqual([
      ['', true],
      ['Je garde', false],
    ]);
    // Replying under a deleted first comment is fine; editing a deleted one is not.
    expect((await call(emilie, 'PATCH', `/api/documents/${documentId}/comments/${opened.body.comment.id}`, { body: 'Revenu' })).status).toBe(409);

    const url = (emoji: string) => `/api/documents/${documentId}/comments/${reply.body.comment.id}/reactions/${encodeURIComponent(emoji)}`;
    expect((await call(emilie, 'PUT', url('🎉'))).body.reactions).toEqual([{ emoji: '🎉', count: 1, mine: true }]);
    expect((await call(emilie, 'PUT', url('🎉'))).body.reactions).toEqual([{ emoji: '🎉', count: 1, mine: true }]);
    expect((await call(camille, 'PUT', url('🎉'))).body.reactions).toEqual([{ emoji: '🎉', count: 2, mine: true }]);
    expect((await call(emilie, 'DELETE', url('🎉'))).body.reactions).toEqual([{ emoji: '🎉', count: 1, mine: false }]);
    const refused = await call(emilie, 'PUT', url('💩'));
    expect(refused.status).toBe(400);
    const listed = await call(hugo, 'GET', `/api/documents/${documentId}/comments`);
    expect(listed.body.threads[0].comments[1].reactions).toEqual([{ emoji: '🎉', count: 1, mine: false }]);
  });

  it('resolve and reopen, by those who may comment', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    const threadId = (await openThread(hugo, spaceId, documentId)).body.thread.id;
    const resolved = await call(emilie, 'PATCH', `/api/documents/${documentId}/comment-threads/${threadId}`, { resolved: true });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ resolvedBy: emilie.id });
    expect(resolved.body.resolvedAt).not.toBeNull();
    let listed = await call(olivier, 'GET', `/api/documents/${documentId}/comments`);
    expect(listed.body.threads[0].resolvedBy).toBe(emilie.id);
    const reopened = await call(hugo, 'PATCH', `/api/documents/${documentId}/comment-threads/${threadId}`, { resolved: false });
    expect(reopened.body).toMatchObject({ resolvedAt: null, resolvedBy: null });
    listed = await call(olivier, 'GET', `/api/documents/${documentId}/comments`);
    expect(listed.body.threads[0].resolvedAt).toBeNull();
    const events = await t.entente.audit.list({ jurisdiction: 'QC', resourceType: 'comment', resourceId: threadId, limit: 10 });
    expect(events.map((e) => e.action).sort()).toEqual(['workspace.comment.reopened', 'workspace.comment.resolved', 'workspace.comment.thread_created']);
  });
});

describe('comments: anchors', () => {
  it('follow a concurrent edit made through the real provider: the anchor still covers the same words', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    const hugoClient = openClient(t.baseUrl, documentId, () => ticketFor(t.baseUrl, sessions.get(hugo.id) as TestSession, documentId));
    const camilleClient = openClient(t.baseUrl, documentId, () => ticketFor(t.baseUrl, sessions.get(camille.id) as TestSession, documentId));
    try {
      await synced(hugoClient);
      await synced(camilleClient);
      // Hugo selects « Québec en mars » in his copy and comments on it.
      const anchor = anchorIn(hugoClient.doc, 'Québec en mars');
      const created = await call(hugo, 'POST', `/api/documents/${documentId}/comments`, { anchor, quote: 'Québec en mars', body: 'À confirmer' });
      expect(created.status).toBe(201);
      // Meanwhile Camille writes before the range, and inside the paragraph after it.
      const text = (camilleClient.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(0, 'Nouveau : ');
      text.insert(text.length, ' Ordre du jour à venir.');
      await acknowledged(camilleClient);
      const hugoText = () => ((hugoClient.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).toString();
      await until(() => hugoText().startsWith('Nouveau : '), 10_000, 'the edit reached Hugo');

      const listed = await call(emilie, 'GET', `/api/documents/${documentId}/comments`);
      const stored = listed.body.threads[0].anchor;
      expect(resolveAnchor(hugoClient.doc, stored)).toBe('Québec en mars');
      expect(resolveAnchor(camilleClient.doc, stored)).toBe('Québec en mars');
      // And in the state the server stored.
      const { state } = await t.entente.collab.store.load({ documentId, spaceId, jurisdiction: 'QC' });
      const fresh = new Y.Doc();
      Y.applyUpdate(fresh, state);
      expect(resolveAnchor(fresh, stored)).toBe('Québec en mars');
      expect(hugoText()).toBe('Nouveau : Le comité se réunit à Québec en mars. Ordre du jour à venir.');
    } finally {
      hugoClient.destroy();
      camilleClient.destroy();
    }
  });
});

describe('comments: mentions and notifications', () => {
  it('mentioned readers are told; those who cannot read are returned, not told; the actor never', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    // A second, restricted document Olivier does not reach.
    const hidden = await documentIn(spaceId, 'Le budget est confidentiel à Québec en mars.');
    await call(camille, 'PUT', `/api/documents/${hidden}/access`, { restricted: true, entries: [{ principalId: emilie.id, role: 'commenter' }] });

    const candidates = await call(emilie, 'GET', `/api/documents/${hidden}/mentionable?q=${encodeURIComponent('olivier')}`);
    expect(candidates.status).toBe(200);
    expect(candidates.body).toEqual({ agents: [{ principalId: olivier.id, givenName: 'Olivier', familyName: 'Gagnon', canRead: false }], canShare: false, canInvite: false });
    // Accents and case do not matter; the agent asking is not offered.
    const accents = await call(camille, 'GET', `/api/documents/${documentId}/mentionable?q=${encodeURIComponent('EMILIE')}`);
    expect(accents.body.agents).toEqual([{ principalId: emilie.id, givenName: 'Émilie', familyName: 'Tremblay', canRead: true }]);
    expect(accents.body.canShare).toBe(true);
    expect((await call(olivier, 'GET', `/api/documents/${documentId}/mentionable?q=`)).status).toBe(403);

    const onHidden = await call(emilie, 'POST', `/api/documents/${hidden}/comments`, {
      anchor: await storedAnchor(spaceId, hidden, 'Québec en mars'),
      quote: 'Québec en mars',
      body: `<@${olivier.id}> et <@${emilie.id}>, à voir`,
    });
    expect(onHidden.status).toBe(201);
    expect(onHidden.body.unreachableMentions).toEqual([{ principalId: olivier.id, givenName: 'Olivier', familyName: 'Gagnon' }]);
    expect((await notificationsOf(olivier)).filter((n) => n.documentId === hidden)).toEqual([]);
    // Émilie is not told of her own mention; she was told only that Camille shared the document with her.
    expect((await notificationsOf(emilie)).filter((n) => n.documentId === hidden).map((n) => n.kind)).toEqual(['share']);
    // Camille created the document: she is told of the new thread.
    await until(async () => (await notificationsOf(camille)).some((n) => n.documentId === hidden && n.kind === 'comment'), 5_000, 'creator told');

    const opened = await openThread(emilie, spaceId, documentId, `Qu’en pense <@${olivier.id}> ?`);
    expect(opened.body.unreachableMentions).toEqual([]);
    const mine = (await notificationsOf(olivier)).filter((n) => n.documentId === documentId);
    expect(mine).toEqual([expect.objectContaining({ kind: 'mention', commentId: opened.body.comment.id })]);
    const toCamille = (await notificationsOf(camille)).filter((n) => n.documentId === documentId);
    expect(toCamille.map((n) => n.kind)).toEqual(['comment']);

    // A reply tells the earlier participants (Émilie), not the one replying (Hugo).
    const reply = await call(hugo, 'POST', `/api/documents/${documentId}/comment-threads/${opened.body.thread.id}/replies`, { body: 'D’accord' });
    expect(reply.status).toBe(201);
    expect((await notificationsOf(emilie)).filter((n) => n.documentId === documentId).map((n) => n.kind)).toEqual(['reply']);
    expect((await notificationsOf(hugo)).filter((n) => n.documentId === documentId)).toEqual([]);
  });
});

describe('comments: mentions name no one outside the space', () => {
  it('an id typed by hand for an agent who is no member comes back nameless, in the answer, the list and the notification text', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    // Léa Petit: an agent of Camille's organisation, in no space here.
    const lea = DEMO_COLLEAGUES[0];
    const opened = await openThread(emilie, spaceId, documentId, `Qui est <@${lea.id}> ? Et <@${olivier.id}> ?`);
    expect(opened.status).toBe(201);
    expect(opened.body.unreachableMentions).toEqual([{ principalId: lea.id, givenName: null, familyName: null }]);
    const listed = await call(olivier, 'GET', `/api/documents/${documentId}/comments`);
    const people = listed.body.people as { principalId: string; givenName: string | null }[];
    expect(people.find((p) => p.principalId === lea.id)).toEqual({ principalId: lea.id, givenName: null, familyName: null });
    // Members and writers keep their names.
    expect(people.find((p) => p.principalId === olivier.id)?.givenName).toBe('Olivier');
    expect(people.find((p) => p.principalId === emilie.id)?.givenName).toBe('Émilie');
    expect(JSON.stringify(listed.body)).not.toContain(lea.familyName);
    // Olivier is told of his mention; the excerpt does not name Léa either.
    const notifications = await call(olivier, 'GET', '/api/notifications?limit=50');
    expect(JSON.stringify(notifications.body)).toContain('Qui est @?');
    expect(JSON.stringify(notifications.body)).not.toContain(lea.familyName);

    // A writer who left the space is still named under their words.
    await call(camille, 'DELETE', `/api/spaces/${spaceId}/members/${emilie.id}`);
    const after = await call(olivier, 'GET', `/api/documents/${documentId}/comments`);
    expect((after.body.people as { principalId: string; givenName: string | null }[]).find((p) => p.principalId === emilie.id)?.givenName).toBe('Émilie');
  });
});

describe('comments: tokens and hostile input', () => {
  it('work with personal access tokens: api:read reads, api:write writes', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    const threadId = (await openThread(hugo, spaceId, documentId)).body.thread.id;
    const mint = async (scopes: string[]) => (await call(emilie, 'POST', '/api/me/tokens', { label: `Commentaires ${scopes.join(' ')}`, scopes, expiresInDays: 1 })).body.token as string;
    const reader = await mint(['api:read']);
    const writer = await mint(['api:read', 'api:write']);
    const bearer = (token: string, method: string, url: string, body?: unknown) =>
      fetch(`${t.baseUrl}${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const listed = await bearer(reader, 'GET', `/api/documents/${documentId}/comments`);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { threads: unknown[] }).threads).toHaveLength(1);
    expect((await bearer(reader, 'POST', `/api/documents/${documentId}/comment-threads/${threadId}/replies`, { body: 'Par jeton' })).status).toBe(403);
    const written = await bearer(writer, 'POST', `/api/documents/${documentId}/comment-threads/${threadId}/replies`, { body: 'Par jeton' });
    expect(written.status).toBe(201);
    expect(((await written.json()) as { comment: { authorId: string } }).comment.authorId).toBe(emilie.id);
    // Every route is in the OpenAPI document.
    const openapi = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const [route, methods] of [
      ['/api/documents/{documentId}/comments', ['get', 'post']],
      ['/api/documents/{documentId}/comment-threads/{threadId}', ['patch']],
      ['/api/documents/{documentId}/comment-threads/{threadId}/replies', ['post']],
      ['/api/documents/{documentId}/comments/{commentId}', ['patch', 'delete']],
      ['/api/documents/{documentId}/comments/{commentId}/reactions/{emoji}', ['put', 'delete']],
      ['/api/documents/{documentId}/mentionable', ['get']],
    ] as const) {
      expect(Object.keys(openapi.paths[route] ?? {}), route).toEqual(expect.arrayContaining([...methods]));
    }
  });

  it('refuses malformed, oversized and misplaced input with 4xx problems', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    const opened = await openThread(emilie, spaceId, documentId);
    const anchor = await storedAnchor(spaceId, documentId, 'Québec');
    const post = (body: unknown) => call(emilie, 'POST', `/api/documents/${documentId}/comments`, body);
    for (const bad of [
      { anchor: { start: 'pas du base64 !', end: anchor.end }, quote: '', body: 'x' },
      { anchor: { start: 'AAAA', end: anchor.end }, quote: '', body: 'x' },
      { anchor, quote: '', body: '   ' },
      { anchor, quote: '', body: 'x', extra: true },
      { anchor, quote: 'q'.repeat(1001), body: 'x' },
      { anchor: { start: 'A'.repeat(600), end: anchor.end }, quote: '', body: 'x' },
      { anchor, quote: '', body: 'x'.repeat(10_001) },
      { anchor, quote: '', body: 42 },
    ]) {
      const answer = await post(bad);
      expect(answer.status, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect(answer.body.type).toBe('urn:entente:problem:validation');
    }
    expect((await post({ anchor, quote: '', body: 'x'.repeat(10_000) })).status).toBe(201);
    const huge = await call(emilie, 'POST', `/api/documents/${documentId}/comments`, JSON.stringify({ anchor, quote: '', body: 'x'.repeat(3 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect((await call(emilie, 'POST', `/api/documents/${documentId}/comments`, '{"anchor":')).status).toBe(400);
    // Injection attempts are text like any other.
    const sqlish = await post({ anchor, quote: "'); drop table comments; --", body: "<script>alert(1)</script>'; delete from comments; --" });
    expect(sqlish.status).toBe(201);
    expect((await call(hugo, 'GET', `/api/documents/${documentId}/comments`)).body.threads.at(-1).comments[0].body).toBe("<script>alert(1)</script>'; delete from comments; --");

    // Ids of another document, even one the agent reaches, are not found here.
    const other = await documentIn(spaceId);
    const otherThread = (await openThread(emilie, spaceId, other)).body;
    expect((await call(emilie, 'POST', `/api/documents/${documentId}/comment-threads/${otherThread.thread.id}/replies`, { body: 'ici ?' })).status).toBe(404);
    expect((await call(emilie, 'PATCH', `/api/documents/${documentId}/comments/${otherThread.comment.id}`, { body: 'ici ?' })).status).toBe(404);
    expect((await call(camille, 'DELETE', `/api/documents/${documentId}/comments/${otherThread.comment.id}`)).status).toBe(404);
    // … nor those of another space (in the other cell) named under a document of this one.
    const frSpace = await space('FR');
    const frDocument = await documentIn(frSpace);
    const frThread = (await openThread(emilie, frSpace, frDocument)).body;
    expect((await call(camille, 'DELETE', `/api/documents/${documentId}/comments/${frThread.comment.id}`)).status).toBe(404);
    expect((await call(emilie, 'PATCH', `/api/documents/${documentId}/comment-threads/${frThread.thread.id}`, { resolved: true })).status).toBe(404);
    expect((await call(emilie, 'GET', `/api/documents/not-a-uuid/comments`)).status).toBe(400);
    expect((await call(emilie, 'PATCH', `/api/documents/${documentId}/comment-threads/${opened.body.thread.id}`, { resolved: 'oui' })).status).toBe(400);
    // The French space's comments are in the French cell only.
    const inQc = await t.entente.stores.cells.QC.db.selectFrom('comments').select('id').where('id', '=', frThread.comment.id).execute();
    expect(inQc).toEqual([]);
  });
});

describe('comments: space export and import', () => {
  it('carries threads, tombstones and reactions into the archive and back; anchors still resolve in the imported text', async () => {
    const spaceId = await space();
    const documentId = await documentIn(spaceId);
    const opened = await openThread(emilie, spaceId, documentId, `Voir avec <@${hugo.id}>`);
    const reply = await call(hugo, 'POST', `/api/documents/${documentId}/comment-threads/${opened.body.thread.id}/replies`, { body: 'Je supprime ceci' });
    await call(hugo, 'DELETE', `/api/documents/${documentId}/comments/${reply.body.comment.id}`);
    await call(camille, 'PUT', `/api/documents/${documentId}/comments/${opened.body.comment.id}/reactions/${encodeURIComponent('👀')}`);
    await call(emilie, 'PATCH', `/api/documents/${documentId}/comment-threads/${opened.body.thread.id}`, { resolved: true });

    const work = mkdtempSync(path.join(tmpdir(), 'entente-comments-'));
    try {
      const e = t.entente;
      const out = path.join(work, 'space.zip');
      const exported = await exportSpaceArchive({ stores: e.stores, cells: e.cells, content: e.collab.store, audit: e.audit, publicUrl: e.config.publicUrl }, { spaceId, out });
      expect(exported.manifest.contents.comments).toEqual({ present: true, count: 1 });
      expect(exported.manifest.spaces[0]?.counts.comments).toBe(1);

      const report = await importArchive({ stores: e.stores, cells: e.cells, content: e.collab.store, audit: e.audit, publicUrl: e.config.publicUrl }, { file: out, owner: camille.id });
      const imported = report.spaces[0]?.id as string;
      const documents = (await call(camille, 'GET', `/api/spaces/${imported}/documents`)).body.documents as { id: string }[];
      expect(documents).toHaveLength(1);
      const copy = documents[0]?.id as string;
      const listed = await call(camille, 'GET', `/api/documents/${copy}/comments`);
      expect(listed.status).toBe(200);
      expect(listed.body.threads).toHaveLength(1);
      const thread = listed.body.threads[0];
      expect(thread.id).not.toBe(opened.body.thread.id);
      expect(thread).toMatchObject({ quote: 'Québec en mars', createdBy: emilie.id, resolvedBy: emilie.id });
      expect(thread.comments.map((c: { body: string; deleted: boolean; authorId: string }) => [c.authorId, c.body, c.deleted])).toEqual([
        [emilie.id, `Voir avec <@${hugo.id}>`, false],
        [hugo.id, '', true],
      ]);
      expect(thread.comments[0].reactions).toEqual([{ emoji: '👀', count: 1, mine: true }]);
      const { state } = await e.collab.store.load({ documentId: copy, spaceId: imported, jurisdiction: 'QC' });
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      expect(resolveAnchor(doc, thread.anchor)).toBe('Québec en mars');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
