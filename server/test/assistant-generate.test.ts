import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embedPending } from '../src/assistant/embeddings/indexer.ts';
import { type AskWorld, CHAT_ALIAS, CLASSIFIED, EMAIL, EMBED_ALIAS, SECRET, startAskWorld } from './support/assistant-ask-fixture.ts';

/**
 * The generated « ask my documents » (contracts C4) through the real server and the gateway's
 * use case, against the upstream double (which answers « Réponse de double : <the user message> »,
 * so what it received is also what it says): SSE `passages` first, `delta`…, `done`; numbered
 * passages in the prompt that the answer cites; and never the text of a document the asker may not
 * read — neither in what the upstream receives nor in the citations. Refusals before anything is
 * sent are plain problems; a failure mid-answer is an `error` event.
 */
let w: AskWorld;
beforeAll(async () => {
  w = await startAskWorld();
  await embedPending({ stores: w.t.entente.stores, gateway: w.gateway, model: EMBED_ALIAS, logger: w.t.entente.logger }, 100);
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => {
  w.upstream.behave({ kind: 'answer' });
});

interface SseEvent {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads events loosely and asserts on them
  data: any;
}
function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) };
    });
}
const SSE = { accept: 'text/event-stream' };
const chatRequests = () => w.upstream.requests.filter((r) => r.path === '/v1/chat/completions');
const lastPrompt = () => JSON.stringify(chatRequests().at(-1)?.body?.messages ?? null);
const answerText = (events: SseEvent[]) =>
  events
    .filter((e) => e.event === 'delta')
    .map((e) => e.data.text)
    .join('');

describe('a generated answer citing the passages', () => {
  it('streams the passages, then the answer citing them [n], then done', async () => {
    const before = chatRequests().length;
    const response = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?', model: CHAT_ALIAS }, SSE);
    expect(response.status).toBe(200);
    expect(response.type).toContain('text/event-stream');
    const events = parseSse(response.text);
    expect(events[0]?.event).toBe('passages');
    const passages = events[0]?.data.passages as { n: number; documentId: string; text: string }[];
    expect(passages[0]).toMatchObject({ n: 1, documentId: w.docs.teletravail });
    expect(events[0]?.data.retrieval.mode).toBe('hybrid');
    expect(events.at(-1)).toEqual({
      event: 'done',
      // The provider's trust is the default (standard), below the policy's threshold: pseudonymised.
      data: { model: CHAT_ALIAS, generated: true, redacted: true, label: 'assistantAsk.generatedLabel', retrieval: events[0]?.data.retrieval },
    });
    expect(events.filter((e) => e.event === 'delta').length).toBeGreaterThan(3);
    // One request upstream, streamed, with the grounded prompt: system rules, then the numbered passages and the question.
    expect(chatRequests().length).toBe(before + 1);
    const body = chatRequests().at(-1)?.body as { model: string; stream: boolean; messages: { role: string; content: string }[] };
    expect(body.model).toBe('chat-upstream');
    expect(body.stream).toBe(true);
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages[0]?.content).toMatch(/UNIQUEMENT à partir des passages/);
    expect(body.messages[1]?.content).toContain(`[1] « Procédure de télétravail »\n${passages[0]?.text}`);
    expect(body.messages[1]?.content).toMatch(/Question : Combien de jours de télétravail par semaine \?$/);
    // The double's answer repeats the prompt: it cites [1] as the passages are numbered.
    const text = answerText(events);
    expect(text).toContain('[1]');
    expect(text).toContain('deux jours par semaine');
  });

  it('never sends nor cites a passage of a document the asker may not read', async () => {
    const question = 'Quel est le code du coffre-fort de la direction ?';
    const olivier = parseSse((await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question, model: CHAT_ALIAS }, SSE)).text);
    expect(JSON.stringify(olivier)).not.toContain(SECRET);
    expect(((olivier[0]?.data.passages ?? []) as { documentId: string }[]).map((p) => p.documentId)).not.toContain(w.docs.coffre);
    const sentToOlivier = w.upstream.requests.map((r) => JSON.stringify(r.body)).filter((b) => b.includes('coffre-fort de la direction ?'));
    expect(sentToOlivier.join('\n')).not.toContain(SECRET);
    // Hugo, from another space altogether.
    const hugo = await w.api(w.agents.hugo, 'POST', '/api/assistant/ask', { question, model: CHAT_ALIAS }, SSE);
    expect(hugo.text).not.toContain(SECRET);
    // The owner may read it: the same question sends it (the test can fail).
    const camille = parseSse((await w.api(w.agents.camille, 'POST', '/api/assistant/ask', { question, model: CHAT_ALIAS }, SSE)).text);
    expect(camille[0]?.data.passages[0].documentId).toBe(w.docs.coffre);
    expect(lastPrompt()).toContain(SECRET);
    expect(answerText(camille)).toContain(SECRET);
  });

  it('pseudonymises personal identifiers of the passages before the model, and restores them in the answer', async () => {
    const events = parseSse((await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'À qui écrire pour le bulletin de paie ?', model: CHAT_ALIAS }, SSE)).text);
    expect(events[0]?.data.passages[0].documentId).toBe(w.docs.paie);
    expect(lastPrompt()).not.toContain(EMAIL);
    expect(events.at(-1)?.data.redacted).toBe(true);
    // The double repeats what it received: the agent sees the address restored.
    expect(answerText(events)).toContain(EMAIL);
  });

  it('asks no model when no passage answers', async () => {
    const before = chatRequests().length;
    const events = parseSse((await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Quoi ? Comment ?', model: CHAT_ALIAS }, SSE)).text);
    expect(events.map((e) => e.event)).toEqual(['passages', 'done']);
    expect(events[1]?.data.generated).toBe(false);
    expect(chatRequests().length).toBe(before);
  });

  it('records the cited documents as read, with the model, without the question', async () => {
    await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Quelle indemnité forfaitaire par jour ?', model: CHAT_ALIAS }, SSE);
    const events = (await w.t.entente.audit.list({ jurisdiction: 'QC', action: 'workspace.document.read', resourceId: w.docs.teletravail, limit: 50 })).filter(
      (e) => e.actor_id === w.agents.olivier.id && e.details.generated === true,
    );
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events[0]?.details).toMatchObject({ via: 'assistant.ask', model: CHAT_ALIAS });
    expect(JSON.stringify(events)).not.toContain('forfaitaire par jour');
  });
});

describe('refusals and failures', () => {
  it('refuses, with a plain problem and before any upstream call, a classified document the model is not cleared for', async () => {
    const before = chatRequests().length;
    const response = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Où se fait le repli en cas de crise ?', model: CHAT_ALIAS }, SSE);
    expect(response.status).toBe(403);
    expect(response.type).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 403, code: 'classification_refused', type: 'urn:entente:problem:ai-classification-refused' });
    expect(response.body.detail.length).toBeGreaterThan(10);
    expect(response.text).not.toContain(CLASSIFIED);
    expect(chatRequests().length).toBe(before);
    expect(JSON.stringify(w.upstream.requests.map((r) => r.body))).not.toContain(CLASSIFIED);
  });

  it('answers a problem for an unknown model, a missing Accept, a token without the ai scope, and anonymous callers', async () => {
    const unknown = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'télétravail', model: 'nope' }, SSE);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    const embeddingsModel = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'télétravail', model: EMBED_ALIAS }, SSE);
    expect(embeddingsModel.status).toBe(400);
    const notSse = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'télétravail', model: CHAT_ALIAS });
    expect(notSse.status).toBe(406);
    expect(notSse.type).toContain('application/problem+json');
    const token = (await w.api(w.agents.olivier, 'POST', '/api/me/tokens', { label: 'Lecture', scopes: ['api:read'], expiresInDays: 1 })).body.token as string;
    const scoped = await w.api(null, 'POST', '/api/assistant/ask', { question: 'télétravail', model: CHAT_ALIAS }, { ...SSE, authorization: `Bearer ${token}` });
    expect(scoped.status).toBe(403);
    expect(scoped.body.code).toBe('insufficient_scope');
    expect((await w.api(null, 'POST', '/api/assistant/ask', { question: 'télétravail', model: CHAT_ALIAS }, SSE)).status).toBe(401);
    for (const model of ['', 'x'.repeat(129), 42]) expect((await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'télétravail', model }, SSE)).status).toBe(400);
  });

  it('ends with an error event when the model fails in the middle of the answer', async () => {
    w.upstream.behave((r) => (r.path === '/v1/chat/completions' ? { kind: 'close-mid-stream', afterChunks: 3 } : { kind: 'answer' }));
    const response = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?', model: CHAT_ALIAS }, SSE);
    expect(response.status).toBe(200);
    const events = parseSse(response.text);
    expect(events[0]?.event).toBe('passages');
    expect(events.at(-1)?.event).toBe('error');
    expect(events.at(-1)?.data).toMatchObject({ status: 502, code: 'upstream_interrupted' });
    expect(events.some((e) => e.event === 'done')).toBe(false);
  });

  it('releases the model’s stream when the client leaves while the answer is being prepared', async () => {
    // A slow answer: the upstream request is still open when the client leaves.
    w.upstream.behave((r) => (r.path === '/v1/chat/completions' ? { kind: 'answer', chunks: 30, chunkDelayMs: 100 } : { kind: 'answer' }));
    const session = await w.t.signIn(w.agents.olivier as Parameters<typeof w.t.signIn>[0]);
    const client = new AbortController();
    const before = chatRequests().length;
    const until = async (condition: () => boolean, ms = 5_000) => {
      for (const end = Date.now() + ms; !condition() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    };
    // The gap: the model's stream is open, the cited documents are being audited. The client leaves
    // there, and the audit goes on only once the server has seen it go (it aborts the upstream request).
    const audit = w.t.entente.audit;
    const record = audit.record;
    audit.record = async (event, db) => {
      if (event.action === 'workspace.document.read' && event.details?.via === 'assistant.ask' && event.details?.generated === true && !client.signal.aborted) {
        client.abort();
        await until(() => chatRequests()[before]?.aborted === true);
      }
      return record.call(audit, event, db);
    };
    const aborted499 = async () =>
      (await audit.list({ jurisdiction: 'QC', action: 'ai.request', limit: 200 })).filter((e) => e.actor_id === w.agents.olivier.id && e.details.status === 499).length;
    const seen = await aborted499();
    try {
      const gone = fetch(`${w.t.baseUrl}/api/assistant/ask`, {
        method: 'POST',
        headers: { ...session.headers, ...SSE, 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'Combien de jours de télétravail par semaine ?', model: CHAT_ALIAS }),
        signal: client.signal,
      });
      await expect(gone).rejects.toThrow();
      await until(() => chatRequests()[before]?.aborted === true);
      expect(chatRequests()[before]?.aborted).toBe(true);
      // The stream was closed: the request is audited (499, the client went away) and its replica released.
      let count = seen;
      for (const end = Date.now() + 5_000; count === seen && Date.now() < end; count = await aborted499()) await new Promise((r) => setTimeout(r, 50));
      expect(count).toBe(seen + 1);
    } finally {
      audit.record = record;
      w.upstream.behave({ kind: 'answer' });
    }
    // And the next question is answered as usual.
    const next = parseSse((await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?', model: CHAT_ALIAS }, SSE)).text);
    expect(next.at(-1)?.event).toBe('done');
  });

  it('refuses before anything when the upstream is down', async () => {
    w.upstream.behave((r) => (r.path === '/v1/chat/completions' ? { kind: 'status', status: 503 } : { kind: 'answer' }));
    const response = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?', model: CHAT_ALIAS }, SSE);
    expect(response.status).toBe(502);
    expect(response.type).toContain('application/problem+json');
    expect(response.body.code).toBe('upstream_unavailable');
  });
});
