import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { registerOrganisation } from '../src/identity/organisations.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import type { Actor } from '../src/identity/actor.ts';
import { removeMember } from '../src/identity/leaving.ts';
import { setMemberRoles } from '../src/identity/roles.ts';
import { teamMembers, teamsManagedBy } from '../src/identity/teams.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/** Organisation roles and teams over HTTP, as administrators, members, operators and intruders. */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const FR_MAIN = DEMO_ORGANISATIONS[0].id; // Camille: admin (and operator)
const FR_DSNE = DEMO_ORGANISATIONS[1].id; // Hugo: member, no admin
const QC = DEMO_ORGANISATIONS[2].id; // Émilie: admin; Olivier: member

let t: TestApp;
const s: Record<string, TestSession> = {};
beforeAll(async () => {
  t = await startTestApp();
  s.camille = await t.signIn(camille);
  s.hugo = await t.signIn(hugo);
  s.emilie = await t.signIn(emilie);
  s.olivier = await t.signIn(olivier);
});
afterAll(async () => t?.close());

async function call(session: TestSession | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = session ? { ...session.headers } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, the assertions check them
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
}
const roles = (session: TestSession, org: string, principalId: string, list: unknown) =>
  call(session, 'PUT', `/api/organisations/${org}/members/${principalId}/roles`, { roles: list });
const auditRows = (action: string) =>
  t.entente.audit.list({ action, limit: 50 });

describe('members of an organisation', () => {
  it('members read names and roles (from the home cell); only administrators see emails', async () => {
    const asMember = await call(s.olivier!, 'GET', `/api/organisations/${QC}/members`);
    expect(asMember.status).toBe(200);
    const emilieSeen = asMember.body.members.find((m: { principalId: string }) => m.principalId === emilie.id);
    expect(emilieSeen).toMatchObject({ givenName: 'Émilie', familyName: 'Tremblay', roles: ['member', 'admin'], email: null, status: 'active' });
    const asAdmin = await call(s.emilie!, 'GET', `/api/organisations/${QC}/members`);
    expect(asAdmin.body.members.find((m: { principalId: string }) => m.principalId === olivier.id).email).toBe(olivier.email);
  });

  it('refuses someone outside the organisation, and anonymous requests', async () => {
    expect((await call(s.hugo!, 'GET', `/api/organisations/${QC}/members`)).status).toBe(403);
    expect((await call(null, 'GET', `/api/organisations/${QC}/members`)).status).toBe(401);
    expect((await call(s.hugo!, 'GET', '/api/organisations/not-a-uuid/members')).status).toBe(400);
  });
});

describe('granting and removing roles', () => {
  it('a member cannot grant anything', async () => {
    const response = await roles(s.olivier!, QC, olivier.id, ['member', 'trainer']);
    expect(response.status).toBe(403);
    expect(response.body.type).toBe('urn:entente:problem:forbidden');
  });

  it('an administrator grants trainer and manager, audited with organisation, target and actor', async () => {
    const response = await roles(s.emilie!, QC, olivier.id, ['member', 'trainer', 'manager']);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ principalId: olivier.id, roles: ['member', 'trainer', 'manager'], givenName: 'Olivier' });
    // The agent's own session sees the new roles at once.
    const me = await call(s.olivier!, 'GET', '/api/me');
    expect(me.body.organisations.find((o: { id: string }) => o.id === QC).roles).toEqual(['member', 'trainer', 'manager']);
    const granted = (await auditRows('role.granted')).filter((e) => e.resource_id === olivier.id && e.organisation_id === QC);
    expect(granted.map((e) => e.details.role).sort()).toEqual(['manager', 'trainer']);
    expect(granted[0]).toMatchObject({ actor_id: emilie.id, resource_type: 'principal', outcome: 'success' });
    const back = await roles(s.emilie!, QC, olivier.id, ['member', 'trainer']);
    expect(back.body.roles).toEqual(['member', 'trainer']);
    expect((await auditRows('role.removed')).some((e) => e.resource_id === olivier.id && e.details.role === 'manager')).toBe(true);
  });

  it('the administrator of one organisation cannot touch another’s members (IDOR)', async () => {
    expect((await roles(s.emilie!, FR_MAIN, camille.id, ['member'])).status).toBe(403);
    // Someone who is not a member of the organisation answers like an unknown id.
    expect((await roles(s.emilie!, QC, camille.id, ['member', 'trainer'])).status).toBe(404);
    expect((await roles(s.emilie!, QC, uuidv7(), ['member'])).status).toBe(404);
  });

  it('an operator grants organisation administrator (and only that), even outside their organisation', async () => {
    expect((await roles(s.camille!, FR_DSNE, hugo.id, ['member', 'trainer'])).status).toBe(403);
    const granted = await roles(s.camille!, FR_DSNE, hugo.id, ['member', 'admin']);
    expect(granted.status).toBe(200);
    expect(granted.body.roles).toEqual(['member', 'admin']);
    const audit = (await auditRows('role.granted')).find((e) => e.resource_id === hugo.id && e.organisation_id === FR_DSNE);
    expect(audit).toMatchObject({ actor_id: camille.id, details: { role: 'admin' } });
  });

  it('nobody removes the last administrator; an administrator appoints another, who may then remove them', async () => {
    const last = await roles(s.camille!, QC, emilie.id, ['member']);
    expect(last.status).toBe(409);
    expect(last.body.type).toBe('urn:entente:problem:last-admin');
    expect(last.body.title).toBe('Dernier administrateur');
    // An administrator does not change their own admin role (another one does).
    expect((await roles(s.emilie!, QC, emilie.id, ['member'])).status).toBe(403);
    expect((await roles(s.emilie!, QC, olivier.id, ['member', 'admin', 'trainer'])).status).toBe(200);
    expect((await roles(s.olivier!, QC, emilie.id, ['member'])).status).toBe(200);
    const now = await call(s.emilie!, 'GET', `/api/organisations/${QC}/members`);
    expect(now.body.members.find((m: { principalId: string }) => m.principalId === emilie.id).roles).toEqual(['member']);
    expect((await roles(s.olivier!, QC, olivier.id, ['member'])).status).toBe(403);
    expect((await roles(s.camille!, QC, olivier.id, ['member', 'trainer'])).status).toBe(409);
    // Put things back for the next tests.
    expect((await roles(s.olivier!, QC, emilie.id, ['member', 'admin'])).status).toBe(200);
  });

  it('rejects unknown roles, a list without member, extra fields and prototype pollution', async () => {
    for (const body of [
      { roles: ['member', 'superadmin'] },
      { roles: ['member', 'operator'] },
      { roles: [] },
      { roles: 'admin' },
      { roles: ['member'], principalId: camille.id },
      { roles: ['member'], organisationId: FR_MAIN },
    ]) {
      const response = await call(s.emilie!, 'PUT', `/api/organisations/${QC}/members/${olivier.id}/roles`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const noMember = await roles(s.emilie!, QC, olivier.id, ['trainer']);
    expect(noMember.status).toBe(400);
    expect(noMember.body.errors[0].path).toBe('body.roles');
    const polluted = await call(s.emilie!, 'PUT', `/api/organisations/${QC}/members/${olivier.id}/roles`, '{"roles":["member","admin"],"__proto__":{"polluted":true}}');
    expect(polluted.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a change without the CSRF token', async () => {
    const response = await fetch(`${t.baseUrl}/api/organisations/${QC}/members/${olivier.id}/roles`, {
      method: 'PUT',
      headers: { cookie: s.emilie!.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ roles: ['member'] }),
    });
    expect(response.status).toBe(403);
  });
});

describe('teams', () => {
  let teamId = '';
  it('an administrator creates a team; names are trimmed, required, at most 100 characters, unique whatever the case', async () => {
    const created = await call(s.emilie!, 'POST', `/api/organisations/${QC}/teams`, { name: '  Infonuagique  ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Infonuagique', members: [] });
    teamId = created.body.id;
    const duplicate = await call(s.emilie!, 'POST', `/api/organisations/${QC}/teams`, { name: 'INFONUAGIQUE' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.type).toBe('urn:entente:problem:team-name-taken');
    expect(duplicate.body.errors[0].path).toBe('body.name');
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const bad = await call(s.emilie!, 'POST', `/api/organisations/${QC}/teams`, { name });
      expect(bad.status, JSON.stringify(name)).toBe(400);
      expect(bad.body.errors[0].path).toBe('body.name');
    }
    expect((await call(s.emilie!, 'POST', `/api/organisations/${QC}/teams`, { name: 'IA', organisation_id: FR_MAIN })).status).toBe(400);
    // The same name in another organisation is fine.
    expect((await call(s.camille!, 'POST', `/api/organisations/${FR_MAIN}/teams`, { name: 'Infonuagique' })).status).toBe(201);
  });

  it('members read teams but cannot change them; other organisations cannot reach them', async () => {
    expect((await call(s.olivier!, 'GET', `/api/organisations/${QC}/teams`)).body.teams.map((x: { name: string }) => x.name)).toEqual(['Infonuagique']);
    expect((await call(s.hugo!, 'POST', `/api/organisations/${QC}/teams`, { name: 'Intrus' })).status).toBe(403);
    // Camille administers FR_MAIN, not QC: QC's team id under her own organisation is not found.
    expect((await call(s.camille!, 'PATCH', `/api/organisations/${FR_MAIN}/teams/${teamId}`, { name: 'Volée' })).status).toBe(404);
    expect((await call(s.camille!, 'DELETE', `/api/organisations/${FR_MAIN}/teams/${teamId}`)).status).toBe(404);
    expect((await call(s.camille!, 'PUT', `/api/organisations/${FR_MAIN}/teams/${teamId}/members/${camille.id}`, { role: 'member' })).status).toBe(404);
    // An operator who is not an administrator of the organisation does not manage its teams.
    expect((await call(s.camille!, 'POST', `/api/organisations/${QC}/teams`, { name: 'Opérateurs' })).status).toBe(403);
  });

  it('renames, with the same uniqueness rule', async () => {
    await call(s.emilie!, 'POST', `/api/organisations/${QC}/teams`, { name: 'Identité' });
    const clash = await call(s.emilie!, 'PATCH', `/api/organisations/${QC}/teams/${teamId}`, { name: 'identité' });
    expect(clash.status).toBe(409);
    const renamed = await call(s.emilie!, 'PATCH', `/api/organisations/${QC}/teams/${teamId}`, { name: 'Nuage souverain' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Nuage souverain');
  });

  it('adds members of the organisation (not others), sets a manager, and other modules can read it', async () => {
    const added = await call(s.emilie!, 'PUT', `/api/organisations/${QC}/teams/${teamId}/members/${olivier.id}`, { role: 'manager' });
    expect(added.status).toBe(200);
    expect(added.body.members).toEqual([{ principalId: olivier.id, role: 'manager' }]);
    expect((await call(s.emilie!, 'PUT', `/api/organisations/${QC}/teams/${teamId}/members/${emilie.id}`, { role: 'member' })).status).toBe(200);
    expect((await call(s.emilie!, 'PUT', `/api/organisations/${QC}/teams/${teamId}/members/${camille.id}`, { role: 'member' })).status).toBe(404);
    expect((await call(s.emilie!, 'PUT', `/api/organisations/${QC}/teams/${teamId}/members/${olivier.id}`, { role: 'owner' })).status).toBe(400);
    const members = await call(s.olivier!, 'GET', `/api/organisations/${QC}/members`);
    expect(members.body.members.find((m: { principalId: string }) => m.principalId === olivier.id).teams).toEqual([
      { id: teamId, name: 'Nuage souverain', role: 'manager' },
    ]);
    expect(await teamsManagedBy(t.entente.stores, olivier.id)).toEqual([{ id: teamId, organisationId: QC, name: 'Nuage souverain' }]);
    expect((await teamMembers(t.entente.stores, teamId))?.members).toEqual([
      { principalId: olivier.id, role: 'manager' },
      { principalId: emilie.id, role: 'member' },
    ]);
  });

  it('removes a member and deletes the team; every change is audited', async () => {
    expect((await call(s.emilie!, 'DELETE', `/api/organisations/${QC}/teams/${teamId}/members/${emilie.id}`)).status).toBe(204);
    expect((await call(s.emilie!, 'DELETE', `/api/organisations/${QC}/teams/${teamId}/members/${emilie.id}`)).status).toBe(404);
    expect((await call(s.emilie!, 'DELETE', `/api/organisations/${QC}/teams/${teamId}`)).status).toBe(204);
    expect((await call(s.emilie!, 'GET', `/api/organisations/${QC}/teams`)).body.teams.map((x: { name: string }) => x.name)).toEqual(['Identité']);
    expect(await teamsManagedBy(t.entente.stores, olivier.id)).toEqual([]);
    for (const action of ['team.created', 'team.renamed', 'team.member_added', 'team.member_removed', 'team.deleted']) {
      const rows = (await auditRows(action)).filter((e) => e.resource_id === teamId);
      expect(rows.length, action).toBeGreaterThan(0);
      expect(rows[0]).toMatchObject({ organisation_id: QC, actor_id: emilie.id });
    }
  });
});

describe('operators and organisations awaiting confirmation', () => {
  it('lists organisations created at a sign-in and confirms one, audited; others may not', async () => {
    const pending = await registerOrganisation(t.entente.stores, {
      id: uuidv7(),
      name: 'Commune de Test (à confirmer)',
      jurisdiction: 'FR',
      siret: '13002526500013',
      neq: null,
      emailDomains: ['commune-test.example'],
      demo: false,
      confirmed: false,
    });
    const list = await call(s.camille!, 'GET', '/api/admin/organisations?confirmed=false');
    expect(list.status).toBe(200);
    expect(list.body.organisations.map((o: { id: string }) => o.id)).toEqual([pending.id]);
    expect((await call(s.emilie!, 'GET', '/api/admin/organisations?confirmed=false')).status).toBe(403);
    expect((await call(s.emilie!, 'POST', `/api/admin/organisations/${pending.id}/confirm`)).status).toBe(403);
    expect((await call(s.camille!, 'GET', '/api/admin/organisations?confirmed=maybe')).status).toBe(400);
    const confirmed = await call(s.camille!, 'POST', `/api/admin/organisations/${pending.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: pending.id, confirmed: true });
    expect((await call(s.camille!, 'GET', '/api/admin/organisations?confirmed=false')).body.organisations).toEqual([]);
    expect((await call(s.camille!, 'POST', `/api/admin/organisations/${uuidv7()}/confirm`)).status).toBe(404);
    const audit = (await auditRows('organisation.confirmed')).filter((e) => e.organisation_id === pending.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_id).toBe(camille.id);
  });
});

describe('authority is what the database says under the lock, not the request’s snapshot', () => {
  // A request's actor is read when it begins; an administrator demoted in the meantime (by
  // another administrator, a moment earlier) must not act on the old snapshot.
  let stale: Actor;
  let targetId: string;
  beforeAll(async () => {
    const provision = (n: number) =>
      provisionAgent(t.entente.stores, t.entente.outbox, {
        jurisdiction: 'QC',
        givenName: 'Ancien',
        familyName: `Administrateur ${n}`,
        email: `ancien.admin${n}@mcn.demo-gouv-qc.test`,
        preferredLanguage: 'fr-CA',
        organisationId: QC,
        roles: ['member'],
      });
    const demoted = await provision(1);
    targetId = (await provision(2)).principalId;
    stale = {
      principalId: demoted.principalId, // a member of QC, no longer an administrator
      homeJurisdiction: 'QC',
      sessionId: uuidv7(),
      assuranceLevel: null,
      upstream: null,
      memberships: new Map([[QC, ['member', 'admin']]]),
      platformRoles: new Set(),
      via: 'session',
      scopes: null,
    };
  });
  const meta = { ip: null, requestId: 'stale-snapshot' };
  const rolesOf = async (principalId: string) =>
    (await call(s.emilie!, 'GET', `/api/organisations/${QC}/members`)).body.members.find((m: { principalId: string }) => m.principalId === principalId)?.roles;

  it('a role change by a demoted administrator is refused', async () => {
    await expect(setMemberRoles(t.entente.stores, t.entente.audit, stale, QC, targetId, ['member', 'trainer'], meta)).rejects.toMatchObject({ slug: 'forbidden' });
    expect(await rolesOf(targetId)).toEqual(['member']);
  });

  it('a removal by a demoted administrator is refused', async () => {
    const deps = { stores: t.entente.stores, audit: t.entente.audit, sessions: t.entente.sessions, events: t.entente.events };
    await expect(removeMember(deps, stale, QC, targetId, meta)).rejects.toMatchObject({ slug: 'forbidden' });
    expect(await rolesOf(targetId)).toEqual(['member']);
  });
});

describe('personal data stays in the home cells', () => {
  it('no name or email reaches the control plane through roles, teams or their audit', async () => {
    const extra = await provisionAgent(t.entente.stores, t.entente.outbox, {
      jurisdiction: 'QC',
      givenName: 'Zéphirine',
      familyName: 'Lévesque-Unique',
      email: 'zephirine.levesque@mcn.demo-gouv-qc.test',
      preferredLanguage: 'fr-CA',
      organisationId: QC,
      roles: ['member'],
    });
    const team = await call(s.emilie!, 'POST', `/api/organisations/${QC}/teams`, { name: 'Données' });
    expect((await call(s.emilie!, 'PUT', `/api/organisations/${QC}/teams/${team.body.id}/members/${extra.principalId}`, { role: 'manager' })).status).toBe(200);
    expect((await roles(s.emilie!, QC, extra.principalId, ['member', 'trainer'])).status).toBe(200);
    const listed = await call(s.emilie!, 'GET', `/api/organisations/${QC}/members`);
    expect(listed.body.members.find((m: { principalId: string }) => m.principalId === extra.principalId).familyName).toBe('Lévesque-Unique');
    const db = t.entente.stores.control.db;
    const dump = JSON.stringify([
      await db.selectFrom('memberships').selectAll().execute(),
      await db.selectFrom('principals').selectAll().execute(),
      await db.selectFrom('teams').selectAll().execute(),
      await db.selectFrom('team_members').selectAll().execute(),
      await t.entente.audit.list({ limit: 1000 }),
    ]);
    expect(dump).toContain(extra.principalId);
    expect(dump).not.toContain('Lévesque');
    expect(dump).not.toContain('zephirine');
  });
});
