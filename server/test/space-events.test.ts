import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camille, emilie, FilesClient, hugo, olivier } from './files-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * GET /api/spaces/:id/events, through the real server (PGlite; PostgreSQL and the Redis event bus
 * with ENTENTE_TEST_DATABASE_URL / ENTENTE_TEST_REDIS_URL): members hear, as server-sent events,
 * that the tree, the space or its members changed — the part only, never a title or a name —;
 * a member who is removed hears `revoked` and the stream ends; non-members get 404, the signed
 * out 401, and an agent past 12 open streams 429.
 */
let t: TestApp;
let c: FilesClient;
let spaceId: string;

beforeAll(async () => {
  // A short re-check, so that a token revoked elsewhere is seen within the test.
  t = await startTestApp({ entente: { spaceStreamLimits: { recheckMs: 300 } } });
  c = new FilesClient(t);
  await c.signInAll();
  spaceId = await c.space('FR', [
    [emilie, 'editor'],
    [hugo, 'reader'],
  ]);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** An open stream, read as a browser's EventSource would: events parsed as they arrive. */
async function listen(agent: typeof camille, id = spaceId) {
  const abort = new AbortController();
  const response = await fetch(`${t.baseUrl}/api/spaces/${id}/events`, { headers: { cookie: c.session(agent).cookie, accept: 'text/event-stream' }, signal: abort.signal });
  const events: { event: string; data: string }[] = [];
  let ended = false;
  let buffer = '';
  const waiters: (() => void)[] = [];
  if (response.ok && response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const field = (name: string) => [...block.matchAll(/^(\w+): ?(.*)$/gm)].find((m) => m[1] === name)?.[2];
            const event = field('event');
            if (event) events.push({ event, data: field('data') ?? '' });
          }
          for (const w of waiters.splice(0)) w();
        }
      } catch {
        // aborted
      }
      ended = true;
      for (const w of waiters.splice(0)) w();
    })();
  }
  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { response, events, until, ended: () => ended, close: () => abort.abort() };
}

describe('a space’s stream of changes', () => {
  it('tells every member that the tree or the files changed when another creates, renames, trashes — the part only', async () => {
    const camilles = await listen(camille);
    const hugos = await listen(hugo);
    try {
      expect(camilles.response.status).toBe(200);
      expect(camilles.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(camilles.response.headers.get('cache-control')).toBe('no-cache, no-store');
      const created = await c.json(emilie, 'POST', `/api/spaces/${spaceId}/documents`, { title: 'Ordre du jour secret 4411' });
      expect(created.status).toBe(201);
      await camilles.until(() => camilles.events.length >= 1, 'the creation');
      await hugos.until(() => hugos.events.length >= 1, 'the creation, for a reader');
      expect(camilles.events[0]).toEqual({ event: 'change', data: '{"part":"documents"}' });
      expect(hugos.events[0]).toEqual({ event: 'change', data: '{"part":"documents"}' });
      expect((await c.json(emilie, 'PATCH', `/api/documents/${created.body.id}`, { title: 'Renommé' })).status).toBe(200);
      await camilles.until(() => camilles.events.length >= 2, 'the rename');
      expect((await c.json(emilie, 'POST', `/api/documents/${created.body.id}/trash`)).status).toBe(200);
      // Trashing says « documents » (and its access change says it again): at least one more.
      await camilles.until(() => camilles.events.length >= 3, 'the trash');
      expect(new Set(camilles.events.map((e) => e.data))).toEqual(new Set(['{"part":"documents"}']));
      // A folder made in the files area: the files' part.
      const folder = await c.json(emilie, 'POST', `/api/spaces/${spaceId}/folders`, { name: 'Pièces 2026', parentId: null });
      expect(folder.status).toBe(201);
      await hugos.until(() => hugos.events.some((e) => e.data === '{"part":"files"}'), 'the folder');
      // The space renamed by its owner: the header's part.
      expect((await c.json(camille, 'PATCH', `/api/spaces/${spaceId}`, { name: 'Renommé 2026' })).status).toBe(200);
      await hugos.until(() => hugos.events.some((e) => e.data === '{"part":"space"}'), 'the space renamed');
    } finally {
      camilles.close();
      hugos.close();
    }
  });

  it('tells of a pending invitation and its revocation, an import, and the space’s classification', async () => {
    const camilles = await listen(camille);
    try {
      const invited = await c.json(camille, 'POST', `/api/spaces/${spaceId}/invitations`, { email: 'pas.encore.inscrit@numerique.demo-gouv-fr.test', role: 'reader' });
      expect(invited.status).toBe(201);
      await camilles.until(() => camilles.events.filter((e) => e.data === '{"part":"members"}').length >= 1, 'the pending invitation');
      expect((await c.json(camille, 'DELETE', `/api/spaces/${spaceId}/invitations/${invited.body.invitation.id}`)).status).toBe(204);
      await camilles.until(() => camilles.events.filter((e) => e.data === '{"part":"members"}').length >= 2, 'the revocation');
      const imported = await fetch(`${t.baseUrl}/api/spaces/${spaceId}/imports?${new URLSearchParams({ name: 'importé.md' })}`, {
        method: 'POST',
        headers: { ...c.session(emilie).headers, 'content-type': 'application/octet-stream' },
        body: new TextEncoder().encode('# Importé\n\nUn paragraphe.'),
      });
      expect(imported.status).toBe(202);
      await camilles.until(() => camilles.events.some((e) => e.data === '{"part":"documents"}'), 'the imported document');
      expect((await c.json(camille, 'PUT', `/api/spaces/${spaceId}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
      await camilles.until(() => camilles.events.some((e) => e.data === '{"part":"space"}'), 'the classification');
    } finally {
      camilles.close();
    }
  });

  it('a member removed hears « revoked » and the stream ends; a non-member gets 404; no session 401', async () => {
    const hugos = await listen(hugo);
    const camilles = await listen(camille);
    try {
      expect(hugos.response.status).toBe(200);
      expect((await c.json(camille, 'DELETE', `/api/spaces/${spaceId}/members/${hugo.id}`)).status).toBe(204);
      await hugos.until(() => hugos.ended(), 'the end of the stream');
      expect(hugos.events.at(-1)).toEqual({ event: 'revoked', data: '{}' });
      // The others hear that the members changed.
      await camilles.until(() => camilles.events.some((e) => e.data === '{"part":"members"}'), 'the members changed');
      // Gone: 404, as for a space that does not exist.
      const again = await listen(hugo);
      expect(again.response.status).toBe(404);
      expect((await listen(olivier)).response.status).toBe(404);
      expect((await listen(olivier, 'pas-un-uuid')).response.status).toBe(404);
      const anonymous = await fetch(`${t.baseUrl}/api/spaces/${spaceId}/events`);
      expect(anonymous.status).toBe(401);
    } finally {
      hugos.close();
      camilles.close();
    }
  });

  it('ends with the session (sign-out) or the token (revoked); takes the space id in any case', async () => {
    const url = `${t.baseUrl}/api/spaces/${spaceId.toUpperCase()}/events`;
    // Camille's own session, apart from the one the other tests use.
    const signedIn = await t.signIn(camille);
    const abort = new AbortController();
    const response = await fetch(url, { headers: { cookie: signedIn.cookie }, signal: abort.signal });
    expect(response.status).toBe(200);
    const read = (async () => {
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
      }
    })();
    const out = await fetch(`${t.baseUrl}/auth/logout`, { method: 'POST', headers: signedIn.headers });
    expect(out.status).toBeLessThan(400);
    const text = await Promise.race([read, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('the stream outlived its session')), 5000))]);
    expect(text).toContain('event: revoked');
    abort.abort();

    // A token with api:read: revoked from the account page, its stream ends at the next check.
    const created = await c.json(camille, 'POST', '/api/me/tokens', { label: 'Flux', scopes: ['api:read'], expiresInDays: 7 });
    expect(created.status).toBe(201);
    const tokenAbort = new AbortController();
    const byToken = await fetch(url, { headers: { authorization: `Bearer ${created.body.token}` }, signal: tokenAbort.signal });
    expect(byToken.status).toBe(200);
    const tokenRead = (async () => {
      const reader = (byToken.body as ReadableStream<Uint8Array>).getReader();
      let all = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return all;
        all += new TextDecoder().decode(value);
      }
    })();
    expect((await c.json(camille, 'DELETE', `/api/me/tokens/${created.body.id}`)).status).toBe(204);
    const tokenText = await Promise.race([tokenRead, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('the stream outlived its token')), 5000))]);
    expect(tokenText).toContain('event: revoked');
    tokenAbort.abort();
  });

  it('refuses a 13th open stream of one agent (429), and takes one again once another closes', async () => {
    const open = [];
    try {
      for (let i = 0; i < 12; i++) {
        const stream = await listen(emilie);
        expect(stream.response.status).toBe(200);
        open.push(stream);
      }
      const refused = await listen(emilie);
      expect(refused.response.status).toBe(429);
      expect(refused.response.headers.get('retry-after')).toBe('30');
      // Another agent is not affected.
      const camilles = await listen(camille);
      expect(camilles.response.status).toBe(200);
      camilles.close();
      open.pop()?.close();
      const deadline = Date.now() + 5000;
      let status = 429;
      while (status === 429 && Date.now() < deadline) {
        const retry = await listen(emilie);
        status = retry.response.status;
        if (status === 200) open.push(retry);
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      for (const stream of open) stream.close();
    }
  });
});
