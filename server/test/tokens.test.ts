import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/** Personal access tokens and API keys: the scoped-token service, seen as an agent and an attacker. */
let t: TestApp;
let camille: TestSession;
beforeAll(async () => {
  t = await startTestApp();
  camille = await t.signIn(DEMO_AGENTS[0]!);
});
afterAll(async () => t?.close());

const url = (path: string) => `${t.baseUrl}${path}`;
async function create(session: TestSession, body: Record<string, unknown>) {
  const response = await fetch(url('/api/me/tokens'), {
    method: 'POST',
    headers: { ...session.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { token: string; id: string } };
}
const bearer = (token: string, path = '/api/me', init: RequestInit = {}) =>
  fetch(url(path), { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });

describe('access tokens', () => {
  it('are shown once, stored hashed, and authenticate the REST API', async () => {
    const { status, body } = await create(camille, { label: 'Script de suivi', scopes: ['api:read'], expiresInDays: 30 });
    expect(status).toBe(201);
    expect(body.token).toMatch(/^ent_pat_[A-Za-z0-9_-]{43}$/);
    const me = await bearer(body.token);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { principalId: string }).principalId).toBe(DEMO_AGENTS[0]!.id);
    const list = (await (await fetch(url('/api/me/tokens'), { headers: { cookie: camille.cookie } })).json()) as {
      tokens: { id: string; prefix: string; lastUsedAt: string | null }[];
    };
    const listed = list.tokens.find((x) => x.id === body.id);
    expect(listed?.prefix).toBe(body.token.slice(0, 12));
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(body.token);
    const stored = await t.entente.stores.control.db.selectFrom('access_tokens').select(['token_hash']).where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(stored.token_hash.toString('utf8')).not.toContain(body.token);
  });

  it('do only what their scopes allow, and cannot mint tokens', async () => {
    const read = (await create(camille, { label: 'lecture', scopes: ['api:read'], expiresInDays: 1 })).body.token;
    const change = await bearer(read, '/api/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"preferredLanguage":"en"}' });
    expect(change.status).toBe(403);
    expect(((await change.json()) as { type: string }).type).toBe('urn:entente:problem:insufficient-scope');
    const write = (await create(camille, { label: 'écriture', scopes: ['api:write'], expiresInDays: 1 })).body.token;
    const minted = await bearer(write, '/api/me/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'x', scopes: ['api:write'], expiresInDays: 365 }),
    });
    expect(minted.status).toBe(403);
    const ai = (await create(camille, { label: 'assistant', scopes: ['ai'], expiresInDays: 1 })).body.token;
    expect((await bearer(ai, '/api/me')).status).toBe(403);
  });

  it('stop working when revoked, and only their owner can revoke them', async () => {
    const { body } = await create(camille, { label: 'à révoquer', scopes: ['api:read'], expiresInDays: 1 });
    const emilie = await t.signIn(DEMO_AGENTS[2]!);
    const foreign = await fetch(url(`/api/me/tokens/${body.id}`), { method: 'DELETE', headers: emilie.headers });
    expect(foreign.status).toBe(404);
    expect((await bearer(body.token)).status).toBe(200);
    const revoked = await fetch(url(`/api/me/tokens/${body.id}`), { method: 'DELETE', headers: camille.headers });
    expect(revoked.status).toBe(204);
    expect((await bearer(body.token)).status).toBe(401);
    const events = await t.entente.audit.list({ jurisdiction: 'FR', action: 'token.revoked', actorId: DEMO_AGENTS[0]!.id, limit: 5 });
    expect(events.map((e) => e.resource_id)).toContain(body.id);
  });

  it('refuse forged, malformed and over-long-lived tokens', async () => {
    expect((await bearer(`ent_pat_${'A'.repeat(43)}`)).status).toBe(401);
    expect((await bearer('ent_pat_short')).status).toBe(401);
    expect((await create(camille, { label: 'trop long', scopes: ['api:read'], expiresInDays: 3650 })).status).toBe(400);
    expect((await create(camille, { label: '', scopes: ['api:read'], expiresInDays: 1 })).status).toBe(400);
    expect((await create(camille, { label: 'x', scopes: ['admin'], expiresInDays: 1 })).status).toBe(400);
  });
});
