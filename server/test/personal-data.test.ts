import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { exportPersonalData, OTHER_PERSON } from '../src/identity/personal-data/personal-data.ts';
import { type PersonalDataExport, personalDataExport } from '../src/identity/personal-data/schema.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { DEMO_SPACES } from '../src/workspace/demo-content.ts';
import { workspacePersonalData } from '../src/workspace/index.ts';
import { storedAnchorOf } from './support/anchors.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * « Télécharger mes données » (GET /api/me/export): everything about the agent, nothing about
 * anyone else, for a session or an api:read token, audited and rate limited.
 */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const [quebecSpace, frenchSpace] = DEMO_SPACES as [(typeof DEMO_SPACES)[0], (typeof DEMO_SPACES)[0]];

let t: TestApp;
let camilleSession: TestSession;
let hugoSession: TestSession;
let camilleToken: string;
let hugoToken: string;
let hugoSpaceId: string;
let camilleConversationId: string;
const camilleUsageId = uuidv7();
const WELCOME_ID = '019ac9f0-0000-7000-8000-0000000d0001';
let camilleLink: { id: string; token: string };
let camilleCommentId: string;


const url = (path: string) => `${t.baseUrl}${path}`;
async function post(session: TestSession, path: string, body: unknown) {
  const response = await fetch(url(path), { method: 'POST', headers: { ...session.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(json)).toBe(201);
  return json;
}
async function exportOf(headers: Record<string, string>): Promise<{ response: Response; text: string; body: PersonalDataExport }> {
  const response = await fetch(url('/api/me/export'), { headers });
  const text = await response.text();
  return { response, text, body: JSON.parse(text) as PersonalDataExport };
}

beforeAll(async () => {
  t = await startTestApp();
  camilleSession = await t.signIn(camille, { ip: '203.0.113.7', userAgent: 'Navigateur-de-Camille/1.0' });
  hugoSession = await t.signIn(hugo, { ip: '198.51.100.23', userAgent: 'Navigateur-de-Hugo/9.9' });
  // What Camille did…
  await post(camilleSession, `/api/spaces/${frenchSpace.id}/documents`, { title: 'Note de Camille 4242' });
  camilleToken = (await post(camilleSession, '/api/me/tokens', { label: 'Jeton export', scopes: ['api:read'], expiresInDays: 7 })).token as string;
  await post(camilleSession, `/api/spaces/${quebecSpace.id}/invitations`, { email: 'personne.externe@mcn.demo-gouv-qc.test', role: 'reader' });
  // …and what Hugo did, some of it beside her.
  await post(hugoSession, `/api/spaces/${frenchSpace.id}/documents`, { title: 'Secret de Hugo 7777' });
  hugoToken = (await post(hugoSession, '/api/me/tokens', { label: 'Jeton de Hugo', scopes: ['api:read'], expiresInDays: 7 })).token as string;
  hugoSpaceId = (
    (await post(hugoSession, '/api/spaces', {
      name: 'Espace de Hugo 5151',
      jurisdiction: 'FR',
      minAssurance: 'low',
      classification: 'internal',
    })) as { id: string }
  ).id;
  await post(hugoSession, `/api/spaces/${hugoSpaceId}/invitations`, { email: camille.email, role: 'reader' });
  // Camille's assistant conversation (sealed in the Québec cell) and an AI usage line (her home cell).
  camilleConversationId = ((await post(camilleSession, '/api/assistant/conversations', { spaceId: quebecSpace.id, title: 'Question de Camille 3131' })) as { id: string }).id;
  await post(camilleSession, `/api/assistant/conversations/${camilleConversationId}/messages`, { role: 'user', content: 'Quels sont les niveaux eIDAS 3131 ?' });
  await post(camilleSession, `/api/assistant/conversations/${camilleConversationId}/messages`, { role: 'assistant', content: 'Passages trouvés 3131', mode: 'extractive', model: null });
  // Her comment mentioning Hugo and her reaction; Hugo's reply; a share link she made, which Hugo opens.
  const thread = (await post(camilleSession, `/api/documents/${WELCOME_ID}/comments`, {
    anchor: await storedAnchorOf(t.entente, { documentId: WELCOME_ID, spaceId: quebecSpace.id, jurisdiction: 'QC' }, 'Cet espace réunit'),
    quote: 'Cet espace réunit',
    body: `Relire 8686 avec <@${hugo.id}>`,
  })) as { thread: { id: string }; comment: { id: string } };
  camilleCommentId = thread.comment.id;
  const reacted = await fetch(url(`/api/documents/${WELCOME_ID}/comments/${camilleCommentId}/reactions/${encodeURIComponent('👀')}`), { method: 'PUT', headers: camilleSession.headers });
  expect(reacted.status).toBe(200);
  await post(hugoSession, `/api/documents/${WELCOME_ID}/comment-threads/${thread.thread.id}/replies`, { body: 'Réponse de Hugo 9191' });
  const link = (await post(camilleSession, `/api/documents/${WELCOME_ID}/share-links`, { role: 'reader', reach: 'authenticated' })) as { id: string; url: string };
  camilleLink = { id: link.id, token: link.url.split('/').pop() as string };
  expect(camilleLink.token.length).toBeGreaterThan(30);
  const redeemed = await fetch(url('/api/share-links/redeem'), { method: 'POST', headers: { ...hugoSession.headers, 'content-type': 'application/json' }, body: JSON.stringify({ token: camilleLink.token }) });
  expect(redeemed.status).toBe(200);
  await t.entente.stores.cells.FR.db
    .insertInto('ai_usage')
    .values({ id: camilleUsageId, principal_id: camille.id, organisation_id: null, model: 'entente-small', provider: 'vllm-fr', provider_jurisdiction: 'FR', endpoint: 'chat.completions', stream: true, status: 200, prompt_tokens: 12, completion_tokens: 34, duration_ms: 56, ttft_ms: 7 })
    .execute();
});
afterAll(async () => t?.close());

describe('personal data export', () => {
  it('refuses without a session (401 problem), and never caches', async () => {
    const response = await fetch(url('/api/me/export'));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const forged = await fetch(url('/api/me/export'), { headers: { cookie: 'entente_session=forged' } });
    expect(forged.status).toBe(401);
    const badToken = await fetch(url('/api/me/export'), { headers: { authorization: 'Bearer ent_pat_nottherealone' } });
    expect(badToken.status).toBe(401);
  });

  it('is a JSON attachment in the documented format, nothing left out of the schema', async () => {
    const { response, body } = await exportOf({ cookie: camilleSession.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const day = new Date().toISOString().slice(0, 10);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="entente-mes-donnees-${day}.json"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Strict: every field the server sent is in the schema (parsing strips unknown keys).
    expect(personalDataExport.parse(body)).toEqual(body);
    expect(body).toMatchObject({ format: 'entente.personal-data', version: 1, subject: { principalId: camille.id, homeJurisdiction: 'FR', status: 'active' } });
  });

  it('holds everything about the agent: profile, sessions, tokens, roles, spaces, documents, invitations, comments, share links, audit', async () => {
    const { body, text } = await exportOf({ cookie: camilleSession.cookie });
    const { identity, workspace, auditEvents } = body;
    expect(identity.profile).toMatchObject({ givenName: 'Camille', familyName: 'Martin', email: camille.email, preferredLanguage: 'fr-FR' });
    const session = identity.sessions.find((s) => s.id === camilleSession.sessionId);
    expect(session).toMatchObject({ ip: '203.0.113.7', userAgent: 'Navigateur-de-Camille/1.0', authMethod: 'test', endedAt: null });
    const token = identity.accessTokens.find((x) => x.label === 'Jeton export');
    expect(token).toMatchObject({ scopes: ['api:read'], prefix: camilleToken.slice(0, 12), revokedAt: null });
    // Metadata only: never the secret.
    expect(text).not.toContain(camilleToken);
    expect(text).not.toContain(camilleToken.slice(12));
    expect(identity.organisations).toEqual([
      expect.objectContaining({ id: DEMO_ORGANISATIONS[0].id, name: DEMO_ORGANISATIONS[0].name, jurisdiction: 'FR', roles: ['member', 'admin'] }),
    ]);
    expect(identity.platformRoles.map((r) => r.role)).toEqual(['operator']);

    const spaces = new Map(workspace.spaces.map((s) => [s.id, s]));
    expect(spaces.get(quebecSpace.id)).toMatchObject({ name: quebecSpace.name, jurisdiction: 'QC', role: 'owner' });
    expect(spaces.get(frenchSpace.id)).toMatchObject({ name: frenchSpace.name, jurisdiction: 'FR', role: 'editor' });
    expect(workspace.documents.map((d) => d.title)).toContain('Note de Camille 4242');
    // The demo documents she created in the Québec space are in the Québec cell.
    expect(workspace.documents.find((d) => d.title === 'Bienvenue')).toMatchObject({ jurisdiction: 'QC', spaceId: quebecSpace.id });
    // Invitations she sent, without the invited address (someone else's data).
    expect(workspace.invitationsSent).toEqual([expect.objectContaining({ spaceId: quebecSpace.id, role: 'reader', jurisdiction: 'QC' })]);
    expect(text).not.toContain('personne.externe');
    // The invitation Hugo sent to her address is hers to see.
    expect(workspace.invitationsReceived).toEqual([expect.objectContaining({ spaceId: hugoSpaceId, role: 'reader', jurisdiction: 'FR' })]);

    // Her comment (anyone else she mentioned unnamed), her reaction, the share link she made — never the link itself.
    expect(workspace.comments).toEqual([
      expect.objectContaining({ id: camilleCommentId, documentId: WELCOME_ID, spaceId: quebecSpace.id, jurisdiction: 'QC', text: 'Relire 8686 avec @(autre personne / another person)', deletedAt: null }),
    ]);
    expect(workspace.commentReactions).toEqual([expect.objectContaining({ commentId: camilleCommentId, emoji: '👀', jurisdiction: 'QC' })]);
    expect(workspace.shareLinks).toEqual([
      expect.objectContaining({ id: camilleLink.id, documentId: WELCOME_ID, jurisdiction: 'QC', role: 'reader', reach: 'authenticated', revokedAt: null }),
    ]);
    expect(text).not.toContain(camilleLink.token);
    expect(text).not.toContain('Réponse de Hugo 9191');

    const actions = auditEvents.events.map((e) => `${e.store} ${e.action} ${e.actor}`);
    expect(actions).toContain('FR session.created self');
    expect(actions).toContain('FR workspace.document.created self');
    expect(actions).toContain('FR token.created self');
    expect(actions).toContain('QC workspace.member.invited self');
    expect(auditEvents.truncated).toBe(false);
    const created = auditEvents.events.find((e) => e.action === 'session.created' && e.resourceId === camilleSession.sessionId);
    expect(created?.ip).toBe('203.0.113.7');

    // The assistant: her conversation, sealed at rest in the Québec cell, read back whole; her AI usage lines (never text).
    const conversation = body.assistant.conversations.find((c) => c.id === camilleConversationId);
    expect(conversation).toMatchObject({ spaceId: quebecSpace.id, jurisdiction: 'QC', title: 'Question de Camille 3131' });
    expect(conversation?.messages.map((m) => [m.role, m.content, m.mode])).toEqual([
      ['user', 'Quels sont les niveaux eIDAS 3131 ?', null],
      ['assistant', 'Passages trouvés 3131', 'extractive'],
    ]);
    expect(body.assistant.aiUsage).toEqual({
      truncated: false,
      requests: [expect.objectContaining({ id: camilleUsageId, model: 'entente-small', promptTokens: 12, completionTokens: 34, durationMs: 56, ttftMs: 7, status: 200 })],
    });
    expect(body.assistant.aiContentLog).toEqual([]);
  });

  it('never holds another agent’s data', async () => {
    const { text } = await exportOf({ cookie: camilleSession.cookie });
    for (const foreign of [
      hugo.id,
      hugo.email,
      'Bernard',
      'Secret de Hugo 7777',
      'Jeton de Hugo',
      hugoToken.slice(0, 12),
      '198.51.100.23',
      'Navigateur-de-Hugo',
      hugoSession.sessionId,
      emilie.id,
      emilie.email,
      olivier.id,
    ]) {
      expect(text, foreign).not.toContain(foreign);
    }
    // And the other way round: Hugo's export has nothing of Camille's.
    const { text: hugos } = await exportOf({ cookie: hugoSession.cookie });
    for (const foreign of [camille.id, camille.email, 'Note de Camille 4242', 'Jeton export', '203.0.113.7', 'Navigateur-de-Camille', camilleSession.sessionId, camilleConversationId, 'eIDAS 3131', camilleUsageId]) {
      expect(hugos, foreign).not.toContain(foreign);
    }
    expect(hugos).toContain('Secret de Hugo 7777');
    // His reply, and the link he opened (Camille's link, by id only).
    const hugosExport = JSON.parse(hugos) as PersonalDataExport;
    expect(hugosExport.workspace.comments.map((c) => c.text)).toEqual(['Réponse de Hugo 9191']);
    expect(hugosExport.workspace.shareLinksOpened).toEqual([expect.objectContaining({ linkId: camilleLink.id, documentId: WELCOME_ID, spaceId: quebecSpace.id })]);
    expect(hugosExport.workspace.shareLinks).toEqual([]);
  });

  it('names nobody else in the audit events: their ids and addresses are left out', async () => {
    // Camille acted on Hugo; Hugo acted on Camille's account (as an administrator would).
    await t.entente.audit.record({
      action: 'test.acted_on_someone',
      outcome: 'success',
      actorId: camille.id,
      jurisdiction: 'FR',
      resource: { type: 'principal', id: hugo.id },
      ip: '203.0.113.7',
      details: { principalId: hugo.id, spaceId: frenchSpace.id },
    });
    await t.entente.audit.record({
      action: 'test.account_changed_by_someone',
      outcome: 'success',
      actorId: hugo.id,
      jurisdiction: 'QC',
      resource: { type: 'principal', id: camille.id },
      ip: '198.51.100.23',
      details: { by: hugo.id.toUpperCase(), role: 'admin' },
    });
    const { body, text } = await exportOf({ cookie: camilleSession.cookie });
    const mine = body.auditEvents.events.find((e) => e.action === 'test.acted_on_someone');
    expect(mine).toMatchObject({ actor: 'self', ip: '203.0.113.7', resourceId: OTHER_PERSON, details: { principalId: OTHER_PERSON, spaceId: frenchSpace.id } });
    const theirs = body.auditEvents.events.find((e) => e.action === 'test.account_changed_by_someone');
    expect(theirs).toMatchObject({ store: 'QC', actor: 'other', ip: null, resourceId: camille.id, details: { by: OTHER_PERSON, role: 'admin' } });
    expect(text.toLowerCase()).not.toContain(hugo.id.toLowerCase());
    expect(text).not.toContain('198.51.100.23');
  });

  it('reads a Québec agent from the Québec cell', async () => {
    const session = await t.signIn(emilie, { ip: '192.0.2.44', userAgent: 'Navigateur-Emilie/2' });
    const { response, body } = await exportOf({ cookie: session.cookie });
    expect(response.status).toBe(200);
    expect(body.subject.homeJurisdiction).toBe('QC');
    expect(body.identity.profile).toMatchObject({ email: emilie.email, preferredLanguage: 'fr-CA' });
    expect(body.identity.sessions.find((s) => s.id === session.sessionId)).toMatchObject({ ip: '192.0.2.44' });
    expect(body.auditEvents.events.some((e) => e.store === 'QC' && e.action === 'session.created' && e.actor === 'self')).toBe(true);
  });

  it('works with a token that has api:read, not with one that has only ai', async () => {
    const { response, body } = await exportOf({ authorization: `Bearer ${camilleToken}` });
    expect(response.status).toBe(200);
    expect(body.subject.principalId).toBe(camille.id);
    const ai = (await post(camilleSession, '/api/me/tokens', { label: 'IA seule', scopes: ['ai'], expiresInDays: 1 })).token as string;
    const refused = await fetch(url('/api/me/export'), { headers: { authorization: `Bearer ${ai}` } });
    expect(refused.status).toBe(403);
  });

  it('is audited in the agent’s home cell, with how it was asked', async () => {
    const events = await t.entente.audit.list({ jurisdiction: 'FR', actorId: camille.id, action: 'identity.personal_data.exported', limit: 50 });
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.map((e) => e.details.via).sort()).toEqual(expect.arrayContaining(['session', 'token']));
    expect(events[0]).toMatchObject({ outcome: 'success', resource_type: 'principal', resource_id: camille.id });
  });

  it('is rate limited per agent (429 with Retry-After), not per address', async () => {
    const session = await t.signIn(olivier);
    for (let i = 0; i < 5; i++) expect((await fetch(url('/api/me/export'), { headers: { cookie: session.cookie } })).status).toBe(200);
    const limited = await fetch(url('/api/me/export'), { headers: { cookie: session.cookie } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { type: string }).type).toBe('urn:entente:problem:rate-limited');
    // Another agent from the same address still gets theirs.
    expect((await fetch(url('/api/me/export'), { headers: { cookie: hugoSession.cookie } })).status).toBe(200);
  });

  it('says when the audit history was cut to the most recent events', async () => {
    const deps = { stores: t.entente.stores, audit: t.entente.audit, workspace: workspacePersonalData(t.entente.stores), maxAuditEvents: 2 };
    const actor = {
      principalId: camille.id,
      homeJurisdiction: 'FR' as const,
      sessionId: camilleSession.sessionId,
      assuranceLevel: null,
      upstream: null,
      memberships: new Map(),
      platformRoles: new Set<never>(),
      via: 'session' as const,
      scopes: null,
    };
    const data = await exportPersonalData(deps, actor, { ip: null, requestId: 'test' });
    expect(data.auditEvents.truncated).toBe(true);
    expect(data.auditEvents.events).toHaveLength(2);
    // The most recent first.
    expect(data.auditEvents.events[0]!.occurredAt >= data.auditEvents.events[1]!.occurredAt).toBe(true);
  });
});
