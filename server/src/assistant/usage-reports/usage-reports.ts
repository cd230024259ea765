import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import { authorize } from '../../identity/authorization.ts';
import { findProfilesByIds } from '../../identity/members.repo.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { forbidden } from '../../platform/errors.ts';
import { type Range, type RangeQuery, resolveRange } from './range.ts';
import { type SumsRow, sumsPerDay, sumsPerModel, sumsPerPrincipal, type UsageFilter } from './usage-reports.repo.ts';

/**
 * The usage dashboards (issue 7): an agent's own use of the AI gateway, and an organisation's for
 * its administrators. Rows live in each agent's home cell (contract C3): an agent's report reads
 * their home cell only; an organisation's reads both cells (its members may come from either
 * state) and merges. Names come from the home cell, as everywhere (identity/members.ts).
 */
export const DASHBOARD_DEFAULT_DAYS = 30;

export interface Sums {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  energyWh: number;
  emissionsGco2e: number;
}

export interface UsageReport {
  from: string;
  to: string;
  totals: Sums;
  perDay: (Sums & { day: string })[];
  perModel: (Sums & { model: string; p50DurationMs: number | null; p50TtftMs: number | null })[];
}

export interface OrganisationUsageReport extends UsageReport {
  organisationId: string;
  perAgent: (Sums & { principalId: string; givenName: string | null; familyName: string | null })[];
}

export interface ReportDeps {
  stores: Stores;
  audit: AuditLog;
}

const ZERO: Sums = { requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, energyWh: 0, emissionsGco2e: 0 };

const fromRow = (r: SumsRow): Sums => ({
  requests: r.requests,
  errors: r.errors,
  promptTokens: r.prompt_tokens,
  completionTokens: r.completion_tokens,
  energyWh: r.energy_wh,
  emissionsGco2e: r.emissions_gco2e,
});

function add(a: Sums, b: Sums): Sums {
  return {
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    energyWh: a.energyWh + b.energyWh,
    emissionsGco2e: a.emissionsGco2e + b.emissionsGco2e,
  };
}

/** Merges rows of several cells by key, summing; sorted by key. */
function mergeBy<K extends string>(rows: (Sums & Record<K, string>)[], key: K): (Sums & Record<K, string>)[] {
  const merged = new Map<string, Sums & Record<K, string>>();
  for (const row of rows) {
    const seen = merged.get(row[key]);
    merged.set(row[key], seen ? { ...seen, ...add(seen, row) } : row);
  }
  return [...merged.values()].sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
}

async function report(stores: Stores, cells: readonly Jurisdiction[], filter: UsageFilter, range: Range): Promise<UsageReport> {
  const perCell = await Promise.all(cells.map(async (j) => ({ days: await sumsPerDay(stores.cells[j].db, filter), models: await sumsPerModel(stores.cells[j].db, filter) })));
  const perDay = mergeBy(
    perCell.flatMap((c) => c.days.map((r) => ({ day: r.day, ...fromRow(r) }))),
    'day',
  );
  // A median cannot be merged across cells: kept when one cell alone has the model's rows.
  const modelCells = new Map<string, number>();
  for (const c of perCell) for (const r of c.models) modelCells.set(r.model, (modelCells.get(r.model) ?? 0) + 1);
  const medians = new Map(perCell.flatMap((c) => c.models.filter((r) => modelCells.get(r.model) === 1).map((r) => [r.model, r] as const)));
  const perModel = mergeBy(
    perCell.flatMap((c) => c.models.map((r) => ({ model: r.model, ...fromRow(r) }))),
    'model',
  ).map((m) => ({
    ...m,
    p50DurationMs: round(medians.get(m.model)?.p50_duration_ms ?? null),
    p50TtftMs: round(medians.get(m.model)?.p50_ttft_ms ?? null),
  }));
  return { from: range.from, to: range.to, totals: perModel.reduce<Sums>((t, m) => add(t, m), ZERO), perDay, perModel };
}

const round = (value: number | null) => (value === null ? null : Math.round(value));

/** The agent's own usage: whoever is signed in, for themselves only (no parameter names another agent). */
export async function myUsage(deps: ReportDeps, actor: Actor | null, query: RangeQuery): Promise<UsageReport> {
  const me = authorize(actor, 'profile.read_own');
  const range = resolveRange(query, DASHBOARD_DEFAULT_DAYS);
  return report(deps.stores, [me.homeJurisdiction], { principalId: me.principalId, start: range.start, end: range.end }, range);
}

/**
 * An organisation's usage, per agent: for its administrators only. Operators are not let in
 * here: who used AI how much is the organisation's business (the register gives operators the
 * platform's totals). Audited, since it shows colleagues' activity.
 */
export async function organisationUsage(
  deps: ReportDeps,
  actor: Actor | null,
  organisationId: string,
  query: RangeQuery,
  meta: { requestId?: string | null; ip?: string | null },
): Promise<OrganisationUsageReport> {
  const me = authorize(actor, 'profile.read_own');
  if (!(me.memberships.get(organisationId) ?? []).includes('admin')) throw forbidden();
  const range = resolveRange(query, DASHBOARD_DEFAULT_DAYS);
  const filter = { organisationId, start: range.start, end: range.end };
  const [summary, agents] = await Promise.all([
    report(deps.stores, JURISDICTIONS, filter, range),
    Promise.all(
      JURISDICTIONS.map(async (j) => {
        const rows = await sumsPerPrincipal(deps.stores.cells[j].db, filter);
        // Rows sit in the agent's home cell: the names are read from the same cell.
        const profiles = new Map((await findProfilesByIds(deps.stores.cells[j].db, rows.map((r) => r.principal_id))).map((p) => [p.principal_id, p]));
        return rows.map((r) => ({
          principalId: r.principal_id,
          givenName: profiles.get(r.principal_id)?.given_name ?? null,
          familyName: profiles.get(r.principal_id)?.family_name ?? null,
          ...fromRow(r),
        }));
      }),
    ),
  ]);
  const perAgent = agents.flat().sort((a, b) => b.requests - a.requests || `${a.familyName ?? ''} ${a.givenName ?? ''}`.localeCompare(`${b.familyName ?? ''} ${b.givenName ?? ''}`, 'fr'));
  await deps.audit.record({
    action: 'ai.usage_report.read',
    outcome: 'success',
    actorId: me.principalId,
    organisationId,
    resource: { type: 'organisation', id: organisationId },
    requestId: meta.requestId ?? null,
    ip: meta.ip ?? null,
    details: { from: range.from, to: range.to },
  });
  return { ...summary, organisationId, perAgent };
}
