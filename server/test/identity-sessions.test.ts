import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const url = (path: string) => `${t.baseUrl}${path}`;
const camille = DEMO_AGENTS[0]!; // FR, operator
const emilie = DEMO_AGENTS[2]!; // QC

describe('sessions and the signed-in agent', () => {
  it('refuses /api/me without a session, with a problem', async () => {
    const response = await fetch(url('/api/me'));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { type: string }).type).toBe('urn:entente:problem:unauthenticated');
  });

  it('leaves pages and assets alone: no session lookup for them', async () => {
    const page = await fetch(url('/healthz'), { headers: { cookie: `entente_session=${'B'.repeat(43)}` } });
    expect(page.headers.get('set-cookie')).toBeNull();
  });

  it('clears an unknown session cookie', async () => {
    const response = await fetch(url('/api/me'), { headers: { cookie: `entente_session=${'A'.repeat(43)}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toMatch(/entente_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('resolves the profile from the home cell and grants from the control plane', async () => {
    const session = await t.signIn(emilie);
    const response = await fetch(url('/api/me'), { headers: { cookie: session.cookie } });
    expect(response.status).toBe(200);
    const me = (await response.json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      principalId: emilie.id,
      jurisdiction: 'QC',
      givenName: 'Émilie',
      familyName: 'Tremblay',
      preferredLanguage: 'fr-CA',
      organisations: [{ id: emilie.organisationId, jurisdiction: 'QC', roles: ['member', 'admin'] }],
    });
  });

  it('keeps names and emails out of the control plane and out of the other cell', async () => {
    const { control, cells } = t.entente.stores;
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_schema = ${control.schema}
      and table_name in ('principals', 'organisations', 'memberships', 'platform_roles', 'sessions')`.execute(control.db);
    const names = columns.rows.map((r) => r.column_name);
    expect(names).toContain('home_jurisdiction');
    for (const personal of ['email', 'given_name', 'family_name', 'user_agent', 'ip']) expect(names).not.toContain(personal);
    const inFr = await cells.FR.db.selectFrom('agent_profiles').select('principal_id').where('principal_id', '=', emilie.id).execute();
    const inQc = await cells.QC.db.selectFrom('agent_profiles').select('principal_id').where('principal_id', '=', emilie.id).execute();
    expect(inFr).toHaveLength(0);
    expect(inQc).toHaveLength(1);
  });

  it('lists sessions with where they came from, and ends one', async () => {
    const first = await t.signIn(camille, { ip: '192.0.2.10', userAgent: 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0' });
    const second = await t.signIn(camille);
    const list = (await (await fetch(url('/api/me/sessions'), { headers: { cookie: second.cookie } })).json()) as {
      sessions: { id: string; current: boolean; ip: string; userAgent: string }[];
    };
    const other = list.sessions.find((s) => s.id === first.sessionId);
    expect(other).toMatchObject({ current: false, ip: '192.0.2.10' });
    expect(other?.userAgent).toContain('Firefox');
    expect(list.sessions.find((s) => s.id === second.sessionId)?.current).toBe(true);

    const end = await fetch(url(`/api/me/sessions/${first.sessionId}`), { method: 'DELETE', headers: second.headers });
    expect(end.status).toBe(204);
    expect((await fetch(url('/api/me'), { headers: { cookie: first.cookie } })).status).toBe(401);
    expect((await fetch(url('/api/me'), { headers: { cookie: second.cookie } })).status).toBe(200);
  });

  it('answers 404 for another agent’s session, and does not end it', async () => {
    const victim = await t.signIn(emilie);
    const attacker = await t.signIn(camille);
    const response = await fetch(url(`/api/me/sessions/${victim.sessionId}`), { method: 'DELETE', headers: attacker.headers });
    expect(response.status).toBe(404);
    expect((await fetch(url('/api/me'), { headers: { cookie: victim.cookie } })).status).toBe(200);
  });

  it('signs out when the current session is ended', async () => {
    const session = await t.signIn(camille);
    const response = await fetch(url(`/api/me/sessions/${session.sessionId}`), { method: 'DELETE', headers: session.headers });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(/entente_session=;/);
    expect((await fetch(url('/api/me'), { headers: { cookie: session.cookie } })).status).toBe(401);
  });

  it('gives the CSRF token of the session', async () => {
    const session = await t.signIn(camille);
    const body = (await (await fetch(url('/api/session'), { headers: { cookie: session.cookie } })).json()) as { csrfToken: string };
    expect(body.csrfToken).toBe(session.csrfToken);
  });
});

describe('CSRF on cookie-authenticated changes', () => {
  const patch = (headers: Record<string, string>, body = '{"preferredLanguage":"en"}') =>
    fetch(url('/api/me'), { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body });

  it('refuses a change without the token, or from another origin, and audits it', async () => {
    const session = await t.signIn(camille);
    const noToken = await patch({ cookie: session.cookie });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { type: string }).type).toBe('urn:entente:problem:csrf');
    const foreign = await patch({ ...session.headers, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const wrong = await patch({ ...session.headers, 'x-csrf-token': 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    // 43 characters but more bytes: must be refused like any wrong token, not crash the check.
    const nonAscii = await patch({ ...session.headers, 'x-csrf-token': `${'x'.repeat(42)}\u00e9` });
    expect(nonAscii.status).toBe(403);
    // The right token but neither Origin nor Referer: no page of ours sent it (attack review).
    const { origin: _origin, ...noOrigin } = session.headers;
    expect((await patch(noOrigin)).status).toBe(403);
    // Without Origin, our own Referer is enough (as some browsers send it).
    const ownReferer = await patch({ ...noOrigin, referer: `${t.baseUrl}/profil` }, '{"preferredLanguage":"fr-FR"}');
    expect(ownReferer.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the audit write is off the response path
    const events = await t.entente.audit.list({ jurisdiction: 'FR', action: 'request.csrf_refused', actorId: camille.id, limit: 10 });
    expect(events.length).toBeGreaterThanOrEqual(5);
    const me = (await (await fetch(url('/api/me'), { headers: { cookie: session.cookie } })).json()) as { preferredLanguage: string };
    expect(me.preferredLanguage).toBe('fr-FR');
  });

  it('accepts the change with the token from the same origin, and audits it', async () => {
    const session = await t.signIn(camille);
    const response = await patch(session.headers, '{"preferredLanguage":"fr-CA"}');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { preferredLanguage: string }).preferredLanguage).toBe('fr-CA');
    const events = await t.entente.audit.list({ jurisdiction: 'FR', action: 'profile.updated', actorId: camille.id, limit: 1 });
    expect(events[0]).toMatchObject({ outcome: 'success', resource_id: camille.id });
    await patch(session.headers, '{"preferredLanguage":"fr-FR"}');
  });
});

describe('bad input never writes and never crashes', () => {
  const send = async (body: string, headers: Record<string, string> = {}) => {
    const session = await t.signIn(camille);
    const response = await fetch(url('/api/me'), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...session.headers, ...headers },
      body,
    });
    const me = (await (await fetch(url('/api/me'), { headers: { cookie: session.cookie } })).json()) as { preferredLanguage: string };
    return { response, problem: (await response.json()) as { type: string; status: number; errors?: { path: string }[] }, language: me.preferredLanguage };
  };

  it('malformed JSON → 400', async () => {
    const { response, problem, language } = await send('{"preferredLanguage": "en"');
    expect(response.status).toBe(400);
    expect(problem.type).toBe('urn:entente:problem:bad-request');
    expect(language).toBe('fr-FR');
  });

  it('wrong type → 400 with the field named', async () => {
    const { response, problem, language } = await send('{"preferredLanguage": 42}');
    expect(response.status).toBe(400);
    expect(problem.type).toBe('urn:entente:problem:validation');
    expect(problem.errors?.[0]?.path).toContain('preferredLanguage');
    expect(language).toBe('fr-FR');
  });

  it('unknown field → 400', async () => {
    const { response, language } = await send('{"preferredLanguage": "en", "isOperator": true}');
    expect(response.status).toBe(400);
    expect(language).toBe('fr-FR');
  });

  it('prototype pollution attempt → 400', async () => {
    const { response, language } = await send('{"preferredLanguage": "en", "__proto__": {"admin": true}}');
    expect(response.status).toBe(400);
    expect(language).toBe('fr-FR');
  });

  it('oversized body → 413', async () => {
    const { response, problem, language } = await send(JSON.stringify({ preferredLanguage: 'en', pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(problem.type).toBe('urn:entente:problem:payload-too-large');
    expect(language).toBe('fr-FR');
  });

  it('wrong content type → 415', async () => {
    const { response, language } = await send('preferredLanguage=en', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(language).toBe('fr-FR');
  });

  it('a malformed id in the path → 400, not 500', async () => {
    const session = await t.signIn(camille);
    const response = await fetch(url('/api/me/sessions/not-a-uuid'), { method: 'DELETE', headers: session.headers });
    expect(response.status).toBe(400);
  });
});

describe('validation messages', () => {
  it('are in the agent’s language, with a stable code per field', async () => {
    const session = await t.signIn(camille);
    const answer = async (lang: string) =>
      (await (
        await fetch(url('/api/me'), {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', ...session.headers, cookie: `${session.cookie}; entente_lang=${lang}` },
          body: '{"preferredLanguage": 42, "extra": 1}',
        })
      ).json()) as { title: string; errors: { path: string; code: string; message: string }[] };
    const fr = await answer('fr-FR');
    expect(fr.title).toBe('Données invalides');
    expect(fr.errors.map((e) => e.code).sort()).toEqual(['invalid_value', 'unrecognized_keys']);
    // Said precisely, from the params: which field, which values.
    expect(fr.errors.find((e) => e.code === 'unrecognized_keys')?.message).toBe('Le champ « extra » n’est pas connu d’Entente : retirez-le.');
    expect(fr.errors.find((e) => e.code === 'invalid_value')?.message).toBe('Valeur non prévue ; valeurs possibles : « fr-FR », « fr-CA » ou « en ».');
    const en = await answer('en');
    expect(en.errors.find((e) => e.code === 'unrecognized_keys')?.message).toBe('Entente does not know the field “extra”: remove it.');
    expect(en.errors.find((e) => e.code === 'invalid_value')?.message).toBe('Unexpected value; possible values: “fr-FR”, “fr-CA”, or “en”.');
  });
});
