import { type Kysely, sql } from 'kysely';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentLoggingFor, openContent, sweepContentLog } from '../src/assistant/usage/index.ts';
import { DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { type AiUsageApp, CAMILLE, EMILIE, eventually, OLIVIER, startAiUsageApp } from './support/ai-usage-app.ts';
import { startUpstreamDouble, type UpstreamDouble } from './support/openai-upstream.ts';

/**
 * Usage accounting (helper A): one `ai_usage` row per request in the agent's home cell, with
 * tokens, time to first token and the footprint from the configured factors, written by a
 * batched writer that never slows a stream; and content logging, off by default (the text is
 * stored nowhere), switched on per organisation by its administrator, sealed at rest.
 */
let upstream: UpstreamDouble;
let app: AiUsageApp;
let olivier: OpenAI;
const ORG2: string = DEMO_ORGANISATIONS[2].id;
const WH_PER_1K = 2;
const GRID = 40;

beforeAll(async () => {
  upstream = await startUpstreamDouble({ name: 'alpha', models: ['small-upstream', 'embed-upstream'] });
  app = await startAiUsageApp(upstream, { footprint: { whPer1kTokens: WH_PER_1K }, gco2ePerKwh: GRID });
  olivier = await app.client(OLIVIER);
});
afterAll(async () => {
  await app?.close();
  await upstream?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: tests read the tables as they are
const cellDb = (j: 'FR' | 'QC') => app.t.entente.stores.cells[j].db as unknown as Kysely<any>;

async function usageRows(j: 'FR' | 'QC', principalId: string) {
  return cellDb(j).selectFrom('ai_usage').selectAll().where('principal_id', '=', principalId).orderBy('created_at').execute();
}

/** Every row of every table of every store, as text, that contains `needle` (a grep of the databases). */
async function grepDatabases(needle: string): Promise<string[]> {
  const found: string[] = [];
  const stores: [string, Kysely<unknown>][] = [
    ['control', app.t.entente.stores.control.db as unknown as Kysely<unknown>],
    ['FR', app.t.entente.stores.cells.FR.db as unknown as Kysely<unknown>],
    ['QC', app.t.entente.stores.cells.QC.db as unknown as Kysely<unknown>],
  ];
  for (const [name, db] of stores) {
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
    for (const { table_name } of tables.rows) {
      const hits = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)} t where t::text like ${`%${needle}%`}`.execute(db);
      if ((hits.rows[0]?.n ?? 0) > 0) found.push(`${name}.${table_name}`);
    }
  }
  return found;
}

describe('AI usage accounting', () => {
  it('writes a row for a whole request, in the agent’s home cell, with tokens and footprint', async () => {
    const answer = await olivier.chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: 'Combien de jours fériés au Québec ?' }] });
    const tokens = (answer.usage?.prompt_tokens ?? 0) + (answer.usage?.completion_tokens ?? 0);
    const row = await eventually(async () => (await usageRows('QC', OLIVIER.id))[0]);
    expect(row).toMatchObject({
      principal_id: OLIVIER.id,
      organisation_id: ORG2,
      model: 'entente-small',
      provider: 'alpha',
      provider_jurisdiction: 'FR',
      endpoint: 'chat.completions',
      stream: false,
      status: 200,
      prompt_tokens: answer.usage?.prompt_tokens,
      completion_tokens: answer.usage?.completion_tokens,
      ttft_ms: null,
    });
    expect(row.duration_ms).toBeGreaterThanOrEqual(0);
    expect(row.energy_wh).toBeCloseTo((tokens / 1000) * WH_PER_1K, 9);
    expect(row.emissions_gco2e).toBeCloseTo(((tokens / 1000) * WH_PER_1K * GRID) / 1000, 9);
    // Not in the other cell: personal data stays home.
    expect(await usageRows('FR', OLIVIER.id)).toEqual([]);
  });

  it('writes a row for a streamed request with its time to first token, and embeddings are counted', async () => {
    upstream.behave({ kind: 'answer', chunkDelayMs: 20 });
    try {
      const stream = await olivier.chat.completions.create({ model: 'entente-small', stream: true, messages: [{ role: 'user', content: 'Un deux trois' }] });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toContain('Un deux trois');
    } finally {
      upstream.behave({ kind: 'answer' });
    }
    await olivier.embeddings.create({ model: 'entente-embed', input: ['premier passage', 'second'] });
    const rows = await eventually(async () => {
      const all = await usageRows('QC', OLIVIER.id);
      return all.some((r) => r.stream) && all.some((r) => r.endpoint === 'embeddings') ? all : undefined;
    });
    const streamed = rows.find((r) => r.stream)!;
    expect(streamed).toMatchObject({ status: 200, endpoint: 'chat.completions', prompt_tokens: 3 });
    expect(streamed.completion_tokens).toBeGreaterThan(3);
    expect(streamed.ttft_ms).not.toBeNull();
    expect(streamed.ttft_ms).toBeLessThanOrEqual(streamed.duration_ms);
    expect(streamed.duration_ms).toBeGreaterThanOrEqual(20 * 6); // the chunks came 20 ms apart
    expect(rows.find((r) => r.endpoint === 'embeddings')).toMatchObject({ prompt_tokens: 3, completion_tokens: 0, status: 200 });
  });

  it('does not slow a stream when the database is blocked: the row is written once it is free', async () => {
    const before = (await usageRows('QC', OLIVIER.id)).length;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    // A transaction holding the usage table: every write to it waits until the transaction ends.
    const blocker = cellDb('QC')
      .transaction()
      .execute(async (trx) => {
        await sql`lock table ai_usage in access exclusive mode`.execute(trx);
        locked();
        await released;
      });
    await isLocked;
    try {
      const started = performance.now();
      const stream = await olivier.chat.completions.create({ model: 'entente-small', stream: true, messages: [{ role: 'user', content: 'Pendant le verrou' }] });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toContain('Pendant le verrou');
      expect(performance.now() - started).toBeLessThan(5000);
      // The writer's flush (1 s) came and waits on the lock: nothing written yet.
      await new Promise((r) => setTimeout(r, 1300));
    } finally {
      release();
      await blocker;
    }
    await eventually(async () => ((await usageRows('QC', OLIVIER.id)).length > before ? true : undefined));
  });
});

describe('AI content logging', () => {
  it('is off by default: the text of a request is stored nowhere', async () => {
    expect(await contentLoggingFor({ stores: app.t.entente.stores }, ORG2)).toBe(false);
    const marker = `marqueurabsent${Date.now()}`;
    await olivier.chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: `Le dossier ${marker}` }] });
    await eventually(async () => ((await usageRows('QC', OLIVIER.id)).some((r) => r.prompt_tokens === 3) ? true : undefined));
    await new Promise((r) => setTimeout(r, 300)); // audit records too
    expect(await grepDatabases(marker)).toEqual([]);
  });

  it('is switched by the organisation’s administrator only (audited), and each member can read it', async () => {
    const emilie = await app.t.signIn(EMILIE);
    const olivierSession = await app.t.signIn(OLIVIER);
    const camille = await app.t.signIn(CAMILLE);
    const put = (headers: Record<string, string>, body: unknown, org = ORG2) =>
      fetch(`${app.t.baseUrl}/api/admin/organisations/${org}/ai-settings`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put(olivierSession.headers, { contentLogging: true })).status).toBe(403); // a member
    expect((await put(emilie.headers, { contentLogging: 'yes' })).status).toBe(400);
    expect((await put(emilie.headers, { contentLogging: true, extra: 1 })).status).toBe(400);
    expect((await put({ cookie: emilie.cookie }, { contentLogging: true })).status).toBe(403); // no CSRF token
    expect((await put(emilie.headers, { contentLogging: true }, DEMO_ORGANISATIONS[0].id)).status).toBe(403); // another organisation
    expect((await put(camille.headers, { contentLogging: false }, '019ac9f0-0000-7000-8000-00000000dead')).status).toBe(404); // operator, no such organisation
    expect(await contentLoggingFor({ stores: app.t.entente.stores }, ORG2)).toBe(false);

    const on = await put(emilie.headers, { contentLogging: true });
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ organisationId: ORG2, contentLogging: true, retentionDays: 90 });
    expect(await contentLoggingFor({ stores: app.t.entente.stores }, ORG2)).toBe(true);
    const read = await fetch(`${app.t.baseUrl}/api/admin/organisations/${ORG2}/ai-settings`, { headers: { cookie: olivierSession.cookie } });
    expect(await read.json()).toMatchObject({ contentLogging: true });
    const audited = await app.t.entente.audit.list({ action: 'ai.settings.changed', limit: 10 });
    expect(audited.find((r) => r.outcome === 'success')).toMatchObject({ actor_id: EMILIE.id, organisation_id: ORG2, details: { contentLogging: true, before: false } });
    // Refusals too: the member, and the administrator of another organisation.
    expect(audited.filter((r) => r.outcome === 'denied').map((r) => r.actor_id)).toEqual(expect.arrayContaining([OLIVIER.id, EMILIE.id]));
  });

  it('when on, keeps the prompt and the answer sealed in the home cell, readable only with the cell’s key, then swept', async () => {
    const marker = `marqueurscelle${Date.now()}`;
    await olivier.chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: `Le dossier ${marker}` }] });
    const stream = await olivier.chat.completions.create({ model: 'entente-small', stream: true, messages: [{ role: 'user', content: `Flux ${marker}` }] });
    for await (const _ of stream);
    const rows = await eventually(async () => {
      const all = await cellDb('QC').selectFrom('ai_content_log').selectAll().where('principal_id', '=', OLIVIER.id).execute();
      return all.length >= 2 ? all : undefined;
    });
    // Sealed at rest: the marker is nowhere in clear.
    expect(await grepDatabases(marker)).toEqual([]);
    const cell = app.t.entente.cells.get('QC');
    const opened = await Promise.all(
      rows.map((r) => openContent(cell, { id: r.id, principalId: r.principal_id, organisationId: r.organisation_id, keyVersion: r.key_version, sealed: r.sealed })),
    );
    expect(opened).toContainEqual({ prompt: [{ role: 'user', content: `Le dossier ${marker}` }], answer: `Réponse de alpha : Le dossier ${marker}` });
    expect(opened).toContainEqual({ prompt: [{ role: 'user', content: `Flux ${marker}` }], answer: `Réponse de alpha : Flux ${marker}` });
    // Bound to its row: a sealed value moved to another row does not open.
    const [a, b] = rows;
    await expect(openContent(cell, { id: b!.id, principalId: a!.principal_id, organisationId: a!.organisation_id, keyVersion: a!.key_version, sealed: a!.sealed })).rejects.toThrow();
    // Camille's organisation does not log: nothing of hers.
    const camille = await app.client(CAMILLE);
    await camille.chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: 'Bonjour' }] });
    await eventually(async () => ((await usageRows('FR', CAMILLE.id)).length ? true : undefined));
    expect(await cellDb('FR').selectFrom('ai_content_log').selectAll().execute()).toEqual([]);

    expect(await sweepContentLog(app.t.entente.stores, new Date(Date.now() + 89 * 86_400_000))).toBe(0);
    expect(await sweepContentLog(app.t.entente.stores, new Date(Date.now() + 91 * 86_400_000))).toBeGreaterThanOrEqual(2);
    expect(await cellDb('QC').selectFrom('ai_content_log').selectAll().execute()).toEqual([]);
  });
});

// ── review fixes (helper R1) ──
describe('AI content logging: what stays out of it', () => {
  const logOf = async (principalId: string) => {
    const cell = app.t.entente.cells.get('QC');
    const rows = await cellDb('QC').selectFrom('ai_content_log').selectAll().where('principal_id', '=', principalId).orderBy('created_at').execute();
    return Promise.all(
      rows.map(async (r) => ({ usageId: r.usage_id, ...(await openContent(cell, { id: r.id, principalId: r.principal_id, organisationId: r.organisation_id, keyVersion: r.key_version, sealed: r.sealed })) })),
    );
  };

  it('keeps documents’ content in the cell of their space: a request carrying documents logs their ids only', async () => {
    expect(await contentLoggingFor({ stores: app.t.entente.stores }, ORG2)).toBe(true); // switched on above
    const camille = await app.t.signIn(CAMILLE);
    const post = async (url: string, body: unknown) => {
      const response = await fetch(`${app.t.baseUrl}${url}`, { method: 'POST', headers: { ...camille.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    const space = await post('/api/spaces', { name: 'Espace partagé France', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
    const doc = await post(`/api/spaces/${space}/documents`, { title: 'Note de la direction' });
    await app.t.entente.stores.control.db.insertInto('space_members').values({ space_id: space, principal_id: OLIVIER.id, role: 'reader' }).execute();
    const marker = `passagefrancais${Date.now()}`;
    const before = (await logOf(OLIVIER.id)).length;
    const answer = await olivier.chat.completions.create(
      { model: 'entente-small', messages: [{ role: 'user', content: `Résume : ${marker}` }] },
      { headers: { 'x-entente-documents': doc } },
    );
    expect(answer.choices[0]?.message.content).toContain(marker);
    const logged = await eventually(async () => {
      const all = await logOf(OLIVIER.id);
      return all.length > before ? all.slice(before) : undefined;
    });
    expect(logged).toEqual([{ usageId: expect.any(String), prompt: null, answer: null, documentIds: [doc] }]);
    // A request without documents is still logged in full (the test can fail).
    await olivier.chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: `Sans document ${marker}` }] });
    const next = await eventually(async () => {
      const all = await logOf(OLIVIER.id);
      return all.length > before + 1 ? all.at(-1) : undefined;
    });
    expect(next).toMatchObject({ prompt: [{ role: 'user', content: `Sans document ${marker}` }] });
  });

  it('logs a bounded prompt: inline data: URLs replaced by a marker, a long prompt cut at 256 KiB of JSON', async () => {
    const before = (await logOf(OLIVIER.id)).length;
    // Sizes within the default 100 000 tokens a minute (the estimate is characters / 4).
    const image = `data:image/png;base64,${'QUJD'.repeat(20_000)}`;
    await olivier.chat.completions.create({
      model: 'entente-small',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Décris cette image' },
            { type: 'image_url', image_url: { url: image } },
          ],
        },
      ],
    });
    await olivier.chat.completions.create({ model: 'entente-small', messages: [{ role: 'user', content: 'long '.repeat(54_000) }] });
    const [withImage, long] = await eventually(async () => {
      const all = await logOf(OLIVIER.id);
      return all.length >= before + 2 ? all.slice(before) : undefined;
    });
    const imageJson = JSON.stringify(withImage?.prompt);
    expect(imageJson).toContain('Décris cette image');
    expect(imageJson).toContain(`[data: URL omitted, ${image.length} characters]`);
    expect(imageJson.length).toBeLessThan(1000);
    expect(long).toMatchObject({ promptTruncated: true });
    expect(typeof long?.prompt).toBe('string');
    expect(String(long?.prompt).length).toBe(256 * 1024);
  });

  it('writes a retried batch once: usage rows are inserted idempotently', async () => {
    const { insertUsageRows } = await import('../src/assistant/usage/usage.repo.ts');
    const { uuidv7 } = await import('../src/platform/ids.ts');
    const row = {
      id: uuidv7(),
      principal_id: OLIVIER.id,
      organisation_id: ORG2,
      model: 'entente-small',
      provider: 'alpha',
      provider_jurisdiction: 'FR',
      endpoint: 'chat.completions',
      stream: false,
      status: 200,
      prompt_tokens: 1,
      completion_tokens: 1,
      duration_ms: 1,
      ttft_ms: null,
      energy_wh: 0,
      emissions_gco2e: 0,
      created_at: new Date(),
    };
    const db = app.t.entente.stores.cells.QC.db;
    await insertUsageRows(db, [row]);
    await insertUsageRows(db, [row]); // the retry after another cell failed
    expect(await cellDb('QC').selectFrom('ai_usage').select('id').where('id', '=', row.id).execute()).toHaveLength(1);
  });
});
// ── end review fixes ──
