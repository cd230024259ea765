import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signInThroughDemoIdp } from './support/sign-in-flow.ts';

/** GET /api/session tells the profile page how the current session was vouched for. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const session = async (cookie: string) => {
  const response = await fetch(`${t.baseUrl}/api/session`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('GET /api/session', () => {
  it('names the federation and the level of a federated sign-in (Québec, second factor: substantial)', async () => {
    const emilie = DEMO_AGENTS[2]!;
    const login = `${t.baseUrl}/auth/login?${new URLSearchParams({ email: emilie.email, level: 'substantial' })}`;
    const flow = await signInThroughDemoIdp(login, { secondFactor: true });
    const { status, body } = await session(flow.jar.header(t.baseUrl));
    expect(status).toBe(200);
    expect(body).toMatchObject({ assuranceLevel: 'substantial', upstream: 'demo-qc' });
    expect(typeof body.csrfToken).toBe('string');
  });

  it('says the French sign-in without second factor is « low »', async () => {
    const camille = DEMO_AGENTS[0]!;
    const flow = await signInThroughDemoIdp(`${t.baseUrl}/auth/login?${new URLSearchParams({ email: camille.email })}`);
    expect((await session(flow.jar.header(t.baseUrl))).body).toMatchObject({ assuranceLevel: 'low', upstream: 'demo-fr' });
  });

  it('answers null for both when the session did not come through a federation', async () => {
    const { cookie } = await t.signIn();
    expect((await session(cookie)).body).toMatchObject({ assuranceLevel: null, upstream: null });
  });

  it('answers 401 without a session', async () => {
    expect((await fetch(`${t.baseUrl}/api/session`)).status).toBe(401);
  });
});
