import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { startUpstreamDouble, type UpstreamDouble } from './support/openai-upstream.ts';

/**
 * The AI gateway (/ai/v1) in front of two OpenAI-compatible doubles serving one alias (two
 * replicas, one with its own API key) and an embeddings model: what an OpenAI client sees, what
 * the upstreams receive, routing, failover, timeouts and cancellation.
 */
const ALPHA_KEY = 'sk-alpha-upstream-key-0123456789';
const TIMEOUT_MS = 1500;
let t: TestApp;
let alpha: UpstreamDouble;
let beta: UpstreamDouble;
let configDir: string;
let camille: TestSession;
let aiToken: string;
let readToken: string;

beforeAll(async () => {
  alpha = await startUpstreamDouble({ name: 'alpha', apiKey: ALPHA_KEY, models: ['small-upstream-a', 'embed-a'] });
  beta = await startUpstreamDouble({ name: 'beta', models: ['small-upstream-b'] });
  configDir = mkdtempSync(path.join(tmpdir(), 'entente-ai-'));
  const configFile = path.join(configDir, 'entente.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      aiProviders: [
        {
          id: 'alpha',
          baseUrl: alpha.baseUrl,
          apiKey: ALPHA_KEY,
          models: [
            { name: 'small-upstream-a', alias: 'entente-small', kind: 'chat', contextWindow: 32768 },
            { name: 'embed-a', alias: 'entente-embed', kind: 'embeddings' },
          ],
          jurisdiction: 'FR',
          maxClassification: 'diffusion-restreinte',
          timeoutMs: TIMEOUT_MS,
        },
        {
          id: 'beta',
          baseUrl: `${beta.baseUrl}/`,
          models: [{ name: 'small-upstream-b', alias: 'entente-small', kind: 'chat', contextWindow: 65536 }],
          jurisdiction: 'QC',
          maxClassification: 'non-protege',
          timeoutMs: TIMEOUT_MS,
        },
        {
          // alpha again, with a key it does not accept: an operator's mistake.
          id: 'alpha-bad-key',
          baseUrl: alpha.baseUrl,
          apiKey: 'sk-wrong-key-of-the-operator',
          models: [{ name: 'small-upstream-a', alias: 'entente-misconfigured', kind: 'chat' }],
          jurisdiction: 'FR',
          maxClassification: 'non-protege',
          timeoutMs: TIMEOUT_MS,
        },
      ],
    }),
  );
  t = await startTestApp({ env: { ENTENTE_CONFIG: configFile } });
  camille = await t.signIn(DEMO_AGENTS[0]!);
  aiToken = await createToken(['ai']);
  readToken = await createToken(['api:read']);
});

afterAll(async () => {
  await t?.close();
  await alpha?.close();
  await beta?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

beforeEach(() => {
  alpha.behave({ kind: 'answer' });
  beta.behave({ kind: 'answer' });
});

async function createToken(scopes: string[]): Promise<string> {
  const response = await fetch(`${t.baseUrl}/api/me/tokens`, {
    method: 'POST',
    headers: { ...camille.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ label: `ia ${scopes.join(' ')}`, scopes, expiresInDays: 1 }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

function ai(pathname: string, body?: unknown, init: { token?: string | null; headers?: Record<string, string>; signal?: AbortSignal; raw?: string } = {}) {
  const token = init.token === undefined ? aiToken : init.token;
  return fetch(`${t.baseUrl}/ai/v1${pathname}`, {
    method: body === undefined && init.raw === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined || init.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    signal: init.signal,
  });
}

/**
 * A body over the limit, on its own connection closed after the answer: the server answers 413
 * before reading the body, and a kept-alive connection with an unread body would hold the
 * server's shutdown until its keep-alive timeout.
 */
function oversized(body: unknown, token: string | null = aiToken): Promise<{ status: number; body: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${t.baseUrl}/ai/v1/chat/completions`,
      { method: 'POST', agent: false, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', 'content-length': payload.length } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          request.destroy();
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const chat = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'entente-small', messages: [{ role: 'user', content }], ...extra });

type OpenAiError = { error: { message: string; type: string; param: string | null; code: string } };

async function expectError(response: Response, status: number, code: string, param: string | null = null): Promise<OpenAiError> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as OpenAiError;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code, param });
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(10);
  return body;
}

/** The `data:` payloads of an SSE body, in order. */
function events(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      return block.slice('data: '.length);
    });
}

const contentOf = (payloads: string[]) =>
  payloads
    .filter((p) => p !== '[DONE]')
    .map((p) => JSON.parse(p) as { choices: { delta?: { content?: string } }[] })
    .map((c) => c.choices[0]?.delta?.content ?? '')
    .join('');

const served = (response: { choices: { message: { content: string } }[] }) => response.choices[0]!.message.content.split(' ')[2] ?? '';

describe('AI gateway: what an OpenAI client sees', () => {
  it('lists the configured aliases, not the upstreams’ names, addresses or keys', async () => {
    const response = await ai('/models');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; data: { id: string; object: string; kind: string; context_window: number | null; jurisdictions: string[] }[] };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m.id)).toEqual(['entente-embed', 'entente-misconfigured', 'entente-small']);
    expect(body.data.find((m) => m.id === 'entente-small')).toMatchObject({ object: 'model', kind: 'chat', context_window: 32768, jurisdictions: ['FR', 'QC'] });
    const text = JSON.stringify(body);
    for (const secret of ['small-upstream-a', 'embed-a', ALPHA_KEY, '127.0.0.1']) expect(text).not.toContain(secret);
  });

  it('answers a chat completion with the alias and the upstream’s usage; the upstream gets its own name and key, never the agent’s token', async () => {
    const before = alpha.requests.length + beta.requests.length;
    const response = await ai('/chat/completions', chat('Quelle est la capitale du Québec ?', { temperature: 0.2, seed: 7 }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; model: string; choices: { message: { role: string; content: string }; finish_reason: string }[]; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('entente-small');
    expect(body.choices[0]!.message.role).toBe('assistant');
    expect(body.choices[0]!.message.content).toMatch(/^Réponse de (alpha|beta) : Quelle est la capitale du Québec \?$/);
    expect(body.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 11 });
    const all = [...alpha.requests, ...beta.requests];
    expect(all.length).toBe(before + 1);
    const upstream = all.sort((a, b) => b.receivedAt - a.receivedAt)[0]!;
    const which = served(body);
    expect(upstream.body).toMatchObject({ model: which === 'alpha' ? 'small-upstream-a' : 'small-upstream-b', temperature: 0.2, seed: 7 });
    expect(upstream.headers.authorization).toBe(which === 'alpha' ? `Bearer ${ALPHA_KEY}` : undefined);
    expect(JSON.stringify(upstream.headers)).not.toContain('ent_pat_');
    expect(JSON.stringify(upstream.headers)).not.toContain(aiToken);
  });

  it('streams server-sent events ending with [DONE]; usage only when asked with stream_options.include_usage', async () => {
    const response = await ai('/chat/completions', chat('Bonjour à tous', { stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const payloads = events(await response.text());
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(contentOf(payloads)).toMatch(/^Réponse de (alpha|beta) : Bonjour à tous$/);
    for (const p of payloads.slice(0, -1)) {
      const chunk = JSON.parse(p) as Record<string, unknown>;
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.model).toBe('entente-small');
      expect(chunk).not.toHaveProperty('usage');
    }
    // Usage is always asked of the upstream (for accounting), even when the client does not.
    const last = [...alpha.requests, ...beta.requests].sort((a, b) => b.receivedAt - a.receivedAt)[0]!;
    expect(last.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    // A complete answer is read to its end, not aborted (its connection can be reused).
    await alpha.waitFor(() => last.completed || last.aborted);
    expect(last).toMatchObject({ completed: true, aborted: false });

    const withUsage = events(await (await ai('/chat/completions', chat('Bonjour', { stream: true, stream_options: { include_usage: true } }))).text());
    expect(withUsage.at(-1)).toBe('[DONE]');
    const usageChunk = JSON.parse(withUsage.at(-2)!) as { choices: unknown[]; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 5 });
  });

  it('computes embeddings with the alias’s upstream', async () => {
    const response = await ai('/embeddings', { model: 'entente-embed', input: ['un', 'deux mots'] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; model: string; data: { index: number; embedding: number[] }[]; usage: { prompt_tokens: number } };
    expect(body).toMatchObject({ object: 'list', model: 'entente-embed', usage: { prompt_tokens: 3 } });
    expect(body.data.map((d) => d.index)).toEqual([0, 1]);
    expect(body.data[0]!.embedding).toHaveLength(8);
    expect(body.data[0]!.embedding).not.toEqual(body.data[1]!.embedding);
    expect(alpha.requests.at(-1)!.body).toMatchObject({ model: 'embed-a', input: ['un', 'deux mots'] });
  });

  it('refuses a missing, unknown or foreign key with 401, and a token without scope ai with 403, in OpenAI’s format', async () => {
    const before = alpha.requests.length + beta.requests.length;
    const anonymous = await expectError(await ai('/chat/completions', chat('x'), { token: null }), 401, 'invalid_api_key');
    expect(anonymous.error.type).toBe('authentication_error');
    await expectError(await ai('/models', undefined, { token: `ent_pat_${'A'.repeat(43)}` }), 401, 'invalid_api_key');
    await expectError(await ai('/chat/completions', chat('x'), { token: 'sk-not-an-entente-key' }), 401, 'invalid_api_key');
    const scope = await expectError(await ai('/chat/completions', chat('x'), { token: readToken }), 403, 'insufficient_scope');
    expect(scope.error.type).toBe('permission_error');
    expect(alpha.requests.length + beta.requests.length).toBe(before);
  });

  it('speaks the agent’s language in its error messages', async () => {
    const fr = await expectError(await ai('/chat/completions', chat('x', { model: 'inconnu' })), 404, 'model_not_found', 'model');
    expect(fr.error.message).toContain('Le modèle « inconnu » n’existe pas');
    const en = await expectError(await ai('/chat/completions', chat('x', { model: 'unknown' }), { headers: { 'accept-language': 'en' } }), 404, 'model_not_found', 'model');
    expect(en.error.message).toContain('The model "unknown" does not exist');
    expect(en.error.type).toBe('invalid_request_error');
  });

  it('refuses malformed requests with 4xx naming the parameter, before any upstream is called', async () => {
    const before = alpha.requests.length + beta.requests.length;
    await expectError(await ai('/chat/completions', chat('x', { n: 2 })), 400, 'unsupported_value', 'n');
    await expectError(await ai('/chat/completions', { model: 'entente-small' }), 400, 'invalid_value', 'messages');
    await expectError(await ai('/chat/completions', { model: 'entente-small', messages: [{ role: 'robot', content: 'x' }] }), 400, 'invalid_value', 'messages[0].role');
    await expectError(await ai('/chat/completions', chat('x', { stream: 'yes' })), 400, 'invalid_value', 'stream');
    await expectError(await ai('/chat/completions', chat('x', { model: 'entente-embed' })), 400, 'model_not_supported', 'model');
    await expectError(await ai('/embeddings', { model: 'entente-small', input: 'x' }), 400, 'model_not_supported', 'model');
    await expectError(await ai('/embeddings', { model: 'entente-embed', input: 42 }), 400, 'invalid_value', 'input');
    await expectError(await ai('/chat/completions', undefined, { raw: '{"model": ' }), 400, 'invalid_json');
    await expectError(await ai('/chat/completions', undefined, { raw: '[1, 2]' }), 400, 'invalid_json');
    const text = await fetch(`${t.baseUrl}/ai/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${aiToken}`, 'content-type': 'text/plain' }, body: 'bonjour' });
    await expectError(text, 415, 'unsupported_media_type');
    const huge = await oversized(chat('a'.repeat(9 * 1024 * 1024)));
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: { code: 'request_too_large', type: 'invalid_request_error' } });
    await expectError(await ai('/completions', { model: 'entente-small', prompt: 'x' }), 404, 'unknown_url');
    const wrongMethod = await ai('/chat/completions');
    await expectError(wrongMethod, 405, 'method_not_allowed');
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(alpha.requests.length + beta.requests.length).toBe(before);
  });

  it('serves the agent’s browser session, with the app’s CSRF rule', async () => {
    const withSession = await fetch(`${t.baseUrl}/ai/v1/chat/completions`, {
      method: 'POST',
      headers: { ...camille.headers, 'content-type': 'application/json' },
      body: JSON.stringify(chat('Depuis le navigateur')),
    });
    expect(withSession.status).toBe(200);
    const forged = await fetch(`${t.baseUrl}/ai/v1/chat/completions`, {
      method: 'POST',
      headers: { cookie: camille.cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(chat('Requête forgée')),
    });
    await expectError(forged, 403, 'csrf');
    const models = await fetch(`${t.baseUrl}/ai/v1/models`, { headers: { cookie: camille.cookie } });
    expect(models.status).toBe(200);
  });

  it('audits each request’s decision — who, model, provider, status, tokens — without the prompt', async () => {
    const secretPrompt = 'Le dossier médical de Jean Dupont, NIR 1 85 05 78 006 084 36';
    expect((await ai('/chat/completions', chat(secretPrompt))).status).toBe(200);
    expect((await ai('/chat/completions', chat('x', { model: 'absent' }))).status).toBe(404);
    const find = async () => t.entente.audit.list({ jurisdiction: 'FR', action: 'ai.request', actorId: DEMO_AGENTS[0]!.id, limit: 100 });
    let rows = await find();
    for (let i = 0; i < 100 && !rows.some((r) => r.resource_id === 'absent'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      rows = await find();
    }
    const ok = rows.find((r) => (r.details as { promptTokens?: number }).promptTokens === 14);
    expect(ok).toBeDefined();
    expect(ok).toMatchObject({ outcome: 'success', resource_type: 'ai_model', resource_id: 'entente-small' });
    expect(ok!.details).toMatchObject({ endpoint: 'chat.completions', stream: false, status: 200, via: 'token', attempts: 1, completionTokens: 18 });
    expect(['alpha', 'beta']).toContain((ok!.details as { provider: string }).provider);
    const missing = rows.find((r) => r.resource_id === 'absent');
    expect(missing).toMatchObject({ outcome: 'failure' });
    expect(missing!.details).toMatchObject({ status: 404, provider: null });
    expect(JSON.stringify(rows)).not.toContain('Dupont');
    expect(JSON.stringify(rows)).not.toContain('dossier');
  });
});

describe('AI gateway: what a hostile client cannot make the upstream do', () => {
  it('drops fields outside OpenAI’s API (server knobs, user) and refuses image URLs the upstream would fetch', async () => {
    const ok = await ai('/chat/completions', chat('Bonjour', { seed: 3, user: 'quelqu’un d’autre', chat_template: '{{ secrets }}', guided_regex: '.*' }));
    expect(ok.status).toBe(200);
    const last = [...alpha.requests, ...beta.requests].sort((a, b) => b.receivedAt - a.receivedAt)[0]!;
    expect(last.body).toMatchObject({ seed: 3 });
    expect(last.body).not.toHaveProperty('user');
    expect(last.body).not.toHaveProperty('chat_template');
    expect(last.body).not.toHaveProperty('guided_regex');

    const before = alpha.requests.length + beta.requests.length;
    const fetched = { role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://169.254.169.254/latest/meta-data/' } }] };
    expect((await ai('/chat/completions', { model: 'entente-small', messages: [fetched] })).status).toBe(400);
    const file = { role: 'user', content: [{ type: 'file', file: { file_id: 'x' } }] };
    expect((await ai('/chat/completions', { model: 'entente-small', messages: [file] })).status).toBe(400);
    expect(alpha.requests.length + beta.requests.length).toBe(before);
    const inline = { role: 'user', content: [{ type: 'text', text: 'Que montre l’image ?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] };
    expect((await ai('/chat/completions', { model: 'entente-small', messages: [inline] })).status).toBe(200);
  });

  it('lets one agent have 8 requests under way, not more: a ninth gets 429 with Retry-After, and a slot frees when one ends', async () => {
    // Eight streams that stay open (a chunk every 300 ms, well under the replicas' silence
    // timeout, for 12 s) until the test lets them go: however slow the machine, none ends early
    // and frees its slot before the ninth and tenth requests arrive.
    alpha.behave({ kind: 'answer', chunkDelayMs: 300, chunks: 40 });
    beta.behave({ kind: 'answer', chunkDelayMs: 300, chunks: 40 });
    const open = await Promise.all(Array.from({ length: 8 }, (_, i) => ai('/chat/completions', chat(`Parallèle ${i}`, { stream: true }))));
    expect(open.map((r) => r.status)).toEqual(Array(8).fill(200));
    const refused = await Promise.all([ai('/chat/completions', chat('Neuvième')), ai('/chat/completions', chat('Dixième', { stream: true }))]);
    for (const response of refused) {
      expect(response.headers.get('retry-after')).toBe('1');
      await expectError(response, 429, 'too_many_concurrent_requests');
    }
    await Promise.all(open.map((r) => r.body?.cancel()));
    alpha.behave({ kind: 'answer' });
    beta.behave({ kind: 'answer' });
    // The slots free as the gateway sees the clients go (a moment after the cancellations).
    let after = await ai('/chat/completions', chat('Après'));
    for (let i = 0; after.status === 429 && i < 50; i++) {
      await after.body?.cancel();
      await new Promise((r) => setTimeout(r, 100));
      after = await ai('/chat/completions', chat('Après'));
    }
    expect(after.status).toBe(200);
  });

  it('answers an anonymous oversized body with 401 before reading it', async () => {
    const response = await oversized(chat('x'.repeat(2 * 1024 * 1024)), null);
    expect(response.status).toBe(401);
  });

  it('keeps the upstream’s model names behind the alias in the refusals it passes on', async () => {
    alpha.behave({ kind: 'status', status: 404, body: { error: { message: 'The model `small-upstream-a` does not exist.', type: 'invalid_request_error', param: 'model', code: 'model_not_found' } } });
    beta.behave({ kind: 'status', status: 400, body: { error: { message: 'small-upstream-b: bad request', type: 'invalid_request_error', param: null, code: 'bad' } } });
    for (let i = 0; i < 2; i++) {
      const response = await ai('/chat/completions', chat(`Essai ${i}`));
      const text = await response.text();
      expect([400, 404]).toContain(response.status);
      expect(text).not.toContain('small-upstream');
    }
  });
});

describe('AI gateway: routing between replicas', () => {
  it('fails over to the other replica when one answers 500', async () => {
    alpha.behave({ kind: 'status', status: 500 });
    const alphaBefore = alpha.requests.length;
    for (let i = 0; i < 2; i++) {
      const response = await ai('/chat/completions', chat(`Essai ${i}`));
      expect(response.status).toBe(200);
      expect(served((await response.json()) as never)).toBe('beta');
    }
    // Two requests in a row start on different replicas when both are idle: alpha was tried.
    expect(alpha.requests.length).toBeGreaterThan(alphaBefore);
  });

  it('fails over when a replica refuses the connection, and in a stream before its first byte', async () => {
    alpha.behave({ kind: 'reset' });
    for (let i = 0; i < 2; i++) {
      const payloads = events(await (await ai('/chat/completions', chat(`Flux ${i}`, { stream: true }))).text());
      expect(contentOf(payloads)).toBe(`Réponse de beta : Flux ${i}`);
      expect(payloads.at(-1)).toBe('[DONE]');
    }
  });

  it('does not fail over on a 4xx: the upstream’s refusal goes back to the client', async () => {
    alpha.behave({ kind: 'status', status: 400, body: { error: { message: 'This model’s maximum context length is 32768 tokens.', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } } });
    const betaBefore = beta.requests.length;
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await ai('/chat/completions', chat(`Long ${i}`));
      statuses.push(response.status);
      if (response.status === 400) {
        const body = await expectError(response, 400, 'context_length_exceeded', 'messages');
        expect(body.error.message).toBe('This model’s maximum context length is 32768 tokens.');
      } else {
        expect(response.status).toBe(200);
        await response.body?.cancel();
      }
    }
    expect(statuses).toContain(400);
    expect(beta.requests.length - betaBefore).toBe(statuses.filter((s) => s === 200).length);
  });

  it('sends two slow requests to two different replicas (least busy)', async () => {
    alpha.behave({ kind: 'answer', delayMs: 600 });
    beta.behave({ kind: 'answer', delayMs: 600 });
    const [a0, b0] = [alpha.requests.length, beta.requests.length];
    const answers = await Promise.all([ai('/chat/completions', chat('Un')), ai('/chat/completions', chat('Deux'))]);
    const servedBy = await Promise.all(answers.map(async (r) => served((await r.json()) as never)));
    expect(servedBy.sort()).toEqual(['alpha', 'beta']);
    expect([alpha.requests.length - a0, beta.requests.length - b0]).toEqual([1, 1]);
  });

  it('keeps sending to the idle replica while the other is busy with a long answer', async () => {
    // A slow stream (a chunk every 300 ms, each well within the timeout) keeps one replica busy.
    const slowOrQuick = (r: { body: Record<string, unknown> | null }) =>
      r.body?.stream === true ? ({ kind: 'answer', chunkDelayMs: 300 } as const) : ({ kind: 'answer' } as const);
    alpha.behave(slowOrQuick);
    beta.behave(slowOrQuick);
    const slow = ai('/chat/completions', chat('un deux trois quatre cinq six sept huit neuf dix onze douze', { stream: true }));
    await alpha.waitFor(() => alpha.inFlight() + beta.inFlight() === 1);
    const busy = alpha.inFlight() === 1 ? 'alpha' : 'beta';
    const quick: string[] = [];
    for (let i = 0; i < 4; i++) quick.push(served((await (await ai('/chat/completions', chat(`Vite ${i}`))).json()) as never));
    // The slow one was still running: round-robin would have sent half of these to it.
    expect(alpha.inFlight() + beta.inFlight()).toBe(1);
    expect(quick).toEqual(Array(4).fill(busy === 'alpha' ? 'beta' : 'alpha'));
    expect(contentOf(events(await (await slow).text()))).toContain(`Réponse de ${busy}`);
  });

  it('times out a silent replica (aborting its request) and fails over; 504 when none answers', async () => {
    alpha.behave({ kind: 'hang' });
    const response = await ai('/chat/completions', chat('Patience'));
    expect(response.status).toBe(200);
    expect(served((await response.json()) as never)).toBe('beta');
    const again = await ai('/chat/completions', chat('Patience'));
    expect(served((await again.json()) as never)).toBe('beta');
    const hung = alpha.requests.filter((r) => (r.body?.messages as { content: string }[] | undefined)?.[0]?.content === 'Patience');
    expect(hung.length).toBeGreaterThan(0);
    await alpha.waitFor(() => hung.every((r) => r.aborted));

    beta.behave({ kind: 'hang' });
    const started = Date.now();
    const none = await ai('/chat/completions', chat('Personne'));
    await expectError(none, 504, 'upstream_timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * TIMEOUT_MS - 100);
    expect(Date.now() - started).toBeLessThan(2 * TIMEOUT_MS + 3000);
  });

  it('answers 502, not the upstream’s 401, when a provider refuses Entente’s own key', async () => {
    const body = await expectError(await ai('/chat/completions', chat('Clé', { model: 'entente-misconfigured' })), 502, 'upstream_unavailable');
    expect(body.error.message).not.toContain('API key');
    expect(alpha.requests.at(-1)!.headers.authorization).toBe('Bearer sk-wrong-key-of-the-operator');
  });

  it('answers 502 when every replica fails', async () => {
    alpha.behave({ kind: 'status', status: 503 });
    beta.behave({ kind: 'reset' });
    const body = await expectError(await ai('/chat/completions', chat('Rien')), 502, 'upstream_unavailable');
    expect(body.error.type).toBe('server_error');
    expect(body.error.message).toContain('entente-small');
  });

  it('ends a stream cut by its upstream with an error event and no [DONE]', async () => {
    alpha.behave({ kind: 'close-mid-stream', afterChunks: 2 });
    beta.behave({ kind: 'close-mid-stream', afterChunks: 2 });
    const response = await ai('/chat/completions', chat('Une phrase assez longue pour être coupée', { stream: true }));
    expect(response.status).toBe(200);
    const payloads = events(await response.text());
    expect(payloads).not.toContain('[DONE]');
    const last = JSON.parse(payloads.at(-1)!) as OpenAiError;
    expect(last.error).toMatchObject({ code: 'upstream_interrupted', type: 'server_error' });
    expect(contentOf(payloads.slice(0, -1))).toBe('Réponse de');
  });
});

describe('AI gateway: cancellation', () => {
  it('aborts the upstream request when the client goes away while waiting for a whole answer', async () => {
    alpha.behave({ kind: 'answer', delayMs: 10_000 });
    beta.behave({ kind: 'answer', delayMs: 10_000 });
    const controller = new AbortController();
    const pending = ai('/chat/completions', chat('Abandon'), { signal: controller.signal }).catch((e: unknown) => e);
    const upstream = () => [...alpha.requests, ...beta.requests].find((r) => (r.body?.messages as { content: string }[] | undefined)?.[0]?.content === 'Abandon');
    await alpha.waitFor(() => upstream() !== undefined);
    expect(upstream()!.aborted).toBe(false);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    await alpha.waitFor(() => upstream()!.aborted === true, 5000);
    expect(upstream()!.completed).toBe(false);
  });

  it('aborts the upstream stream when the client stops reading it', async () => {
    alpha.behave({ kind: 'answer', chunkDelayMs: 200 });
    beta.behave({ kind: 'answer', chunkDelayMs: 200 });
    const controller = new AbortController();
    const response = await ai('/chat/completions', chat('un deux trois quatre cinq six sept huit neuf dix', { stream: true }), { signal: controller.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('chat.completion.chunk');
    const upstream = [...alpha.requests, ...beta.requests].sort((a, b) => b.receivedAt - a.receivedAt)[0]!;
    expect(upstream.aborted).toBe(false);
    controller.abort();
    await alpha.waitFor(() => upstream.aborted, 5000);
    expect(upstream.completed).toBe(false);
    // The replica is free again: the next request is served at once.
    alpha.behave({ kind: 'answer' });
    beta.behave({ kind: 'answer' });
    expect((await ai('/chat/completions', chat('Après'))).status).toBe(200);
  });
});

describe('AI gateway: the official openai client', () => {
  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${t.baseUrl}/ai/v1`, maxRetries: 0, timeout: 10_000 });

  it('lists models, completes whole and streamed, and embeds, unchanged', async () => {
    const openai = client(aiToken);
    const models = [];
    for await (const model of openai.models.list()) models.push(model.id);
    expect(models).toEqual(expect.arrayContaining(['entente-small', 'entente-embed']));

    const whole = await openai.chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: 'Bonjour Québec' }] });
    expect(whole.choices[0]?.message.content).toMatch(/^Réponse de (alpha|beta) : Bonjour Québec$/);
    expect(whole.usage?.prompt_tokens).toBe(2);

    const stream = await openai.chat.completions.create({
      model: 'entente-small',
      messages: [{ role: 'user', content: 'Un deux trois' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: { prompt_tokens: number } | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toMatch(/^Réponse de (alpha|beta) : Un deux trois$/);
    expect(usage?.prompt_tokens).toBe(3);

    const embedded = await openai.embeddings.create({ model: 'entente-embed', input: 'souveraineté numérique', encoding_format: 'float' });
    expect(embedded.data[0]?.embedding).toHaveLength(8);
  });

  it('raises the client’s typed errors: 401 for a bad key, 403 without scope ai, 404 for an unknown model, 400 naming the parameter', async () => {
    const refused = await client(`ent_pat_${'B'.repeat(43)}`)
      .models.list()
      .then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');

    const scope = await client(readToken)
      .chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: 'x' }] })
      .then(() => null, (error: unknown) => error);
    expect(scope).toBeInstanceOf(OpenAI.PermissionDeniedError);

    const unknown = await client(aiToken)
      .chat.completions.create({ model: 'gpt-pas-ici', messages: [{ role: 'user', content: 'x' }] })
      .then(() => null, (error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');

    const bad = await client(aiToken)
      .chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: 'x' }], n: 3 })
      .then(() => null, (error: unknown) => error);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('n');
  });
});
