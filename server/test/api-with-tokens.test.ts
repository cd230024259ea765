import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { until } from './collab-support.ts';
import { storedAnchorOf } from './support/anchors.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Issue 5, « API »: an agent scripts their work on spaces and documents with a personal access token
 * only — no cookie, no CSRF token, no Origin — through the REST API described in the OpenAPI
 * document. `api:write` does every step; `api:read` reads and is refused each change (403, a
 * problem); a revoked or expired token is 401; no token, whatever its scopes, makes administrative
 * changes (docs/identity.md, identity/roles.ts `requireSession`). Real server, PGlite or PostgreSQL.
 */
type Agent = (typeof DEMO_AGENTS)[number];
const [camille, hugo] = DEMO_AGENTS as [Agent, Agent];
let t: TestApp;
const sessions = new Map<string, TestSession>();
// biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
type Loose = Record<string, any>;
type Answer = { status: number; type: string | null; body: Loose; bytes: Buffer };

let write: string; // Camille's api:write token: the script's
let read: string; // Camille's api:read token
let hugoWrite: string; // Hugo's api:write token: a second script, to comment and notify

async function call(auth: { token: string } | { session: Agent } | null, method: string, url: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> =
    auth && 'token' in auth ? { authorization: `Bearer ${auth.token}` } : auth ? { ...sessions.get(auth.session.id)?.headers } : {};
  if (body !== undefined && !(body instanceof Uint8Array)) headers['content-type'] = 'application/json';
  if (body instanceof Uint8Array) headers['content-type'] = 'application/octet-stream';
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type');
  const json = type?.includes('json') && bytes.length > 0 ? (JSON.parse(bytes.toString('utf8')) as Loose) : {};
  return { status: response.status, type, body: json, bytes };
}
const as = (token: string) => ({ token });

async function mint(agent: Agent, scopes: string[], label = `Script ${scopes.join(' ')}`) {
  const made = await call({ session: agent }, 'POST', '/api/me/tokens', { label, scopes, expiresInDays: 7 });
  expect(made.status).toBe(201);
  return made.body as { id: string; token: string };
}

/** What a refusal must look like: an RFC 9457 problem with a stable type. */
function expectProblem(answer: Answer, status: number, type: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.type).toContain('application/problem+json');
  expect(answer.body).toMatchObject({ type: `urn:entente:problem:${type}`, status });
  expect(typeof answer.body.title).toBe('string');
}

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of [camille, hugo]) {
    sessions.set(agent.id, await t.signIn(agent));
    // A verified address makes an invitation a membership at once.
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
  // The only browser step: making the tokens (a token cannot mint tokens).
  write = (await mint(camille, ['api:write'])).token;
  read = (await mint(camille, ['api:read'])).token;
  hugoWrite = (await mint(hugo, ['api:write'])).token;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** Every operation the script uses, as the OpenAPI document must describe it. */
const OPERATIONS: [string, string][] = [
  ['get', '/api/spaces'],
  ['post', '/api/spaces'],
  ['get', '/api/spaces/{spaceId}'],
  ['patch', '/api/spaces/{spaceId}'],
  ['delete', '/api/spaces/{spaceId}'],
  ['get', '/api/spaces/{spaceId}/members'],
  ['post', '/api/spaces/{spaceId}/invitations'],
  ['delete', '/api/spaces/{spaceId}/invitations/{invitationId}'],
  ['put', '/api/spaces/{spaceId}/members/{principalId}'],
  ['delete', '/api/spaces/{spaceId}/members/{principalId}'],
  ['get', '/api/spaces/{spaceId}/documents'],
  ['post', '/api/spaces/{spaceId}/documents'],
  ['get', '/api/documents/{documentId}'],
  ['patch', '/api/documents/{documentId}'],
  ['delete', '/api/documents/{documentId}'],
  ['post', '/api/documents/{documentId}/duplicate'],
  ['post', '/api/documents/{documentId}/trash'],
  ['post', '/api/documents/{documentId}/restore'],
  ['get', '/api/documents/{documentId}/access'],
  ['put', '/api/documents/{documentId}/access'],
  ['get', '/api/documents/{documentId}/content'],
  ['get', '/api/documents/{documentId}/versions'],
  ['post', '/api/documents/{documentId}/versions'],
  ['get', '/api/documents/{documentId}/versions/{versionId}'],
  ['get', '/api/documents/{documentId}/versions/{versionId}/diff'],
  ['post', '/api/documents/{documentId}/versions/{versionId}/restore'],
  ['post', '/api/spaces/{spaceId}/imports'],
  ['get', '/api/imports/{importId}'],
  ['get', '/api/search'],
  ['get', '/api/documents/{documentId}/export'],
  ['get', '/api/spaces/{spaceId}/export'],
  ['get', '/api/documents/{documentId}/comments'],
  ['post', '/api/documents/{documentId}/comments'],
  ['post', '/api/documents/{documentId}/comment-threads/{threadId}/replies'],
  ['get', '/api/notifications'],
  ['get', '/api/notifications/unread-count'],
  ['post', '/api/notifications/{id}/read'],
  ['post', '/api/notifications/read-all'],
];

describe('a script with a personal access token (api:write), no cookie and no CSRF', () => {
  it('creates a space and a tree of documents, reads, renames, moves, imports, searches, exports, comments, is notified, deletes', async () => {
    const w = as(write);
    const r = as(read);

    // A space, then a tree: Guide › Chapitre 1 › Section 1.1, and Annexes at the root.
    const space = await call(w, 'POST', '/api/spaces', { name: 'Scripts « API »', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
    expect(space.status, JSON.stringify(space.body)).toBe(201);
    expect(space.body.role).toBe('owner');
    const spaceId = space.body.id as string;
    const doc = async (title: string, parentId?: string) => {
      const made = await call(w, 'POST', `/api/spaces/${spaceId}/documents`, { title, ...(parentId ? { parentId } : {}) });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body.parentId).toBe(parentId ?? null);
      return made.body.id as string;
    };
    const guide = await doc('Guide');
    const chapter = await doc('Chapitre 1', guide);
    const section = await doc('Section 1.1', chapter);
    const annexes = await doc('Annexes');

    // Lists: the space among the agent's (api:read suffices), and its documents as a tree.
    expect(((await call(r, 'GET', '/api/spaces')).body.spaces as Loose[]).map((s) => s.id)).toContain(spaceId);
    expect((await call(r, 'GET', `/api/spaces/${spaceId}`)).body).toMatchObject({ id: spaceId, name: 'Scripts « API »', role: 'owner' });
    const tree = async () => {
      const listed = await call(r, 'GET', `/api/spaces/${spaceId}/documents`);
      expect(listed.status).toBe(200);
      const byParent = new Map<string | null, string[]>();
      for (const d of listed.body.documents as Loose[]) byParent.set(d.parentId, [...(byParent.get(d.parentId) ?? []), d.title]);
      const build = (parent: string | null): Loose =>
        Object.fromEntries(
          (listed.body.documents as Loose[])
            .filter((d) => d.parentId === parent)
            .sort((a, b) => a.position - b.position)
            .map((d) => [d.title, build(d.id)]),
        );
      return build(null);
    };
    expect(await tree()).toEqual({ Guide: { 'Chapitre 1': { 'Section 1.1': {} } }, Annexes: {} });

    // Rename the space and a document; move the section under Annexes.
    const renamedSpace = await call(w, 'PATCH', `/api/spaces/${spaceId}`, { name: 'Scripts « API » (2026)', description: 'Par jeton' });
    expect(renamedSpace.status).toBe(200);
    expect(renamedSpace.body.name).toBe('Scripts « API » (2026)');
    const renamed = await call(w, 'PATCH', `/api/documents/${chapter}`, { title: 'Chapitre premier' });
    expect(renamed.status).toBe(200);
    const moved = await call(w, 'PATCH', `/api/documents/${section}`, { parentId: annexes, position: 0 });
    expect(moved.status).toBe(200);
    expect(moved.body.parentId).toBe(annexes);
    expect(await tree()).toEqual({ Guide: { 'Chapitre premier': {} }, Annexes: { 'Section 1.1': {} } });
    const detail = await call(r, 'GET', `/api/documents/${chapter}`);
    expect(detail.body).toMatchObject({ id: chapter, title: 'Chapitre premier', parentId: guide, spaceId, jurisdiction: 'FR' });

    // Members: invite Hugo as a commenter (his address is verified: a member at once), and a
    // pending invitation that the script then withdraws.
    const invited = await call(w, 'POST', `/api/spaces/${spaceId}/invitations`, { email: hugo.email, role: 'commenter' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    expect(invited.body.member?.role).toBe('commenter');
    const pending = await call(w, 'POST', `/api/spaces/${spaceId}/invitations`, { email: 'personne@numerique.demo-gouv-fr.test', role: 'reader' });
    expect(pending.status).toBe(201);
    const members = await call(r, 'GET', `/api/spaces/${spaceId}/members`);
    expect((members.body.members as Loose[]).map((m) => [m.principalId, m.role]).sort()).toEqual([[camille.id, 'owner'], [hugo.id, 'commenter']].sort());
    expect((members.body.invitations as Loose[]).map((i) => i.email)).toEqual(['personne@numerique.demo-gouv-fr.test']);
    expect((await call(w, 'DELETE', `/api/spaces/${spaceId}/invitations/${pending.body.invitation.id}`)).status).toBe(204);

    // Content arrives by import (the API's way to write text without a live editor), under Guide.
    const markdown = new TextEncoder().encode('# Procédure de dépôt\n\nLe formulaire ornithorynque se dépose en ligne.\n\n## Pièces à fournir\n\n- Justificatif\n');
    const started = await call(w, 'POST', `/api/spaces/${spaceId}/imports?${new URLSearchParams({ name: 'Procédure.md', parentId: guide })}`, markdown);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let imported: Loose = {};
    await until(async () => {
      imported = (await call(r, 'GET', `/api/imports/${started.body.id}`)).body;
      return imported.status === 'done' || imported.status === 'failed';
    }, 30_000, 'import finished', 100);
    expect(imported.status, JSON.stringify(imported)).toBe('done');
    const listed = (await call(r, 'GET', `/api/spaces/${spaceId}/documents`)).body.documents as Loose[];
    const procedure = listed.find((d) => d.parentId === guide && d.id !== chapter);
    expect(procedure, JSON.stringify(listed)).toBeDefined();
    const procedureId = procedure?.id as string;

    // Read the content back, as Markdown and as JSON.
    const asMarkdown = await call(r, 'GET', `/api/documents/${procedureId}/content?format=markdown`);
    expect(asMarkdown.status).toBe(200);
    expect(asMarkdown.body.content).toContain('# Procédure de dépôt');
    expect(asMarkdown.body.content).toContain('## Pièces à fournir');
    const asJson = await call(r, 'GET', `/api/documents/${procedureId}/content?format=json`);
    expect((asJson.body.content as Loose).content?.[0]).toMatchObject({ type: 'heading', attrs: { level: 1 } });

    // A named version, then the list of versions.
    const named = await call(w, 'POST', `/api/documents/${procedureId}/versions`, { name: 'Première diffusion' });
    expect(named.status, JSON.stringify(named.body)).toBe(201);
    expect(((await call(r, 'GET', `/api/documents/${procedureId}/versions`)).body.versions as Loose[]).map((v) => v.name)).toContain('Première diffusion');

    // Search finds the imported text (the index follows within seconds).
    await until(
      async () => {
        const found = await call(r, 'GET', `/api/search?${new URLSearchParams({ q: 'ornithorynque', space: spaceId })}`);
        expect(found.status).toBe(200);
        return (found.body.results as Loose[]).some((hit) => hit.documentId === procedureId);
      },
      20_000,
      'imported text indexed',
      300,
    );

    // Export: one document as ODT, the whole space as a zip with its tree.
    const odt = await call(r, 'GET', `/api/documents/${procedureId}/export?format=odt`);
    expect(odt.status).toBe(200);
    expect(strFromU8(unzipSync(odt.bytes)['content.xml'] as Uint8Array)).toContain('Procédure de dépôt');
    const zip = await call(r, 'GET', `/api/spaces/${spaceId}/export?format=md`);
    expect(zip.status).toBe(200);
    expect(Object.keys(unzipSync(zip.bytes)).sort()).toEqual(
      [
        'Scripts « API » (2026)/Annexes.md',
        'Scripts « API » (2026)/Annexes/Section 1.1.md',
        'Scripts « API » (2026)/Guide.md',
        'Scripts « API » (2026)/Guide/Chapitre premier.md',
        `Scripts « API » (2026)/Guide/${procedure?.title}.md`,
      ].sort(),
    );

    // Hugo's own script opens a thread on the procedure: Camille, its creator, is told.
    const anchor = await storedAnchorOf(t.entente, { spaceId: spaceId, documentId: procedureId, jurisdiction: 'FR' }, 'ornithorynque');
    const thread = await call(as(hugoWrite), 'POST', `/api/documents/${procedureId}/comments`, { anchor, quote: 'ornithorynque', body: 'Quel formulaire ?' });
    expect(thread.status, JSON.stringify(thread.body)).toBe(201);
    const reply = await call(w, 'POST', `/api/documents/${procedureId}/comment-threads/${thread.body.thread.id}/replies`, { body: `<@${hugo.id}> le Cerfa 12345` });
    expect(reply.status).toBe(201);
    const threads = await call(r, 'GET', `/api/documents/${procedureId}/comments`);
    expect((threads.body.threads as Loose[])[0]?.comments.map((c: Loose) => c.body)).toEqual(['Quel formulaire ?', `<@${hugo.id}> le Cerfa 12345`]);

    // Notifications: Camille's script lists them (api:read) and marks one read (api:write).
    let mine: Loose[] = [];
    await until(
      async () => {
        mine = ((await call(r, 'GET', '/api/notifications')).body.notifications as Loose[]).filter((n) => n.documentId === procedureId);
        return mine.some((n) => n.kind === 'comment');
      },
      10_000,
      'Camille told of the thread',
      100,
    );
    const unread = (await call(r, 'GET', '/api/notifications/unread-count')).body.unreadCount as number;
    expect(unread).toBeGreaterThanOrEqual(1);
    const target = mine.find((n) => n.kind === 'comment') as Loose;
    expect((await call(w, 'POST', `/api/notifications/${target.id}/read`)).status).toBeLessThan(300);
    expect((await call(r, 'GET', '/api/notifications/unread-count')).body.unreadCount).toBe(unread - 1);
    expect((await call(as(hugoWrite), 'GET', '/api/notifications')).body.notifications.some((n: Loose) => n.documentId === procedureId)).toBe(true);

    // Deleting: a document goes to the trash, then for good; then the whole space.
    expect((await call(w, 'POST', `/api/documents/${annexes}/trash`)).status).toBe(200);
    expect((await call(w, 'DELETE', `/api/documents/${section}`)).status).toBe(204);
    expect((await call(r, 'GET', `/api/documents/${section}`)).status).toBe(404);
    // Deleting the space destroys its keys: never with a token, even api:write; in a session, yes.
    const refused = await call(w, 'DELETE', `/api/spaces/${spaceId}`, { confirmName: 'Scripts « API » (2026)' });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toMatch(/forbidden/);
    expect((await call(r, 'GET', `/api/spaces/${spaceId}`)).status).toBe(200);
    expect((await call({ session: camille }, 'DELETE', `/api/spaces/${spaceId}`, { confirmName: 'Scripts « API » (2026)' })).status).toBe(204);
    expect((await call(r, 'GET', `/api/spaces/${spaceId}`)).status).toBe(404);

    // The token's actions are audited as the agent's own.
    const events = await t.entente.stores.cells.FR.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id'])
      .where('action', 'in', ['workspace.space.created', 'workspace.document.created'])
      .where('actor_id', '=', camille.id)
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(5);
  });
});

describe('a read-only token (api:read)', () => {
  let spaceId: string;
  let documentId: string;
  beforeAll(async () => {
    spaceId = (await call(as(write), 'POST', '/api/spaces', { name: 'Lecture seule', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' })).body.id;
    documentId = (await call(as(write), 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Note' })).body.id;
  });

  it('reads, and each change is refused 403 with a problem; nothing changes', async () => {
    const r = as(read);
    expect((await call(r, 'GET', `/api/spaces/${spaceId}/documents`)).status).toBe(200);
    expect((await call(r, 'GET', `/api/documents/${documentId}`)).status).toBe(200);
    expect((await call(r, 'GET', `/api/documents/${documentId}/content?format=text`)).status).toBe(200);
    const changes: [string, string, unknown?][] = [
      ['POST', '/api/spaces', { name: 'Non', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' }],
      ['PATCH', `/api/spaces/${spaceId}`, { name: 'Non' }],
      ['POST', `/api/spaces/${spaceId}/documents`, { title: 'Non' }],
      ['PATCH', `/api/documents/${documentId}`, { title: 'Non' }],
      ['PATCH', `/api/documents/${documentId}`, { parentId: null, position: 3 }],
      ['POST', `/api/spaces/${spaceId}/invitations`, { email: hugo.email, role: 'reader' }],
      ['POST', `/api/documents/${documentId}/versions`, { name: 'Non' }],
      ['POST', `/api/spaces/${spaceId}/imports?name=x.md`, new TextEncoder().encode('# x')],
      ['POST', `/api/documents/${documentId}/comments`, { anchor: { start: 'AAAAAA', end: 'AAAAAA' }, quote: '', body: 'Non' }],
      ['POST', '/api/notifications/read-all'],
      ['POST', `/api/documents/${documentId}/trash`],
      ['DELETE', `/api/documents/${documentId}`],
      ['DELETE', `/api/spaces/${spaceId}`, { confirmName: 'Lecture seule' }],
    ];
    for (const [method, url, body] of changes) {
      const answer = await call(r, method, url, body);
      expectProblem(answer, 403, 'insufficient-scope');
    }
    expect((await call(r, 'GET', `/api/spaces/${spaceId}`)).body.name).toBe('Lecture seule');
    const documents = (await call(r, 'GET', `/api/spaces/${spaceId}/documents`)).body.documents as Loose[];
    expect(documents.map((d) => [d.title, d.trashedAt])).toEqual([['Note', null]]);
    expect((await call(r, 'GET', '/api/spaces')).body.spaces.filter((s: Loose) => s.name === 'Non')).toEqual([]);
  });

  it('a token for the AI gateway only (ai) reads nothing of the REST API', async () => {
    const ai = (await mint(camille, ['ai'], 'Passerelle')).token;
    expectProblem(await call(as(ai), 'GET', `/api/spaces/${spaceId}/documents`), 403, 'insufficient-scope');
  });
});

describe('a revoked or expired token', () => {
  it('is 401 with a problem, for reads and changes alike', async () => {
    const revoked = await mint(camille, ['api:write'], 'À révoquer');
    expect((await call(as(revoked.token), 'GET', '/api/spaces')).status).toBe(200);
    expect((await call({ session: camille }, 'DELETE', `/api/me/tokens/${revoked.id}`)).status).toBe(204);
    const expired = await mint(camille, ['api:write'], 'Expiré');
    expect((await call(as(expired.token), 'GET', '/api/spaces')).status).toBe(200);
    await t.entente.stores.control.db.updateTable('access_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expired.id).execute();
    for (const token of [revoked.token, expired.token]) {
      expectProblem(await call(as(token), 'GET', '/api/spaces'), 401, 'unauthenticated');
      expectProblem(await call(as(token), 'POST', '/api/spaces', { name: 'Non', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' }), 401, 'unauthenticated');
    }
    expect((await call(as(read), 'GET', '/api/spaces')).body.spaces.filter((s: Loose) => s.name === 'Non')).toEqual([]);
  });
});

describe('what no token may do, whatever its scopes', () => {
  it('administrative changes need a person at a screen: the same agent’s session may, its api:write token may not', async () => {
    const w = as(write);
    const organisationId = camille.organisationId;
    // The session creates a team (Camille administers her organisation): the control.
    const bySession = await call({ session: camille }, 'POST', `/api/organisations/${organisationId}/teams`, { name: 'Équipe par session' });
    expect(bySession.status, JSON.stringify(bySession.body)).toBe(201);
    expectProblem(await call(w, 'POST', `/api/organisations/${organisationId}/teams`, { name: 'Équipe par jeton' }), 403, 'forbidden');
    expectProblem(await call(w, 'PATCH', `/api/organisations/${organisationId}/teams/${bySession.body.id}`, { name: 'Renommée' }), 403, 'forbidden');
    expectProblem(await call(w, 'PUT', `/api/organisations/${organisationId}/members/${camille.id}/roles`, { roles: ['member', 'admin', 'trainer'] }), 403, 'forbidden');
    expectProblem(await call(w, 'POST', `/api/admin/agents/${hugo.id}/disable`), 403, 'forbidden');
    expectProblem(await call(w, 'POST', '/api/me/tokens', { label: 'x', scopes: ['api:write'], expiresInDays: 365 }), 403, 'forbidden');
    // Nothing happened: no team by token, Hugo can still act, Camille's roles are unchanged.
    const teams = (await call({ session: camille }, 'GET', `/api/organisations/${organisationId}/teams`)).body.teams as Loose[];
    // Only the team made with a session (the demo's own teams are there too).
    expect(teams.map((team) => team.name).filter((name) => !name.endsWith('(démo)'))).toEqual(['Équipe par session']);
    expect((await call(as(hugoWrite), 'GET', '/api/spaces')).status).toBe(200);
    const me = (await call({ session: camille }, 'GET', `/api/organisations/${organisationId}/members`)).body.members as Loose[];
    expect(me.find((m) => m.principalId === camille.id)?.roles).toEqual(['member', 'admin']);
    // A live collaboration socket is a browser's: no ticket for a token.
    expect((await call(w, 'POST', '/api/collab/tickets', { documentId: '019ac9f0-0000-7000-8000-000000000000' })).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('describes every operation of the script, with its method and path, and says a token may call it', async () => {
    const spec = (await call(null, 'GET', '/api/openapi.json')).body;
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.components.securitySchemes.token).toMatchObject({ type: 'http', scheme: 'bearer' });
    const missing = OPERATIONS.filter(([method, path]) => !spec.paths?.[path]?.[method]);
    expect(missing).toEqual([]);
    for (const [method, path] of OPERATIONS) {
      const operation = spec.paths[path][method];
      expect(typeof operation.summary, `${method} ${path}`).toBe('string');
      // Spaces and documents say in the document itself that a bearer token is accepted.
      // Deleting a space is the exception: a session only (its keys are destroyed).
      if (method === 'delete' && path === '/api/spaces/{spaceId}') {
        expect(operation.security, `${method} ${path}`).not.toEqual(expect.arrayContaining([{ token: [] }]));
      } else {
        // Every other operation of the script ran with a token above: the document says so.
        expect(operation.security, `${method} ${path}`).toEqual(expect.arrayContaining([{ token: [] }]));
      }
    }
  });

  it('describes every /api route the server answers (but its own description and reference pages)', async () => {
    const spec = (await call(null, 'GET', '/api/openapi.json')).body;
    const described = new Set(Object.entries(spec.paths as Loose).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    // The routes as Fastify holds them (printRoutes' tree, flattened).
    const lines = t.entente.app.printRoutes({ commonPrefix: false }).split('\n');
    const stack: string[] = [];
    const undescribed: string[] = [];
    let walked = 0;
    for (const line of lines) {
      const match = /^([│ ]*)(?:├── |└── )(.*?) \(([^)]*)\)$/.exec(line);
      if (!match) continue;
      const depth = (match[1] as string).length / 4;
      stack.length = depth;
      stack.push(match[2] as string);
      const path = stack.join('').replace(/\/\//g, '/');
      if (!path.startsWith('/api/') || path === '/api/openapi.json' || path.startsWith('/api/docs')) continue;
      for (const method of (match[3] as string).split(', ')) {
        if (method === 'HEAD') continue;
        walked++;
        const key = `${method} ${path.replace(/:(\w+)/g, '{$1}')}`;
        if (!described.has(key)) undescribed.push(key);
      }
    }
    expect(undescribed).toEqual([]);
    // The walk did see the routes (a change of printRoutes' format must not make this pass empty).
    expect(walked).toBeGreaterThan(100);
  });
});
