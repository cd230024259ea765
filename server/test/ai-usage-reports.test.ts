import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Jurisdiction } from '../../common/src/jurisdiction.ts';
import '../src/assistant/usage/usage.tables.ts';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * The usage dashboards (issue 7) over rows written straight into `ai_usage` (contract C3): sums
 * right, each agent sees only their own, an organisation's administrators only their
 * organisation (both cells read), everyone else 403.
 */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const qcOrg = DEMO_ORGANISATIONS[2].id;

let t: TestApp;
const sessions: Record<string, TestSession> = {};

interface Usage {
  cell: Jurisdiction;
  principalId: string;
  organisationId: string | null;
  model: string;
  at: string;
  prompt: number;
  completion: number;
  durationMs: number;
  ttftMs?: number | null;
  status?: number;
  energyWh?: number;
  gco2e?: number;
}

async function insert(rows: Usage[]): Promise<void> {
  for (const r of rows) {
    await t.entente.stores.cells[r.cell].db
      .insertInto('ai_usage')
      .values({
        id: uuidv7(),
        principal_id: r.principalId,
        organisation_id: r.organisationId,
        model: r.model,
        provider: 'alpha',
        provider_jurisdiction: 'FR',
        endpoint: 'chat.completions',
        stream: r.ttftMs != null,
        status: r.status ?? 200,
        prompt_tokens: r.prompt,
        completion_tokens: r.completion,
        duration_ms: r.durationMs,
        ttft_ms: r.ttftMs ?? null,
        energy_wh: r.energyWh ?? 0,
        emissions_gco2e: r.gco2e ?? 0,
        created_at: new Date(r.at),
      })
      .execute();
  }
}

interface Sums {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  energyWh: number;
  emissionsGco2e: number;
}
interface Report {
  from: string;
  to: string;
  totals: Sums;
  perDay: (Sums & { day: string })[];
  perModel: (Sums & { model: string; p50DurationMs: number | null; p50TtftMs: number | null })[];
  perAgent: (Sums & { principalId: string; familyName: string | null })[];
}

const get = async (path: string, session?: TestSession) => {
  const response = await fetch(`${t.baseUrl}${path}`, { headers: session ? { cookie: session.cookie } : {} });
  return { status: response.status, body: (await response.json()) as Report };
};

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of [camille, hugo, emilie, olivier]) sessions[agent.id] = await t.signIn(agent);
  await insert([
    // Hugo (FR cell): two days, two models; one failed request; one row out of the period.
    { cell: 'FR', principalId: hugo.id, organisationId: hugo.organisationId, model: 'entente-small', at: '2026-06-10T08:00:00Z', prompt: 100, completion: 50, durationMs: 1000, ttftMs: 200, energyWh: 0.1, gco2e: 0.005 },
    { cell: 'FR', principalId: hugo.id, organisationId: hugo.organisationId, model: 'entente-small', at: '2026-06-10T23:59:59Z', prompt: 10, completion: 5, durationMs: 3000, ttftMs: 400, energyWh: 0.2, gco2e: 0.01 },
    { cell: 'FR', principalId: hugo.id, organisationId: hugo.organisationId, model: 'entente-small', at: '2026-06-11T00:00:00Z', prompt: 7, completion: 0, durationMs: 2000, status: 502 },
    { cell: 'FR', principalId: hugo.id, organisationId: hugo.organisationId, model: 'entente-embed', at: '2026-06-11T10:00:00Z', prompt: 40, completion: 0, durationMs: 50 },
    { cell: 'FR', principalId: hugo.id, organisationId: hugo.organisationId, model: 'entente-small', at: '2026-05-31T23:59:59Z', prompt: 999, completion: 999, durationMs: 1 },
    // Camille (FR cell), counted for the QC organisation (an agent of one state in the other's organisation).
    { cell: 'FR', principalId: camille.id, organisationId: qcOrg, model: 'entente-small', at: '2026-06-12T12:00:00Z', prompt: 1000, completion: 100, durationMs: 500, energyWh: 1 },
    { cell: 'FR', principalId: camille.id, organisationId: camille.organisationId, model: 'entente-small', at: '2026-06-12T12:00:00Z', prompt: 5, completion: 5, durationMs: 500 },
    // Émilie and Olivier (QC cell), organisation QC.
    { cell: 'QC', principalId: emilie.id, organisationId: qcOrg, model: 'entente-small', at: '2026-06-12T13:00:00Z', prompt: 20, completion: 30, durationMs: 700, energyWh: 0.5, gco2e: 0.02 },
    { cell: 'QC', principalId: olivier.id, organisationId: qcOrg, model: 'entente-small', at: '2026-06-13T13:00:00Z', prompt: 1, completion: 2, durationMs: 900 },
    { cell: 'QC', principalId: olivier.id, organisationId: qcOrg, model: 'entente-small', at: '2026-06-13T14:00:00Z', prompt: 3, completion: 4, durationMs: 100 },
  ]);
});
afterAll(async () => t?.close());

const JUNE = 'from=2026-06-01&to=2026-06-30';

describe('GET /api/assistant/usage/me', () => {
  it('sums the agent’s own rows of the period: totals, per UTC day, per model with medians', async () => {
    const { status, body } = await get(`/api/assistant/usage/me?${JUNE}`, sessions[hugo.id]);
    expect(status).toBe(200);
    expect(body.from).toBe('2026-06-01');
    expect(body.to).toBe('2026-06-30');
    expect(body.totals).toMatchObject({ requests: 4, errors: 1, promptTokens: 157, completionTokens: 55 });
    expect(body.totals.energyWh).toBeCloseTo(0.3, 10);
    expect(body.totals.emissionsGco2e).toBeCloseTo(0.015, 10);
    expect(body.perDay.map((d) => [d.day, d.requests, d.promptTokens])).toEqual([
      ['2026-06-10', 2, 110],
      ['2026-06-11', 2, 47],
    ]);
    expect(body.perModel.map((m) => [m.model, m.requests, m.completionTokens, m.p50DurationMs, m.p50TtftMs])).toEqual([
      ['entente-embed', 1, 0, 50, null],
      ['entente-small', 3, 55, 2000, 300],
    ]);
  });

  it('shows nobody else’s rows, whatever the query says', async () => {
    const { body } = await get(`/api/assistant/usage/me?${JUNE}`, sessions[olivier.id]);
    expect(body.totals).toMatchObject({ requests: 2, promptTokens: 4, completionTokens: 6 });
    const extra = await get(`/api/assistant/usage/me?${JUNE}&principalId=${hugo.id}`, sessions[olivier.id]);
    expect(extra.status).toBe(400);
  });

  it('by default, the last 30 days up to today', async () => {
    await insert([{ cell: 'QC', principalId: emilie.id, organisationId: qcOrg, model: 'entente-small', at: new Date().toISOString(), prompt: 11, completion: 1, durationMs: 10 }]);
    const { body } = await get('/api/assistant/usage/me', sessions[emilie.id]);
    const today = new Date().toISOString().slice(0, 10);
    expect(body.to).toBe(today);
    expect(body.totals.promptTokens).toBe(11);
    expect(body.perDay).toEqual([expect.objectContaining({ day: today, requests: 1 })]);
  });

  it('refuses malformed and too long ranges, and strangers', async () => {
    for (const query of ['from=2026-01-01&to=2027-01-02', 'from=2026-11-30&to=2026-11-01', 'from=yesterday', 'to=2026-13-01', 'from=2026-11-01T00:00:00Z']) {
      expect((await get(`/api/assistant/usage/me?${query}`, sessions[hugo.id])).status, query).toBe(400);
    }
    // 366 days is the most.
    expect((await get('/api/assistant/usage/me?from=2024-01-01&to=2024-12-31', sessions[hugo.id])).status).toBe(200);
    expect((await get(`/api/assistant/usage/me?${JUNE}`)).status).toBe(401);
  });
});

describe('GET /api/assistant/usage/organisations/:id', () => {
  it('gives an administrator their organisation’s usage per agent, from both cells, with names from home cells', async () => {
    const { status, body } = await get(`/api/assistant/usage/organisations/${qcOrg}?${JUNE}`, sessions[emilie.id]);
    expect(status).toBe(200);
    expect(body.totals).toMatchObject({ requests: 4, promptTokens: 1024, completionTokens: 136 });
    expect(body.totals.energyWh).toBeCloseTo(1.5, 10);
    expect(body.perAgent.map((a) => [a.principalId, a.familyName, a.requests, a.promptTokens])).toEqual([
      [olivier.id, olivier.familyName, 2, 4],
      [camille.id, camille.familyName, 1, 1000],
      [emilie.id, emilie.familyName, 1, 20],
    ]);
    // Hugo's and Camille's other rows belong to other organisations.
    expect(JSON.stringify(body)).not.toContain(hugo.id);
    expect(body.perDay.map((d) => d.day)).toEqual(['2026-06-12', '2026-06-13']);
    // The model's rows are in both cells: no median made up from halves.
    expect(body.perModel).toEqual([expect.objectContaining({ model: 'entente-small', requests: 4, p50DurationMs: null })]);
    const audit = await t.entente.audit.list({ action: 'ai.usage_report.read', limit: 5 });
    expect(audit[0]).toMatchObject({ actor_id: emilie.id, organisation_id: qcOrg });
  });

  it('refuses members who are not administrators, administrators of another organisation, operators, strangers', async () => {
    expect((await get(`/api/assistant/usage/organisations/${qcOrg}?${JUNE}`, sessions[olivier.id])).status).toBe(403);
    // Camille administers the FR organisation and is an operator: still not this one's business.
    expect((await get(`/api/assistant/usage/organisations/${qcOrg}?${JUNE}`, sessions[camille.id])).status).toBe(403);
    expect((await get(`/api/assistant/usage/organisations/${qcOrg}?${JUNE}`, sessions[hugo.id])).status).toBe(403);
    expect((await get(`/api/assistant/usage/organisations/${uuidv7()}`, sessions[emilie.id])).status).toBe(403);
    expect((await get(`/api/assistant/usage/organisations/${qcOrg}`)).status).toBe(401);
    expect((await get('/api/assistant/usage/organisations/not-a-uuid', sessions[emilie.id])).status).toBe(400);
    // Camille, as administrator of her own organisation, sees only its row.
    const own = await get(`/api/assistant/usage/organisations/${camille.organisationId}?${JUNE}`, sessions[camille.id]);
    expect(own.status).toBe(200);
    expect(own.body.perAgent.map((a) => [a.principalId, a.requests, a.promptTokens])).toEqual([[camille.id, 1, 5]]);
  });
});
