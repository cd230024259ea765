import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { AGENT_DISABLED, AGENT_LEFT_ORGANISATION } from '../src/identity/leaving.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import type { JsonValue } from '../src/platform/events/index.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { signInThroughDemoIdp } from './support/sign-in-flow.ts';

/** Leaving: removed from the organisation or disabled, the agent's sessions and tokens stop working. */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const QC = DEMO_ORGANISATIONS[2].id;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

async function call(session: TestSession | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = session ? { ...session.headers } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, the assertions check them
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
}
const withCookie = (cookie: string, path = '/api/me') => fetch(`${t.baseUrl}${path}`, { headers: { cookie } });
const withToken = (token: string, path = '/api/me') => fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

function listen(topic: string): JsonValue[] {
  const received: JsonValue[] = [];
  t.entente.events.subscribe(topic, (payload) => {
    received.push(payload);
  });
  return received;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !check() && waited < ms; waited += 20) await new Promise((r) => setTimeout(r, 20));
}

describe('an administrator removes an agent from the organisation', () => {
  it('ends their sessions, revokes their tokens, drops their teams, publishes the event, audits', async () => {
    const zoe = await provisionAgent(t.entente.stores, t.entente.outbox, {
      jurisdiction: 'QC',
      givenName: 'Zoé',
      familyName: 'Côté',
      email: 'zoe.cote@mcn.demo-gouv-qc.test',
      preferredLanguage: 'fr-CA',
      organisationId: QC,
      roles: ['member'],
    });
    const zoeAgent = { ...olivier, id: zoe.principalId };
    const [first, second] = [await t.signIn(zoeAgent), await t.signIn(zoeAgent)];
    const token = await call(first, 'POST', '/api/me/tokens', { label: 'script', scopes: ['api:read'], expiresInDays: 30 });
    expect(token.status).toBe(201);
    expect((await withToken(token.body.token)).status).toBe(200);
    const admin = await t.signIn(emilie);
    const team = await call(admin, 'POST', `/api/organisations/${QC}/teams`, { name: 'Équipe de Zoé' });
    expect((await call(admin, 'PUT', `/api/organisations/${QC}/teams/${team.body.id}/members/${zoe.principalId}`, { role: 'manager' })).status).toBe(200);
    const events = listen(AGENT_LEFT_ORGANISATION);

    const removed = await call(admin, 'DELETE', `/api/organisations/${QC}/members/${zoe.principalId}`);
    expect(removed.status).toBe(204);

    expect((await withCookie(first.cookie)).status).toBe(401);
    expect((await withCookie(second.cookie)).status).toBe(401);
    expect((await withToken(token.body.token)).status).toBe(401);
    const members = await call(admin, 'GET', `/api/organisations/${QC}/members`);
    expect(members.body.members.map((m: { principalId: string }) => m.principalId)).not.toContain(zoe.principalId);
    const teams = await call(admin, 'GET', `/api/organisations/${QC}/teams`);
    expect(teams.body.teams.find((x: { id: string }) => x.id === team.body.id).members).toEqual([]);
    await until(() => events.length > 0);
    expect(events).toEqual([{ principalId: zoe.principalId, organisationId: QC, reason: 'removed_by_admin' }]);
    const audit = await t.entente.audit.list({ action: 'agent.left_organisation', resourceId: zoe.principalId, limit: 5 });
    expect(audit[0]).toMatchObject({ actor_id: emilie.id, organisation_id: QC, details: { sessionsEnded: 2, tokensRevoked: 1, teams: 1 } });
    const ended = await t.entente.stores.control.db.selectFrom('sessions').select(['end_reason']).where('principal_id', '=', zoe.principalId).execute();
    expect(ended.map((x) => x.end_reason)).toEqual(['left_organisation', 'left_organisation']);
    // Removing again: not a member any more.
    expect((await call(admin, 'DELETE', `/api/organisations/${QC}/members/${zoe.principalId}`)).status).toBe(404);
  });

  it('is refused to members, to other organisations’ administrators, and for the last administrator', async () => {
    const member = await t.signIn(olivier);
    expect((await call(member, 'DELETE', `/api/organisations/${QC}/members/${emilie.id}`)).status).toBe(403);
    const otherAdmin = await t.signIn(camille); // admin of a French organisation, and operator
    expect((await call(otherAdmin, 'DELETE', `/api/organisations/${QC}/members/${olivier.id}`)).status).toBe(403);
    const admin = await t.signIn(emilie);
    const last = await call(admin, 'DELETE', `/api/organisations/${QC}/members/${emilie.id}`);
    expect(last.status).toBe(409);
    expect(last.body.type).toBe('urn:entente:problem:last-admin');
    expect((await withCookie(admin.cookie)).status).toBe(200);
  });
});

describe('an operator disables an agent', () => {
  const hugoSub = DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === hugo.email)!.sub;
  const signInAsHugo = () => signInThroughDemoIdp(`${t.baseUrl}/auth/login?${new URLSearchParams({ email: hugo.email })}`, { agentSub: hugoSub });

  it('ends their sessions and tokens; they cannot sign in again (clear error) until enabled', async () => {
    const operator = await t.signIn(camille);
    const before = await signInAsHugo();
    expect(before.finalUrl.pathname).toBe('/');
    const cookie = before.jar.header(t.baseUrl);
    expect((await withCookie(cookie)).status).toBe(200);
    const hugoSession = await t.signIn(hugo);
    const token = await call(hugoSession, 'POST', '/api/me/tokens', { label: 'x', scopes: ['api:read'], expiresInDays: 1 });
    const events = listen(AGENT_DISABLED);

    expect((await call(operator, 'POST', `/api/admin/agents/${hugo.id}/disable`)).status).toBe(204);
    expect((await withCookie(cookie)).status).toBe(401);
    expect((await withToken(token.body.token)).status).toBe(401);
    await until(() => events.length > 0);
    expect(events).toEqual([{ principalId: hugo.id }]);

    const refused = await signInAsHugo();
    expect(refused.finalUrl.pathname).toBe('/connexion');
    expect(refused.finalUrl.searchParams.get('erreur')).toBe('sign_in_account_disabled');
    expect((await withCookie(refused.jar.header(t.baseUrl))).status).toBe(401);
    const failed = await t.entente.audit.list({ action: 'sign_in.failed', actorId: hugo.id, limit: 5 });
    expect(failed[0]?.details).toMatchObject({ reason: 'principal_disabled' });
    expect((await t.entente.audit.list({ action: 'agent.disabled', resourceId: hugo.id, limit: 5 }))[0]).toMatchObject({ actor_id: camille.id });

    expect((await call(operator, 'POST', `/api/admin/agents/${hugo.id}/enable`)).status).toBe(204);
    const again = await signInAsHugo();
    expect(again.finalUrl.pathname).toBe('/');
    expect((await withCookie(again.jar.header(t.baseUrl))).status).toBe(200);
    expect((await t.entente.audit.list({ action: 'agent.enabled', resourceId: hugo.id, limit: 5 })).length).toBe(1);
  });

  it('is for operators only, never on oneself, and unknown agents are not found', async () => {
    const admin = await t.signIn(emilie);
    expect((await call(admin, 'POST', `/api/admin/agents/${olivier.id}/disable`)).status).toBe(403);
    const operator = await t.signIn(camille);
    expect((await call(operator, 'POST', `/api/admin/agents/${camille.id}/disable`)).status).toBe(403);
    expect((await call(operator, 'POST', '/api/admin/agents/019ac9f0-0000-7000-8000-0000000affff/disable')).status).toBe(404);
    expect((await call(operator, 'POST', '/api/admin/agents/nope/disable')).status).toBe(400);
    expect((await withCookie(operator.cookie)).status).toBe(200);
  });
});
