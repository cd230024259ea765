import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamDouble, type UpstreamDouble } from './support/openai-upstream.ts';
import { type AiUsageApp, awayFromMinuteEnd, CAMILLE, EMILIE, eventually, OLIVIER, startAiUsageApp } from './support/ai-usage-app.ts';
// ── review fixes (helper R1) ──
import type { Kysely } from 'kysely';
import { EMBEDDING_SERVICE_PRINCIPAL, embeddingServiceActor, internalCallContext } from '../src/assistant/embeddings/indexer.ts';
import { createEmbeddings, createGateway, type Gateway } from '../src/assistant/gateway/gateway.ts';
import type { EmbeddingsRequest } from '../src/assistant/gateway/schemas.ts';
import { type AiUsage, createAiUsage } from '../src/assistant/usage/ai-usage.ts';
import { memoryQuotaCounters } from '../src/assistant/usage/quota-counters.ts';
import type { Actor } from '../src/identity/actor.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
// ── end review fixes ──

/**
 * AI quotas (helper A): requests per minute, tokens per minute and per day, per agent and per
 * organisation (Émilie and Olivier share organisation 2; Camille is in another), enforced before
 * the upstream is called, answered to the official `openai` client as a 429 `rate_limit_error`
 * `quota_exceeded` naming the quota in `param`, with `Retry-After`, audited as denied. On the
 * Redis run, counters are shared by two servers of one deployment.
 */
let upstream: UpstreamDouble;

beforeAll(async () => {
  upstream = await startUpstreamDouble({ name: 'alpha', models: ['small-upstream', 'embed-upstream'] });
});
afterAll(async () => {
  await upstream?.close();
});

const say = (client: OpenAI, content: string) => client.chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content }] });
const words = (n: number) => Array.from({ length: n }, (_, i) => `mot${i}`).join(' ');

async function refusal(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    return error as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error('expected a 429');
}

function retryAfter(error: InstanceType<typeof OpenAI.APIError>): number {
  const headers = error.headers as Headers | Record<string, string> | undefined;
  const value = headers instanceof Headers ? headers.get('retry-after') : headers?.['retry-after'];
  return Number(value);
}

const secondsToUtcMidnight = () => Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);

type Case = { scope: 'agent' | 'organisation'; metric: 'requests_per_minute' | 'tokens_per_minute' | 'tokens_per_day' };
const CASES: Case[] = (['agent', 'organisation'] as const).flatMap((scope) =>
  (['requests_per_minute', 'tokens_per_minute', 'tokens_per_day'] as const).map((metric) => ({ scope, metric })),
);
const FIELD = { requests_per_minute: 'requestsPerMinute', tokens_per_minute: 'tokensPerMinute', tokens_per_day: 'tokensPerDay' } as const;

describe.each(CASES)('AI quota $scope.$metric', ({ scope, metric }) => {
  let app: AiUsageApp;
  const limit = metric === 'requests_per_minute' ? 3 : 60;
  beforeAll(async () => {
    app = await startAiUsageApp(upstream, { aiQuotas: { [scope === 'agent' ? 'perAgent' : 'perOrganisation']: { [FIELD[metric]]: limit } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 429 quota_exceeded with Retry-After once spent, before calling the upstream, and audits the refusal', async () => {
    await awayFromMinuteEnd();
    const emilie = await app.client(EMILIE);
    const olivier = await app.client(OLIVIER, { language: 'en' });
    const camille = await app.client(CAMILLE);
    // Spend the quota: Émilie alone for an agent's quota, Émilie then Olivier for the organisation's.
    if (metric === 'requests_per_minute') {
      await say(emilie, 'un');
      await say(emilie, 'deux');
      await say(scope === 'organisation' ? olivier : emilie, 'trois');
    } else {
      // The double counts words: 40 prompt words and the echoed answer (44 words) pass 60 tokens.
      const answer = await say(emilie, words(40));
      expect((answer.usage?.prompt_tokens ?? 0) + (answer.usage?.completion_tokens ?? 0)).toBeGreaterThan(limit);
    }
    const before = upstream.requests.length;
    const refusedAgent = scope === 'organisation' ? olivier : emilie;
    // Redis charges the real tokens a moment after the answer: poll the refusal briefly.
    const error = await eventually(async () => {
      try {
        await say(refusedAgent, 'encore');
        return undefined;
      } catch (e) {
        return e;
      }
    }).then((e) => refusal(Promise.reject(e)));
    expect(error.status).toBe(429);
    expect(error.code).toBe('quota_exceeded');
    expect(error.param).toBe(`${scope}.${metric}`);
    expect(error.type).toBe('rate_limit_error');
    // Olivier reads English; Émilie French.
    expect(error.message).toMatch(scope === 'organisation' ? /AI quota reached: your organisation’s/ : /Quota d’IA atteint : vos/);
    const wait = retryAfter(error);
    if (metric === 'tokens_per_day') expect(Math.abs(wait - secondsToUtcMidnight())).toBeLessThanOrEqual(3);
    else {
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
    }
    expect(upstream.requests.length).toBe(before); // refused before the upstream

    // The other agent of organisation 2 still has an agent's quota; nobody else shares an organisation's.
    if (scope === 'agent') expect((await say(olivier, 'bonjour')).choices[0]?.message.content).toContain('bonjour');
    else await refusal(say(emilie, 'encore'));
    expect((await say(camille, 'bonjour')).choices[0]?.message.content).toContain('bonjour');

    const denied = await eventually(async () => {
      const rows = await app.t.entente.audit.list({ jurisdiction: 'QC', action: 'ai.request', actorId: refusedAgent === olivier ? OLIVIER.id : EMILIE.id, limit: 100 });
      return rows.find((r) => r.outcome === 'denied');
    });
    expect(denied.details).toMatchObject({ status: 429, quota: `${scope}.${metric}`, attempts: 0 });
  });
});

describe('AI quotas: the estimate at admission', () => {
  let app: AiUsageApp;
  beforeAll(async () => {
    app = await startAiUsageApp(upstream, { aiQuotas: { perAgent: { tokensPerMinute: 100 } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a prompt whose estimate (characters / 4) would pass the window in use, before the upstream counts it', async () => {
    await awayFromMinuteEnd();
    const olivier = await app.client(OLIVIER);
    await say(olivier, 'bonjour'); // a few tokens: the window is in use
    const before = upstream.requests.length;
    // One "word" for the double, but 800 characters: about 200 tokens by the estimate.
    const error = await refusal(say(olivier, 'x'.repeat(800)));
    expect(error.param).toBe('agent.tokens_per_minute');
    expect(upstream.requests.length).toBe(before);
    // Embeddings count too.
    const embed = await refusal(olivier.embeddings.create({ model: 'entente-embed', input: 'y'.repeat(800) }));
    expect(embed.param).toBe('agent.tokens_per_minute');
  });
});

// ── review fixes (helper R1) ──
// biome-ignore lint/suspicious/noExplicitAny: tests read the table as it is
const usageRowsOf = (app: AiUsageApp, j: 'FR' | 'QC', principalId: string) => (app.t.entente.stores.cells[j].db as unknown as Kysely<any>).selectFrom('ai_usage').selectAll().where('principal_id', '=', principalId).orderBy('created_at').execute();
const HUGO = DEMO_AGENTS[1]!; // FR, organisation 0
const estimateOf = (messages: unknown) => Math.ceil(JSON.stringify(messages).length / 4);

describe('AI quotas: tokens charged when the upstream does not count them', () => {
  let app: AiUsageApp;
  beforeAll(async () => {
    app = await startAiUsageApp(upstream, { aiQuotas: { perAgent: { tokensPerMinute: 100 } } });
  });
  afterAll(async () => {
    upstream.behave({ kind: 'answer' });
    await app?.close();
  });

  it('charges a stream without usage its relayed characters / 4 (and the prompt estimate): the row says so and tokens per minute bite', async () => {
    await awayFromMinuteEnd();
    const olivier = await app.client(OLIVIER);
    upstream.behave({ kind: 'answer', noUsage: true });
    const messages = [{ role: 'user' as const, content: 'x'.repeat(200) }];
    const stream = await olivier.chat.completions.create({ model: 'entente-small', stream: true, stream_options: { include_usage: true }, messages });
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      expect(chunk.usage ?? null).toBeNull(); // the upstream never counted
    }
    expect(text).toBe(`Réponse de alpha : ${'x'.repeat(200)}`);
    const row = await eventually(async () => (await usageRowsOf(app, 'QC', OLIVIER.id))[0]);
    expect(row).toMatchObject({ status: 200, stream: true, prompt_tokens: estimateOf(messages), completion_tokens: Math.ceil(text.length / 4) });
    // 58 + 55 tokens > 100: the next request waits for the next minute (not 58 + its own, admitted).
    upstream.behave({ kind: 'answer' });
    // One try (no polling, which would spend the window by itself): the row is written after the charge.
    const error = await refusal(say(olivier, 'encore'));
    expect(error.param).toBe('agent.tokens_per_minute');
  });

  it('charges a whole answer without usage from its text', async () => {
    await awayFromMinuteEnd();
    const emilie = await app.client(EMILIE);
    upstream.behave({ kind: 'answer', noUsage: true });
    const messages = [{ role: 'user' as const, content: 'y'.repeat(200) }];
    const answer = await emilie.chat.completions.create({ model: 'entente-small', messages });
    expect(answer.usage).toBeUndefined();
    const text = answer.choices[0]?.message.content ?? '';
    const row = await eventually(async () => (await usageRowsOf(app, 'QC', EMILIE.id))[0]);
    expect(row).toMatchObject({ status: 200, stream: false, prompt_tokens: estimateOf(messages), completion_tokens: Math.ceil(text.length / 4) });
    upstream.behave({ kind: 'answer' });
    const error = await refusal(say(emilie, 'encore'));
    expect(error.param).toBe('agent.tokens_per_minute');
  });

  it('charges a stream the client left before the usage chunk, and one the upstream cut', async () => {
    await awayFromMinuteEnd();
    const camille = await app.client(CAMILLE);
    const messages = [{ role: 'user' as const, content: words(30) }];
    upstream.behave({ kind: 'answer', chunkDelayMs: 30 });
    const stream = await camille.chat.completions.create({ model: 'entente-small', stream: true, stream_options: { include_usage: true }, messages });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (++chunks === 6) break; // the client goes away (the iterator's return aborts the request)
    }
    expect(text.length).toBeGreaterThan(0);
    const left = await eventually(async () => (await usageRowsOf(app, 'FR', CAMILLE.id)).find((r) => r.status === 499));
    expect(left.prompt_tokens).toBe(estimateOf(messages));
    expect(left.completion_tokens).toBeGreaterThanOrEqual(Math.ceil(text.length / 4));

    // Hugo (another agent: Camille's window is spent by now).
    const hugo = await app.client(HUGO);
    upstream.behave({ kind: 'close-mid-stream', afterChunks: 10 });
    const cut = await hugo.chat.completions.create({ model: 'entente-small', stream: true, messages });
    let cutText = '';
    await expect(
      (async () => {
        for await (const chunk of cut) cutText += chunk.choices[0]?.delta?.content ?? '';
      })(),
    ).rejects.toThrow();
    const interrupted = await eventually(async () => (await usageRowsOf(app, 'FR', HUGO.id)).find((r) => r.status === 502));
    expect(interrupted.prompt_tokens).toBe(estimateOf(messages));
    expect(interrupted.completion_tokens).toBe(Math.ceil(cutText.length / 4));
    expect(interrupted.completion_tokens).toBeGreaterThan(0);
  });
});

describe('AI quotas: the embeddings indexer’s service actor', () => {
  let app: AiUsageApp;
  let gateway: Gateway;
  let usage: AiUsage;
  beforeAll(async () => {
    app = await startAiUsageApp(upstream, { aiQuotas: { perAgent: { requestsPerMinute: 1 } } });
    // A gateway like the server's, with its quotas and usage accounting (the indexer's path).
    const e = app.t.entente;
    usage = createAiUsage({ stores: e.stores, cells: e.cells, logger: e.logger, quotas: e.config.aiQuotas, counters: memoryQuotaCounters() });
    gateway = createGateway(e.config.ai.providers, { audit: e.audit, logger: e.logger, usage });
  });
  afterAll(async () => {
    await gateway?.flush();
    await usage?.close();
    await app?.close();
  });

  it('has no quota (its volume is bounded by the documents) but its requests are counted', async () => {
    await awayFromMinuteEnd();
    const service = embeddingServiceActor('QC');
    const embed = (actor: Actor) => createEmbeddings(gateway, actor, { model: 'entente-embed', input: ['un passage', 'un autre'] } as EmbeddingsRequest, internalCallContext({ documentIds: [] }));
    for (let i = 0; i < 3; i++) await embed(service);
    // The same actor's shape, not made by the indexer: an agent, with the agent's quota (1 a minute).
    const lookalike: Actor = { ...service, principalId: OLIVIER.id };
    await embed(lookalike);
    await expect(embed(lookalike)).rejects.toMatchObject({ status: 429, param: 'agent.requests_per_minute' });
    await gateway.flush();
    const rows = await usageRowsOf(app, 'QC', EMBEDDING_SERVICE_PRINCIPAL);
    expect(rows.map((r) => [r.endpoint, r.status])).toEqual([
      ['embeddings', 200],
      ['embeddings', 200],
      ['embeddings', 200],
    ]);
  });
});
// ── end review fixes ──

describe.skipIf(!process.env.ENTENTE_TEST_REDIS_URL)('AI quotas on two servers sharing Redis', () => {
  let one: AiUsageApp;
  let two: AiUsageApp;
  beforeAll(async () => {
    // Two nodes of one deployment: the same public URL (the counters' namespace), one Redis.
    const publicUrl = `http://entente-quotas-${Date.now()}.test`;
    const aiQuotas = { perAgent: { requestsPerMinute: 3 } };
    one = await startAiUsageApp(upstream, { aiQuotas, env: { ENTENTE_PUBLIC_URL: publicUrl } });
    two = await startAiUsageApp(upstream, { aiQuotas, env: { ENTENTE_PUBLIC_URL: publicUrl } });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('counts an agent’s requests on both servers together', async () => {
    await awayFromMinuteEnd();
    const a = await one.client(OLIVIER);
    const b = await two.client(OLIVIER);
    await say(a, 'un');
    await say(b, 'deux');
    await say(a, 'trois');
    const error = await refusal(say(b, 'quatre'));
    expect(error.param).toBe('agent.requests_per_minute');
    await refusal(say(a, 'cinq'));
  });
});
