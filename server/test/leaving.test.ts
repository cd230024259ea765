import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { AGENT_DISABLED, AGENT_LEFT_ORGANISATION } from '../src/identity/leaving.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import { grantPlatformRole, upsertMembership } from '../src/identity/principals.repo.ts';
import { lockMembershipForShare } from '../src/identity/roles.repo.ts';
import type { JsonValue } from '../src/platform/events/index.ts';
import { Browser, discover, type RegisteredClient, registerClient, signInToClient } from './oidc-provider-rp.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { signInThroughDemoIdp } from './support/sign-in-flow.ts';

/** Leaving: removed from the organisation or disabled, the agent's sessions and tokens stop working. */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const QC = DEMO_ORGANISATIONS[2].id;
const FR_DSNE = DEMO_ORGANISATIONS[1].id;
let emailCount = 0;
/** A new agent of the Québec organisation (member only), signed in with a session. */
async function newAgent(roles: ('member' | 'admin')[] = ['member']) {
  emailCount += 1;
  const { principalId } = await provisionAgent(t.entente.stores, t.entente.outbox, {
    jurisdiction: 'QC',
    givenName: 'Agent',
    familyName: `Départ ${emailCount}`,
    email: `agent.depart${emailCount}@mcn.demo-gouv-qc.test`,
    preferredLanguage: 'fr-CA',
    organisationId: QC,
    roles,
  });
  const agent = { ...olivier, id: principalId };
  return { principalId, agent, session: await t.signIn(agent) };
}

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

/** Events are published by the follow-up job (a couple of seconds after the change, then the runner's poll). */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
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
    // An administrator does not remove themselves (as they do not demote themselves).
    const self = await call(admin, 'DELETE', `/api/organisations/${QC}/members/${emilie.id}`);
    expect(self.status).toBe(403);
    expect(self.body.type).toBe('urn:entente:problem:forbidden');
    expect((await withCookie(admin.cookie)).status).toBe(200);
    expect((await call(admin, 'GET', `/api/organisations/${QC}/members`)).body.members.map((m: { principalId: string }) => m.principalId)).toContain(emilie.id);
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

describe('leaving reaches everything the agent holds, and only when nothing is left', () => {
  let rp: RegisteredClient;
  let config: client.Configuration;
  beforeAll(async () => {
    rp = await registerClient(t, await t.signIn(camille), { name: 'Service départ', redirectUris: ['http://127.0.0.1:4011/cb'] });
    config = await discover(t, rp);
  });
  const offlineAccess = async (session: TestSession) => {
    const { tokens } = await signInToClient(new Browser(t, session), config, rp, { scope: 'openid organization offline_access', prompt: 'consent' });
    expect(tokens?.refresh_token).toBeTruthy();
    return tokens!;
  };

  it('removed from their only organisation: the OpenID provider’s refresh tokens (offline access) are refused', async () => {
    const { principalId, session } = await newAgent();
    const tokens = await offlineAccess(session);
    const admin = await t.signIn(emilie);
    expect((await call(admin, 'DELETE', `/api/organisations/${QC}/members/${principalId}`)).status).toBe(204);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it('removed from one organisation of two: keeps sessions and tokens, but is no longer said to belong to it', async () => {
    const { principalId, session } = await newAgent();
    await upsertMembership(t.entente.stores.control.db, FR_DSNE, principalId, ['member']);
    const pat = await call(session, 'POST', '/api/me/tokens', { label: 'script', scopes: ['api:read'], expiresInDays: 1 });
    const tokens = await offlineAccess(session);
    const sub = tokens.claims()!.sub;
    expect(((await client.fetchUserInfo(config, tokens.access_token, sub)).organization as { id: string }).id).toBe(QC);

    const admin = await t.signIn(emilie);
    expect((await call(admin, 'DELETE', `/api/organisations/${QC}/members/${principalId}`)).status).toBe(204);

    const me = await withCookie(session.cookie);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { organisations: { id: string }[] }).organisations.map((o) => o.id)).toEqual([FR_DSNE]);
    expect((await withToken(pat.body.token)).status).toBe(200);
    // The profile still names the organisation of the latest sign-in: the claim follows the membership.
    expect((await client.fetchUserInfo(config, tokens.access_token, sub)).organization).toBeUndefined();
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await client.fetchUserInfo(config, refreshed.access_token, sub)).organization).toBeUndefined();
    const audit = await t.entente.audit.list({ action: 'agent.left_organisation', resourceId: principalId, limit: 5 });
    expect(audit[0]?.details).toMatchObject({ accessCut: false, sessionsEnded: 0, tokensRevoked: 0 });
  });

  it('an operator removed from an organisation keeps their access', async () => {
    const { principalId, session } = await newAgent();
    await grantPlatformRole(t.entente.stores.control.db, principalId, 'operator');
    const admin = await t.signIn(emilie);
    expect((await call(admin, 'DELETE', `/api/organisations/${QC}/members/${principalId}`)).status).toBe(204);
    const me = await withCookie(session.cookie);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { platformRoles: string[] }).platformRoles).toEqual(['operator']);
  });

  it('disabled then enabled: the grants from before do not come back', async () => {
    const { principalId, session } = await newAgent();
    const tokens = await offlineAccess(session);
    const operator = await t.signIn(camille);
    expect((await call(operator, 'POST', `/api/admin/agents/${principalId}/disable`)).status).toBe(204);
    expect((await call(operator, 'POST', `/api/admin/agents/${principalId}/enable`)).status).toBe(204);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const access = await t.entente.audit.list({ action: 'agent.access_cut', resourceId: principalId, limit: 5 });
    expect(access.at(-1)?.details).toMatchObject({ reason: 'disabled', sessionsEnded: 1 });
  });

  it('the disabling is audited with the status change, and the event comes from the follow-up job', async () => {
    const { principalId } = await newAgent();
    const events = listen(AGENT_DISABLED);
    const operator = await t.signIn(camille);
    expect((await call(operator, 'POST', `/api/admin/agents/${principalId}/disable`)).status).toBe(204);
    const queued = await t.entente.stores.control.db.selectFrom('jobs').select(['payload']).where('type', '=', 'identity.leaving.follow_up').execute();
    expect(queued.filter((j) => JSON.stringify(j.payload).includes(principalId))).toHaveLength(1);
    await until(() => events.some((e) => (e as { principalId: string }).principalId === principalId));
    expect(events).toContainEqual({ principalId });
  });
});

describe('administration is done in person, not with a personal access token', () => {
  it('a token with api:write changes no role, member, team or agent status', async () => {
    const admin = await t.signIn(emilie);
    const write = await call(admin, 'POST', '/api/me/tokens', { label: 'admin script', scopes: ['api:read', 'api:write'], expiresInDays: 1 });
    expect(write.status).toBe(201);
    const asToken = (method: string, path: string, body?: unknown) =>
      call({ headers: { authorization: `Bearer ${write.body.token}` } } as unknown as TestSession, method, path, body);
    expect((await asToken('GET', `/api/organisations/${QC}/members`)).status).toBe(200);
    expect((await asToken('PUT', `/api/organisations/${QC}/members/${olivier.id}/roles`, { roles: ['member', 'trainer'] })).status).toBe(403);
    expect((await asToken('DELETE', `/api/organisations/${QC}/members/${olivier.id}`)).status).toBe(403);
    expect((await asToken('POST', `/api/organisations/${QC}/teams`, { name: 'Par jeton' })).status).toBe(403);
    const operator = await t.signIn(camille);
    const opToken = await call(operator, 'POST', '/api/me/tokens', { label: 'ops script', scopes: ['api:read', 'api:write'], expiresInDays: 1 });
    const asOperatorToken = (path: string) =>
      fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${opToken.body.token}` } }).then((r) => r.status);
    expect(await asOperatorToken(`/api/admin/agents/${olivier.id}/disable`)).toBe(403);
    expect(await asOperatorToken(`/api/admin/organisations/${QC}/confirm`)).toBe(403);
    expect((await withCookie(admin.cookie, `/api/organisations/${QC}/members`)).status).toBe(200);
    const olivierNow = (await call(admin, 'GET', `/api/organisations/${QC}/members`)).body.members.find((m: { principalId: string }) => m.principalId === olivier.id);
    expect(olivierNow).toMatchObject({ roles: ['member'], status: 'active' });
  });
});

describe('operators and administrators, as the database says now', () => {
  it('an operator cannot disable another operator through the API', async () => {
    const { principalId } = await newAgent();
    await grantPlatformRole(t.entente.stores.control.db, principalId, 'operator');
    const operator = await t.signIn(camille);
    const refused = await call(operator, 'POST', `/api/admin/agents/${principalId}/disable`);
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('urn:entente:problem:agent-is-operator');
    const row = await t.entente.stores.control.db.selectFrom('principals').select('status').where('id', '=', principalId).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
  });

  it('a disabled administrator does not count: the last active one keeps the role', async () => {
    const { principalId } = await newAgent();
    const admin = await t.signIn(emilie);
    expect((await call(admin, 'PUT', `/api/organisations/${QC}/members/${principalId}/roles`, { roles: ['member', 'admin'] })).status).toBe(200);
    const operator = await t.signIn(camille);
    expect((await call(operator, 'POST', `/api/admin/agents/${principalId}/disable`)).status).toBe(204);
    const demoted = await call(operator, 'PUT', `/api/organisations/${QC}/members/${emilie.id}/roles`, { roles: ['member'] });
    expect(demoted.status).toBe(409);
    expect(demoted.body.type).toBe('urn:entente:problem:last-admin');
    const emilieNow = (await call(admin, 'GET', `/api/organisations/${QC}/members`)).body.members.find((m: { principalId: string }) => m.principalId === emilie.id);
    expect(emilieNow.roles).toEqual(['member', 'admin']);
  });
});

// Needs two connections: PGlite has one, so transactions there never interleave.
describe.skipIf(!process.env.ENTENTE_TEST_DATABASE_URL?.trim())('a team addition racing with the removal (PostgreSQL)', () => {
  it('the removal waits for the addition and takes its team row with it: no team member outside the organisation', async () => {
    const { principalId } = await newAgent();
    const admin = await t.signIn(emilie);
    const team = await call(admin, 'POST', `/api/organisations/${QC}/teams`, { name: `Course ${principalId.slice(-6)}` });
    const db = t.entente.stores.control.db;
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // The addition, stopped mid-transaction: membership read FOR SHARE, team row written, not committed.
    const addition = db.transaction().execute(async (trx) => {
      expect(await lockMembershipForShare(trx, QC, principalId)).toBe(true);
      await trx.insertInto('team_members').values({ team_id: team.body.id, principal_id: principalId, role: 'member' }).execute();
      locked();
      await released;
    });
    await isLocked;
    const removal = call(admin, 'DELETE', `/api/organisations/${QC}/members/${principalId}`);
    await new Promise((r) => setTimeout(r, 300)); // the removal is now waiting on the membership row
    release();
    await addition;
    expect((await removal).status).toBe(204);
    const left = await db.selectFrom('team_members').select('team_id').where('principal_id', '=', principalId).execute();
    expect(left).toEqual([]);
  });
});
