import { type ExpressionBuilder, sql } from 'kysely';
import type { CellDb, CellTables } from '../../platform/db/types.ts';
import '../usage/usage.tables.ts';

/**
 * All SQL of the usage dashboards: sums over `ai_usage` (contract C3) of one cell, for one agent
 * or one organisation, over [start, end). Sums come back as float8 (a bigint would come back as a
 * string from `pg`); counts as int. Days are UTC days.
 */
export interface UsageFilter {
  principalId?: string;
  organisationId?: string;
  start: Date;
  end: Date;
}

export interface SumsRow {
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  energy_wh: number;
  emissions_gco2e: number;
}

const sums = {
  requests: sql<number>`count(*)::int`.as('requests'),
  errors: sql<number>`count(*) filter (where status >= 400)::int`.as('errors'),
  prompt_tokens: sql<number>`coalesce(sum(prompt_tokens), 0)::float8`.as('prompt_tokens'),
  completion_tokens: sql<number>`coalesce(sum(completion_tokens), 0)::float8`.as('completion_tokens'),
  energy_wh: sql<number>`coalesce(sum(energy_wh), 0)::float8`.as('energy_wh'),
  emissions_gco2e: sql<number>`coalesce(sum(emissions_gco2e), 0)::float8`.as('emissions_gco2e'),
};
const sumColumns = [sums.requests, sums.errors, sums.prompt_tokens, sums.completion_tokens, sums.energy_wh, sums.emissions_gco2e];

function base(db: CellDb, filter: UsageFilter) {
  let q = db
    .selectFrom('ai_usage')
    .where('created_at', '>=', filter.start)
    .where('created_at', '<', filter.end);
  // One of the two is always given (the use cases say which); never a report over everyone.
  if (filter.principalId !== undefined) q = q.where('principal_id', '=', filter.principalId);
  if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
  if (filter.principalId === undefined && filter.organisationId === undefined) throw new Error('usage report without a filter');
  return q;
}

const day = (eb: ExpressionBuilder<CellTables, 'ai_usage'>) => sql<string>`to_char(${eb.ref('created_at')} at time zone 'UTC', 'YYYY-MM-DD')`;

export async function sumsPerDay(db: CellDb, filter: UsageFilter): Promise<(SumsRow & { day: string })[]> {
  return base(db, filter)
    .select((eb) => [day(eb).as('day'), ...sumColumns])
    .groupBy((eb) => day(eb))
    .orderBy('day')
    .execute();
}

/** Per model alias; with the median duration and time to first token (null without a value). */
export async function sumsPerModel(db: CellDb, filter: UsageFilter): Promise<(SumsRow & { model: string; p50_duration_ms: number | null; p50_ttft_ms: number | null })[]> {
  return base(db, filter)
    .select([
      'model',
      ...sumColumns,
      sql<number | null>`percentile_cont(0.5) within group (order by duration_ms)::float8`.as('p50_duration_ms'),
      sql<number | null>`percentile_cont(0.5) within group (order by ttft_ms)::float8`.as('p50_ttft_ms'),
    ])
    .groupBy('model')
    .orderBy('model')
    .execute();
}

export async function sumsPerPrincipal(db: CellDb, filter: UsageFilter): Promise<(SumsRow & { principal_id: string })[]> {
  return base(db, filter)
    .select(['principal_id', ...sumColumns])
    .groupBy('principal_id')
    .orderBy('principal_id')
    .execute();
}

/** For the register: per model alias over the whole cell, with the number of distinct agents. */
export async function volumesPerModel(
  db: CellDb,
  range: { start: Date; end: Date },
): Promise<(SumsRow & { model: string; agents: number; first_use: Date; last_use: Date; providers: string[] })[]> {
  return db
    .selectFrom('ai_usage')
    .where('created_at', '>=', range.start)
    .where('created_at', '<', range.end)
    .select([
      'model',
      ...sumColumns,
      sql<number>`count(distinct principal_id)::int`.as('agents'),
      sql<Date>`min(created_at)`.as('first_use'),
      sql<Date>`max(created_at)`.as('last_use'),
      sql<string[]>`array_remove(array_agg(distinct provider), null)`.as('providers'),
    ])
    .groupBy('model')
    .orderBy('model')
    .execute();
}
