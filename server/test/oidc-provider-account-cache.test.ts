import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createEntente, type Entente } from '../src/entente.ts';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { upsertMembership } from '../src/identity/principals.repo.ts';
import { ACCOUNT_CACHE_MS, ACCOUNTS_CHANGED_TOPIC } from '../src/identity/provider/account-cache.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import { csrfTokenFor } from '../src/platform/http/csrf.ts';
import { createLogger } from '../src/platform/logger.ts';
import { Browser, discover, type RegisteredClient, registerClient, signInToClient } from './oidc-provider-rp.ts';
import { freePort, startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { freshTestEnv, type TestEnv } from './support/db.ts';

/**
 * The OpenID provider keeps an agent's claims a few seconds per node (issue 3's token endpoint
 * throughput; provider/account-cache.ts). What an agent or an operator notices must not change:
 * a disabled agent gets no token, and a change of the profile or of the memberships shows in the
 * very next token — on the node that made the change and, through the event bus, on the others.
 */
const [camille, , emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const QC = DEMO_ORGANISATIONS[2].id;
const FR_DSNE = DEMO_ORGANISATIONS[1].id;
const SCOPE = 'openid profile organization offline_access';

/** What a node needs here: its entente, the address to reach it, a way to sign agents in on it. */
interface Node {
  entente: Entente;
  baseUrl: string;
}

let emailCount = 0;
async function newAgent(entente: Entente): Promise<string> {
  emailCount += 1;
  const { principalId } = await provisionAgent(entente.stores, entente.outbox, {
    jurisdiction: 'QC',
    givenName: 'Agent',
    familyName: `Cache ${emailCount}`,
    email: `agent.cache${emailCount}-${Date.now()}@mcn.demo-gouv-qc.test`,
    preferredLanguage: 'fr-CA',
    organisationId: QC,
    roles: ['member'],
  });
  return principalId;
}

async function sessionOn(entente: Entente, publicOrigin: string, principalId: string, jurisdiction: 'FR' | 'QC'): Promise<TestSession> {
  const created = await entente.sessions.create({ principalId, homeJurisdiction: jurisdiction, ip: '127.0.0.1', userAgent: 'account-cache-test', authMethod: 'test' });
  const cookie = `entente_session=${created.token}`;
  const csrfToken = csrfTokenFor(entente.secret, created.id);
  return { sessionId: created.id, cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken, origin: publicOrigin } };
}

async function call(node: Node, session: TestSession, method: string, path: string, body?: unknown): Promise<number> {
  const headers: Record<string, string> = { ...session.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${node.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

/** The service, talking to one given node (as behind a load balancer that picked it). */
function through(c: RegisteredClient, publicOrigin: string, node: Node): Promise<client.Configuration> {
  const toNode: client.CustomFetch = (url, options) => fetch(url.replace(publicOrigin, node.baseUrl), options as RequestInit);
  return client.discovery(new URL(publicOrigin), c.clientId, c.clientSecret, undefined, { execute: [client.allowInsecureRequests], [client.customFetch]: toNode });
}

/** The claims the service reads about the agent with an access token (userinfo). */
async function claimsOf(config: client.Configuration, tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers) {
  return client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
}

/** Waits until `node` has heard that the principal's account changed (Redis carries it). */
function heardOn(node: Node, principalId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('the other node never heard of the change'));
    }, ACCOUNT_CACHE_MS);
    const stop = node.entente.events.subscribe(ACCOUNTS_CHANGED_TOPIC, (payload) => {
      if (!((payload as { principalIds?: string[] }).principalIds ?? []).includes(principalId)) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

describe('one node', () => {
  let t: TestApp;
  let node: Node;
  let rp: RegisteredClient;
  let config: client.Configuration;
  beforeAll(async () => {
    t = await startTestApp();
    node = { entente: t.entente, baseUrl: t.baseUrl };
    rp = await registerClient(t, await t.signIn(camille), { name: 'Service cache', redirectUris: ['http://127.0.0.1:4021/cb'] });
    config = await discover(t, rp);
  });
  afterAll(async () => t?.close());

  async function offlineTokens(principalId: string) {
    const session = await t.signIn({ ...olivier, id: principalId });
    const { tokens } = await signInToClient(new Browser(t, session), config, rp, { scope: SCOPE, prompt: 'consent' });
    expect(tokens?.refresh_token).toBeTruthy();
    return { tokens: tokens!, session };
  }

  it('an agent disabled right after a refresh succeeded gets no token at the next one', async () => {
    const principalId = await newAgent(t.entente);
    const { tokens } = await offlineTokens(principalId);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await claimsOf(config, refreshed)).name).toBe(`Agent Cache ${emailCount}`);
    const operator = await t.signIn(camille);
    expect(await call(node, operator, 'POST', `/api/admin/agents/${principalId}/disable`)).toBe(204);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(claimsOf(config, refreshed)).rejects.toBeDefined();
  });

  it('the language the agent chooses is the locale of their very next token’s claims', async () => {
    const principalId = await newAgent(t.entente);
    const { tokens, session } = await offlineTokens(principalId);
    const first = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await claimsOf(config, first)).locale).toBe('fr-CA');
    const changedAt = Date.now();
    expect(await call(node, session, 'PATCH', '/api/me', { preferredLanguage: 'en' })).toBe(200);
    const next = await client.refreshTokenGrant(config, first.refresh_token!);
    expect((await claimsOf(config, next)).locale).toBe('en');
    // Not the cache expiring by chance: the change was seen well within its lifetime.
    expect(Date.now() - changedAt).toBeLessThan(ACCOUNT_CACHE_MS);
  });

  it('removed from one organisation of two: the next token no longer names it', async () => {
    const principalId = await newAgent(t.entente);
    await upsertMembership(t.entente.stores.control.db, FR_DSNE, principalId, ['member']);
    const { tokens } = await offlineTokens(principalId);
    const first = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const before = await claimsOf(config, first);
    expect((before.organization as { id: string } | undefined)?.id).toBe(QC);
    expect(await call(node, await t.signIn(emilie), 'DELETE', `/api/organisations/${QC}/members/${principalId}`)).toBe(204);
    const next = await client.refreshTokenGrant(config, first.refresh_token!);
    const after = await claimsOf(config, next);
    expect(after.organization).toBeUndefined();
    expect(after.name).toBe(before.name); // still an active agent, of another organisation
  });
});

/**
 * Two nodes on the same PostgreSQL databases and Redis, as behind a load balancer: a change made
 * through one is seen by the other's next token, without waiting for its cache to expire. Only
 * where PostgreSQL and Redis are given (a PGlite directory has one process).
 */
const databaseUrl = process.env.ENTENTE_TEST_DATABASE_URL?.trim();
const redisUrl = process.env.ENTENTE_TEST_REDIS_URL?.trim();

describe.skipIf(!databaseUrl || !redisUrl)('two nodes through Redis', () => {
  let env: TestEnv | null = null;
  const nodes: Node[] = [];
  let publicOrigin: string;
  let rp: RegisteredClient;
  let config: client.Configuration;
  let app: TestApp; // node A seen as the helpers of oidc-provider-rp.ts see a test app

  beforeAll(async () => {
    // Node A answers on the public URL itself (browser steps of the sign-in go there); node B on
    // its own port, reached by rewriting the public origin (the service's token calls).
    const publicPort = await freePort();
    publicOrigin = `http://localhost:${publicPort}`;
    env = await freshTestEnv({ ENTENTE_PUBLIC_URL: publicOrigin, ENTENTE_LOG_LEVEL: process.env.ENTENTE_TEST_LOG_LEVEL ?? 'silent', REDIS_URL: redisUrl as string });
    for (const port of [publicPort, await freePort()]) {
      const config = loadConfig({ ...env.env, PORT: String(port) });
      const entente = await createEntente({ config, logger: createLogger(config) });
      await entente.listen();
      nodes.push({ entente, baseUrl: `http://localhost:${port}` });
    }
    const a = nodes[0]!;
    app = {
      baseUrl: publicOrigin,
      entente: a.entente,
      env,
      close: async () => {},
      signIn: (agent = camille) => sessionOn(a.entente, publicOrigin, agent.id, agent.jurisdiction),
    };
    rp = await registerClient(app, await app.signIn(camille), { name: 'Service deux nœuds', redirectUris: ['http://127.0.0.1:4022/cb'] });
    config = await discover(app, rp);
  });

  afterAll(async () => {
    for (const node of nodes) await node.entente.close();
    await env?.dispose();
  });

  async function offlineTokens(principalId: string) {
    const session = await app.signIn({ ...olivier, id: principalId });
    const { tokens } = await signInToClient(new Browser(app, session), config, rp, { scope: SCOPE, prompt: 'consent' });
    expect(tokens?.refresh_token).toBeTruthy();
    return { tokens: tokens!, session };
  }

  it('a change of language made through node A shows in node B’s next token', async () => {
    const [a, b] = nodes as [Node, Node];
    const principalId = await newAgent(a.entente);
    const { tokens, session } = await offlineTokens(principalId);
    const onB = await through(rp, publicOrigin, b);
    const first = await client.refreshTokenGrant(onB, tokens.refresh_token!); // node B now holds the account
    expect((await claimsOf(onB, first)).locale).toBe('fr-CA');
    const heard = heardOn(b, principalId);
    const changedAt = Date.now();
    expect(await call(a, session, 'PATCH', '/api/me', { preferredLanguage: 'en' })).toBe(200);
    await heard;
    const next = await client.refreshTokenGrant(onB, first.refresh_token!);
    expect((await claimsOf(onB, next)).locale).toBe('en');
    expect(Date.now() - changedAt).toBeLessThan(ACCOUNT_CACHE_MS);
  });

  it('removed from an organisation through node A: node B no longer names it', async () => {
    const [a, b] = nodes as [Node, Node];
    const principalId = await newAgent(a.entente);
    await upsertMembership(a.entente.stores.control.db, FR_DSNE, principalId, ['member']);
    const { tokens } = await offlineTokens(principalId);
    const onB = await through(rp, publicOrigin, b);
    const first = await client.refreshTokenGrant(onB, tokens.refresh_token!);
    expect(((await claimsOf(onB, first)).organization as { id: string } | undefined)?.id).toBe(QC);
    const heard = heardOn(b, principalId);
    const changedAt = Date.now();
    expect(await call(a, await app.signIn(emilie), 'DELETE', `/api/organisations/${QC}/members/${principalId}`)).toBe(204);
    await heard;
    expect((await claimsOf(onB, first)).organization).toBeUndefined();
    const next = await client.refreshTokenGrant(onB, first.refresh_token!);
    expect((await claimsOf(onB, next)).organization).toBeUndefined();
    expect(Date.now() - changedAt).toBeLessThan(ACCOUNT_CACHE_MS);
  });

  it('an agent disabled through node A right after a refresh on node B gets no token from either', async () => {
    const [a, b] = nodes as [Node, Node];
    const principalId = await newAgent(a.entente);
    const { tokens } = await offlineTokens(principalId);
    const onA = await through(rp, publicOrigin, a);
    const onB = await through(rp, publicOrigin, b);
    const refreshed = await client.refreshTokenGrant(onB, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    expect(await call(a, await app.signIn(camille), 'POST', `/api/admin/agents/${principalId}/disable`)).toBe(204);
    await expect(client.refreshTokenGrant(onB, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.refreshTokenGrant(onA, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(claimsOf(onB, refreshed)).rejects.toBeDefined();
  });
});
