import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * `POST /api/documents/:id/access/entries` (issue 5 review): one member added to a restricted
 * document's access list by an insert on the server — what the comments panel calls to share a
 * document with an agent it mentioned. Two grants at once both stay (the browser used to read the
 * list and PUT it back whole, and the later write erased the earlier one); the same owners-only
 * rule as the whole list's PUT; members only; idempotent; audited; in the OpenAPI document.
 */
let t: TestApp;
type Agent = (typeof DEMO_AGENTS)[number];
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [Agent, Agent, Agent, Agent];
const sessions = new Map<string, TestSession>();

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    // Invited by address, they join at once (their address is verified).
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
});
afterAll(async () => {
  await t?.close();
});

async function call(agent: Agent | null, method: string, url: string, body?: unknown) {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...(agent ? sessions.get(agent.id)?.headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

/** Camille's space (Hugo editor, Émilie commenter, Olivier reader — or only those given) and a document restricted to its owners. */
async function restrictedDocument(members: [Agent, string][] = [
  [hugo, 'editor'],
  [emilie, 'commenter'],
  [olivier, 'reader'],
]) {
  const created = await call(camille, 'POST', '/api/spaces', { name: `Accès ${Math.random().toString(36).slice(2, 8)}`, jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
  expect(created.status).toBe(201);
  for (const [agent, role] of members) {
    const invited = await call(camille, 'POST', `/api/spaces/${created.body.id}/invitations`, { email: agent.email, role });
    expect(invited.body.member?.role).toBe(role);
  }
  const doc = await call(camille, 'POST', `/api/spaces/${created.body.id}/documents`, { title: 'Note confidentielle' });
  expect(doc.status).toBe(201);
  const id = doc.body.id as string;
  expect((await call(camille, 'PUT', `/api/documents/${id}/access`, { restricted: true, entries: [] })).status).toBe(200);
  return id;
}

const grant = (agent: Agent, documentId: string, body: unknown) => call(agent, 'POST', `/api/documents/${documentId}/access/entries`, body);

describe('adding one entry to a restricted document’s access list', () => {
  it('keeps both of two grants made at once, and the agents then read the document', async () => {
    const id = await restrictedDocument();
    expect((await call(emilie, 'GET', `/api/documents/${id}`)).status).toBe(404);
    const [a, b] = await Promise.all([grant(camille, id, { principalId: emilie.id, role: 'commenter' }), grant(camille, id, { principalId: olivier.id })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const list = await call(camille, 'GET', `/api/documents/${id}/access`);
    expect(list.body.restricted).toBe(true);
    expect(new Map(list.body.entries.map((e: { principalId: string; role: string }) => [e.principalId, e.role]))).toEqual(
      new Map([
        [emilie.id, 'commenter'],
        // No role given: reader, the least.
        [olivier.id, 'reader'],
      ]),
    );
    expect((await call(emilie, 'GET', `/api/documents/${id}`)).body.role).toBe('commenter');
    expect((await call(olivier, 'GET', `/api/documents/${id}`)).body.role).toBe('reader');

    // Granting again changes nothing (the role listed stays) and records nothing.
    const again = await grant(camille, id, { principalId: emilie.id, role: 'editor' });
    expect(again.status).toBe(200);
    expect(again.body.added).toBe(false);
    expect(again.body.entries).toContainEqual({ principalId: emilie.id, role: 'commenter' });
    const events = await t.entente.stores.cells.FR.db
      .selectFrom('audit_events')
      .select(['actor_id', 'details'])
      .where('action', '=', 'workspace.document.access_granted')
      .where('resource_id', '=', id)
      .execute();
    expect(events.map((e) => [e.actor_id, (e.details as { principalId: string }).principalId]).sort()).toEqual(
      [
        [camille.id, emilie.id],
        [camille.id, olivier.id],
      ].sort(),
    );
  });

  it('is for the space’s owners only: an editor gets 403, a stranger 404, nobody signed out', async () => {
    const id = await restrictedDocument([
      [hugo, 'editor'],
      [emilie, 'commenter'],
    ]);
    // Hugo, editor of the space, reaches nothing of a document restricted to owners: 404.
    expect((await grant(hugo, id, { principalId: emilie.id })).status).toBe(404);
    await grant(camille, id, { principalId: hugo.id, role: 'editor' });
    // Listed now, still no owner: refused.
    expect((await grant(hugo, id, { principalId: emilie.id })).status).toBe(403);
    expect((await grant(olivier, id, { principalId: olivier.id })).status).toBe(404);
    expect((await grant(null as unknown as Agent, id, { principalId: emilie.id })).status).toBe(401);
    const list = await call(camille, 'GET', `/api/documents/${id}/access`);
    expect(list.body.entries.map((e: { principalId: string }) => e.principalId)).toEqual([hugo.id]);
  });

  it('refuses unknown agents and non-members, malformed bodies, and a document that is not restricted', async () => {
    const id = await restrictedDocument([[hugo, 'editor']]);
    for (const principalId of ['019ac9f0-0000-7000-8000-00000000dead', olivier.id]) {
      const refused = await grant(camille, id, { principalId });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'body.principalId', code: 'invalid_value' })]);
    }
    for (const body of [{}, { principalId: 'hugo' }, { principalId: hugo.id, role: 'boss' }, { principalId: hugo.id, restricted: false }]) {
      expect((await grant(camille, id, body)).status).toBe(400);
    }
    expect((await call(camille, 'GET', `/api/documents/${id}/access`)).body.entries).toEqual([]);

    expect((await call(camille, 'PUT', `/api/documents/${id}/access`, { restricted: false, entries: [] })).status).toBe(200);
    const open = await grant(camille, id, { principalId: hugo.id });
    expect(open.status).toBe(409);
    expect(open.body.reason).toBe('not_restricted');
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, { post?: unknown }> };
    expect(spec.paths['/api/documents/{documentId}/access/entries']?.post).toBeDefined();
  });
});
