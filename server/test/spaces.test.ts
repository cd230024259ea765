import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { reconcileOutbox } from '../src/platform/jobs/index.ts';
import { createSpace } from '../src/workspace/spaces/spaces.ts';
import type { WorkspaceDeps } from '../src/workspace/spaces/deps.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Spaces and members through the real server: residency (a space's rows in its cell only), the
 * merge of both cells in the list, non-members learning nothing, owners-only changes, the last
 * owner, the audit, hostile input, and the outbox repairing a creation cut in half.
 */
let t: TestApp;
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    // As after a sign-in through their federation: their address is vouched for (invitations add them at once).
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
});
afterAll(async () => {
  await t?.close();
});

async function api(agent: { id: string } | null, method: string, path: string, body?: unknown) {
  const session = agent ? sessions.get(agent.id) : undefined;
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: { ...(session?.headers ?? {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

const newSpace = (jurisdiction: 'FR' | 'QC', name = `Espace ${jurisdiction} ${Math.random().toString(36).slice(2, 8)}`) => ({
  name,
  description: 'Groupe de travail',
  jurisdiction,
  minAssurance: 'low',
  classification: 'internal',
});

describe('spaces', () => {
  it('writes a Québec space in the Québec cell only, and lists spaces of both cells', async () => {
    const name = `Groupe QC ${Date.now()}`;
    const created = await api(camille, 'POST', '/api/spaces', newSpace('QC', name));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, jurisdiction: 'QC', role: 'owner', minAssurance: 'low', classification: 'internal' });
    const id = created.body.id as string;

    const { stores } = t.entente;
    expect(await stores.cells.QC.db.selectFrom('spaces').select('name').where('id', '=', id).executeTakeFirst()).toEqual({ name });
    expect(await stores.cells.FR.db.selectFrom('spaces').select('id').where('name', '=', name).executeTakeFirst()).toBeUndefined();
    // The control plane routes and authorises, and holds no name.
    expect(await stores.control.db.selectFrom('space_directory').select('jurisdiction').where('id', '=', id).executeTakeFirst()).toEqual({ jurisdiction: 'QC' });
    expect(await stores.control.db.selectFrom('space_members').select(['principal_id', 'role']).where('space_id', '=', id).execute()).toEqual([
      { principal_id: camille.id, role: 'owner' },
    ]);

    const fr = await api(camille, 'POST', '/api/spaces', newSpace('FR'));
    expect(fr.status).toBe(201);
    expect(await stores.cells.QC.db.selectFrom('spaces').select('id').where('id', '=', fr.body.id).executeTakeFirst()).toBeUndefined();

    const list = await api(camille, 'GET', '/api/spaces');
    expect(list.status).toBe(200);
    const ids = (list.body.spaces as { id: string; jurisdiction: string }[]).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([id, fr.body.id]));
    // Someone else does not see them.
    const theirs = await api(olivier, 'GET', '/api/spaces');
    expect((theirs.body.spaces as { id: string }[]).map((s) => s.id)).not.toContain(id);
  });

  it('shows the demo spaces to the demo agents, with their roles', async () => {
    const list = await api(emilie, 'GET', '/api/spaces');
    const coop = (list.body.spaces as { name: string; role: string; jurisdiction: string }[]).find((s) => s.name === 'Coopération France–Québec');
    expect(coop).toMatchObject({ jurisdiction: 'QC', role: 'editor' });
    const docs = (await api(emilie, 'GET', `/api/spaces/${(coop as unknown as { id: string }).id}/documents`)).body.documents as { id: string; title: string }[];
    expect(docs.map((d) => d.title)).toEqual(expect.arrayContaining(['Bienvenue', 'Identité numérique et interopérabilité', 'Compétences numériques des agents']));
    expect(docs).toHaveLength(6);
    // Real content, written in the Québec cell through the document store.
    const welcome = docs.find((d) => d.title === 'Bienvenue') as { id: string };
    const derived = await t.entente.collab.store.derived({ documentId: welcome.id, spaceId: (coop as unknown as { id: string }).id, jurisdiction: 'QC' });
    expect(derived.markdown).toContain('## Premiers pas');
    expect(derived.text).toContain('Émilie Tremblay');
    const camilles = await api(camille, 'GET', '/api/spaces');
    expect((camilles.body.spaces as { name: string; role: string }[]).find((s) => s.name === 'Coopération France–Québec')?.role).toBe('owner');
  });

  it('answers 404 to a non-member for everything, as for a space that does not exist', async () => {
    const space = (await api(camille, 'POST', '/api/spaces', newSpace('FR'))).body.id as string;
    const doc = (await api(camille, 'POST', `/api/spaces/${space}/documents`, { title: 'Note' })).body.id as string;
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/spaces/${space}`],
      ['PATCH', `/api/spaces/${space}`, { name: 'Pris' }],
      ['GET', `/api/spaces/${space}/members`],
      ['POST', `/api/spaces/${space}/invitations`, { email: 'x@numerique.demo-gouv-fr.test', role: 'owner' }],
      ['PUT', `/api/spaces/${space}/members/${olivier.id}`, { role: 'owner' }],
      ['DELETE', `/api/spaces/${space}/members/${camille.id}`],
      ['GET', `/api/spaces/${space}/documents`],
      ['POST', `/api/spaces/${space}/documents`, { title: 'Intrus' }],
      ['GET', `/api/documents/${doc}`],
      ['PATCH', `/api/documents/${doc}`, { title: 'Intrus' }],
      ['POST', `/api/documents/${doc}/duplicate`],
      ['POST', `/api/documents/${doc}/trash`],
      ['DELETE', `/api/documents/${doc}`],
      ['GET', `/api/documents/${doc}/access`],
      ['PUT', `/api/documents/${doc}/access`, { restricted: false, entries: [] }],
    ];
    for (const [method, path, body] of probes) {
      const answer = await api(olivier, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.type).toContain('application/problem+json');
    }
    const unknown = await api(camille, 'GET', '/api/spaces/019ac9f0-0000-7000-8000-00000000beef');
    expect(unknown.status).toBe(404);
    // Nothing changed.
    expect((await api(camille, 'GET', `/api/documents/${doc}`)).body.title).toBe('Note');
    // Without a session: 401.
    expect((await api(null, 'GET', '/api/spaces')).status).toBe(401);
  });

  it('lets only owners change a space, and audits it in the space’s cell', async () => {
    const space = (await api(camille, 'POST', '/api/spaces', newSpace('QC'))).body.id as string;
    const invited = await api(camille, 'POST', `/api/spaces/${space}/invitations`, { email: emilie.email, role: 'editor' });
    expect(invited.status).toBe(201);
    expect(invited.body.member).toMatchObject({ principalId: emilie.id, role: 'editor', givenName: 'Émilie', familyName: 'Tremblay', jurisdiction: 'QC' });

    expect((await api(emilie, 'PATCH', `/api/spaces/${space}`, { name: 'Renommé par un rédacteur' })).status).toBe(403);
    const renamed = await api(camille, 'PATCH', `/api/spaces/${space}`, { name: 'Groupe renommé', minAssurance: 'substantial' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Groupe renommé', minAssurance: 'substantial' });

    const audit = await t.entente.audit.list({ jurisdiction: 'QC', resourceType: 'space', resourceId: space, limit: 20 });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['workspace.space.created', 'workspace.member.invited', 'workspace.member.added', 'workspace.space.updated']),
    );
    const frAudit = await t.entente.audit.list({ jurisdiction: 'FR', resourceType: 'space', resourceId: space, limit: 20 });
    expect(frAudit).toEqual([]);
  });

  it('names members from their home cells and shows invitations to owners only', async () => {
    const space = (await api(camille, 'POST', '/api/spaces', newSpace('FR'))).body.id as string;
    await api(camille, 'POST', `/api/spaces/${space}/invitations`, { email: olivier.email, role: 'reader' });
    await api(camille, 'POST', `/api/spaces/${space}/invitations`, { email: 'personne@mcn.demo-gouv-qc.test', role: 'commenter' });
    const asOwner = await api(camille, 'GET', `/api/spaces/${space}/members`);
    expect(asOwner.body.members).toEqual([
      { principalId: camille.id, givenName: 'Camille', familyName: 'Martin', jurisdiction: 'FR', role: 'owner' },
      { principalId: olivier.id, givenName: 'Olivier', familyName: 'Gagnon', jurisdiction: 'QC', role: 'reader' },
    ]);
    expect(asOwner.body.invitations).toEqual([expect.objectContaining({ email: 'personne@mcn.demo-gouv-qc.test', role: 'commenter' })]);
    const asReader = await api(olivier, 'GET', `/api/spaces/${space}/members`);
    expect(asReader.status).toBe(200);
    expect(asReader.body.invitations).toEqual([]);
    // Olivier's name is not copied into the French cell.
    const frProfiles = await t.entente.stores.cells.FR.db.selectFrom('agent_profiles').select('principal_id').where('principal_id', '=', olivier.id).execute();
    expect(frProfiles).toEqual([]);
  });

  it('protects the last owner, lets a member leave, and publishes membership changes', async () => {
    const space = (await api(camille, 'POST', '/api/spaces', newSpace('FR'))).body.id as string;
    await api(camille, 'POST', `/api/spaces/${space}/invitations`, { email: hugo.email, role: 'editor' });
    const seen: unknown[] = [];
    const stop = t.entente.events.subscribe('workspace.space.membership_changed', (payload) => {
      seen.push(payload);
    });
    try {
      const downgrade = await api(camille, 'PUT', `/api/spaces/${space}/members/${camille.id}`, { role: 'editor' });
      expect(downgrade.status).toBe(409);
      expect(downgrade.body.type).toBe('urn:entente:problem:last-owner');
      expect((await api(camille, 'DELETE', `/api/spaces/${space}/members/${camille.id}`)).status).toBe(409);
      // An editor cannot change roles, nor remove someone else.
      expect((await api(hugo, 'PUT', `/api/spaces/${space}/members/${hugo.id}`, { role: 'owner' })).status).toBe(403);
      expect((await api(hugo, 'DELETE', `/api/spaces/${space}/members/${camille.id}`)).status).toBe(403);

      expect((await api(camille, 'PUT', `/api/spaces/${space}/members/${hugo.id}`, { role: 'owner' })).status).toBe(200);
      expect((await api(camille, 'DELETE', `/api/spaces/${space}/members/${camille.id}`)).status).toBe(204);
      expect((await api(camille, 'GET', `/api/spaces/${space}`)).status).toBe(404);
      // Hugo, now the only owner, is protected in turn.
      expect((await api(hugo, 'DELETE', `/api/spaces/${space}/members/${hugo.id}`)).status).toBe(409);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toEqual(expect.arrayContaining([{ spaceId: space, principalId: hugo.id }, { spaceId: space, principalId: camille.id }]));
    } finally {
      stop();
    }
    const actions = (await t.entente.audit.list({ jurisdiction: 'FR', resourceType: 'space', resourceId: space, limit: 50 })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['workspace.member.role_changed', 'workspace.member.removed']));
  });

  it('refuses hostile input with a 4xx problem, never a 500', async () => {
    const cases: [string, string, unknown?][] = [
      ['POST', '/api/spaces', { ...newSpace('FR'), name: 'x'.repeat(201) }],
      ['POST', '/api/spaces', { ...newSpace('FR'), name: '   ' }],
      ['POST', '/api/spaces', { ...newSpace('FR'), description: 'x'.repeat(2001) }],
      ['POST', '/api/spaces', { ...newSpace('FR'), jurisdiction: 'US' }],
      ['POST', '/api/spaces', { ...newSpace('FR'), isAdmin: true }],
      ['POST', '/api/spaces', { ...newSpace('FR'), minAssurance: 'ultimate' }],
      ['POST', '/api/spaces', ['not', 'an', 'object']],
      ['GET', '/api/spaces/not-a-uuid'],
      ['GET', "/api/spaces/1' or '1'='1"],
      ['POST', '/api/spaces/019ac9f0-0000-7000-8000-0000000e0001/invitations', { email: 'not an address', role: 'owner' }],
      ['POST', '/api/spaces/019ac9f0-0000-7000-8000-0000000e0001/invitations', { email: 'a@b.test', role: 'god' }],
      ['PUT', `/api/spaces/019ac9f0-0000-7000-8000-0000000e0001/members/${hugo.id}`, { role: 'owner', extra: 1 }],
    ];
    for (const [method, path, body] of cases) {
      const answer = await api(camille, method, path, body);
      expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${method} ${path}`).toBeLessThan(500);
      expect(answer.type, `${method} ${path}`).toContain('application/problem+json');
      expect(answer.body.type).toMatch(/^urn:entente:problem:/);
    }
    const oversized = await api(camille, 'POST', '/api/spaces', { ...newSpace('FR'), name: 'x'.repeat(201) });
    expect(oversized.body.type).toBe('urn:entente:problem:validation');
    // Without the CSRF token a change is refused.
    const session = sessions.get(camille.id) as TestSession;
    const noCsrf = await fetch(`${t.baseUrl}/api/spaces`, {
      method: 'POST',
      headers: { cookie: session.cookie, origin: t.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify(newSpace('FR')),
    });
    expect(noCsrf.status).toBe(403);
  });

  it('repairs a creation cut between the cell and the control plane (outbox reconciliation)', async () => {
    const e = t.entente;
    const deps: WorkspaceDeps = {
      stores: e.stores,
      audit: e.audit,
      events: e.events,
      outbox: e.outbox,
      mailer: e.mailer,
      secret: e.secret,
      publicUrl: () => e.config.publicUrl,
      federatedDomains: () => [],
      logger: e.logger,
    };
    const actor = { principalId: hugo.id, homeJurisdiction: 'FR' as const, sessionId: 'x', assuranceLevel: null, upstream: null, memberships: new Map(), platformRoles: new Set<never>(), via: 'session' as const, scopes: null };
    const name = `Coupé ${Date.now()}`;
    await expect(createSpace(deps, actor, newSpace('QC', name) as never, { ip: null, requestId: 'test' }, { crashAfterCellWrite: true })).rejects.toThrow();
    const row = await e.stores.cells.QC.db.selectFrom('spaces').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    expect(await e.stores.control.db.selectFrom('space_directory').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();
    expect((await api(hugo, 'GET', '/api/spaces')).body.spaces.map((s: { id: string }) => s.id)).not.toContain(row.id);

    await reconcileOutbox({ FR: e.stores.cells.FR.db, QC: e.stores.cells.QC.db }, e.outbox, { logger: e.logger, graceMs: 0 });
    const listed = await api(hugo, 'GET', '/api/spaces');
    expect(listed.body.spaces).toEqual(expect.arrayContaining([expect.objectContaining({ id: row.id, name, role: 'owner', jurisdiction: 'QC' })]));
  });
});
