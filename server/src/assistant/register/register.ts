import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import { authorize } from '../../identity/authorization.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { AiProvider, ModelKind } from '../providers/config.ts';
import { UNKNOWN_MODEL } from '../usage/ai-usage.ts';
import { type RangeQuery, resolveRange } from '../usage-reports/range.ts';
import { volumesPerModel } from '../usage-reports/usage-reports.repo.ts';
import type { AiRegisterConfig, RegisterDetails } from './config.ts';
import { type CsvCell, toCsv } from './csv.ts';

/**
 * The register of the AI systems in use (issue 7): for Québec's annual declaration of the AI
 * systems a public body uses and France's transparency duties (algorithms used by
 * administrations). One entry per model alias the gateway offers or was used in the period:
 * what the configuration says (upstream models, providers, where they run, highest
 * classification), what operators wrote in `aiRegister` (purposes, data categories, legal basis,
 * contact) and volumes summed from `ai_usage` in both cells. Operators only; each export audited.
 */
export const REGISTER_DEFAULT_DAYS = 365;

export interface RegisterVolumes {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  /** Distinct agents (an agent's rows are all in their home cell: the cells' counts add up). */
  agents: number;
  energyWh: number;
  emissionsGco2e: number;
  firstUse: string | null;
  lastUse: string | null;
}

export interface RegisterEntry {
  model: string;
  kind: ModelKind | null;
  /** False: no longer offered by the gateway, but used during the period. */
  configured: boolean;
  upstreamModels: string[];
  providers: string[];
  jurisdictions: string[];
  maxClassifications: string[];
  purposes: string[];
  dataCategories: string[];
  legalBasis: string | null;
  contact: string | null;
  notes: string | null;
  volumes: RegisterVolumes;
}

export interface AiRegister {
  generatedAt: string;
  from: string;
  to: string;
  contact: string | null;
  systems: RegisterEntry[];
  /**
   * Requests refused before any model was resolved (a model name that does not exist, recorded
   * as `(unknown)`): no AI system was used, so they are no entry of `systems` — counted here only.
   */
  unknownModelRequests: number;
}

export interface RegisterDeps {
  stores: Stores;
  audit: AuditLog;
  providers: readonly AiProvider[];
  register: AiRegisterConfig;
}

const uniq = (values: Iterable<string>) => [...new Set(values)].sort();

/** A model's details: its own entry, field by field, over the union of its providers'. */
function detailsFor(config: AiRegisterConfig, alias: string, providerIds: readonly string[]): Required<Omit<RegisterDetails, 'legalBasis' | 'contact' | 'notes'>> & { legalBasis: string | null; contact: string | null; notes: string | null } {
  const own = Object.hasOwn(config.models, alias) ? config.models[alias] : undefined;
  const ofProviders = providerIds.flatMap((id) => (Object.hasOwn(config.providers, id) && config.providers[id] ? [config.providers[id]] : []));
  return {
    purposes: own?.purposes ?? uniq(ofProviders.flatMap((d) => d.purposes ?? [])),
    dataCategories: own?.dataCategories ?? uniq(ofProviders.flatMap((d) => d.dataCategories ?? [])),
    legalBasis: own?.legalBasis ?? ofProviders.find((d) => d.legalBasis)?.legalBasis ?? null,
    contact: own?.contact ?? ofProviders.find((d) => d.contact)?.contact ?? config.contact,
    notes: own?.notes ?? ofProviders.find((d) => d.notes)?.notes ?? null,
  };
}

/** Builds the register (no authorisation: for the use case below and the CLI at the console). */
export async function buildRegister(deps: Omit<RegisterDeps, 'audit'>, query: RangeQuery, now = new Date()): Promise<AiRegister> {
  const range = resolveRange(query, REGISTER_DEFAULT_DAYS, now);
  const all = (await Promise.all(JURISDICTIONS.map((j) => volumesPerModel(deps.stores.cells[j].db, range)))).flat();
  // review fix (helper R1): `(unknown)` is no system; rows and providers grouped once per alias (a Map, not a filter per alias).
  const volumes = new Map<string, typeof all>();
  let unknownModelRequests = 0;
  for (const v of all) {
    if (v.model === UNKNOWN_MODEL) {
      unknownModelRequests += v.requests;
      continue;
    }
    const list = volumes.get(v.model);
    if (list) list.push(v);
    else volumes.set(v.model, [v]);
  }
  const offered = new Map<string, { provider: AiProvider; models: AiProvider['models'] }[]>();
  for (const p of deps.providers) {
    for (const alias of new Set(p.models.map((m) => m.alias))) {
      const entry = { provider: p, models: p.models.filter((m) => m.alias === alias) };
      const list = offered.get(alias);
      if (list) list.push(entry);
      else offered.set(alias, [entry]);
    }
  }
  const aliases = uniq([...offered.keys(), ...volumes.keys()]);
  const systems = aliases.map((alias): RegisterEntry => {
    const serving = (offered.get(alias) ?? []).map((o) => o.provider);
    const models = (offered.get(alias) ?? []).flatMap((o) => o.models);
    const rows = volumes.get(alias) ?? [];
    const firstUse = rows.map((r) => new Date(r.first_use).getTime()).sort((a, b) => a - b)[0];
    const lastUse = rows.map((r) => new Date(r.last_use).getTime()).sort((a, b) => b - a)[0];
    // Providers that served it in the period count too, when they are gone from the configuration.
    const providerIds = uniq([...serving.map((p) => p.id), ...rows.flatMap((r) => r.providers)]);
    return {
      model: alias,
      kind: models[0]?.kind ?? null,
      configured: serving.length > 0,
      upstreamModels: uniq(models.map((m) => m.name)),
      providers: providerIds,
      jurisdictions: uniq(serving.map((p) => p.jurisdiction)),
      maxClassifications: uniq(serving.map((p) => p.maxClassification)),
      ...detailsFor(deps.register, alias, providerIds),
      volumes: {
        requests: sum(rows, (r) => r.requests),
        errors: sum(rows, (r) => r.errors),
        promptTokens: sum(rows, (r) => r.prompt_tokens),
        completionTokens: sum(rows, (r) => r.completion_tokens),
        agents: sum(rows, (r) => r.agents),
        energyWh: sum(rows, (r) => r.energy_wh),
        emissionsGco2e: sum(rows, (r) => r.emissions_gco2e),
        firstUse: firstUse === undefined ? null : new Date(firstUse).toISOString(),
        lastUse: lastUse === undefined ? null : new Date(lastUse).toISOString(),
      },
    };
  });
  return { generatedAt: now.toISOString(), from: range.from, to: range.to, contact: deps.register.contact, systems, unknownModelRequests };
}

const sum = <T>(rows: readonly T[], of: (row: T) => number) => rows.reduce((total, row) => total + of(row), 0);

/** The register for an operator, audited with its format and period. */
export async function aiRegister(
  deps: RegisterDeps,
  actor: Actor | null,
  query: RangeQuery,
  format: 'json' | 'csv',
  meta: { requestId?: string | null; ip?: string | null },
): Promise<AiRegister> {
  const me = authorize(actor, 'platform.operate');
  const register = await buildRegister(deps, query);
  await deps.audit.record({
    action: 'ai.register.exported',
    outcome: 'success',
    actorId: me.principalId,
    resource: { type: 'ai_register', id: 'platform' },
    requestId: meta.requestId ?? null,
    ip: meta.ip ?? null,
    details: { format, from: register.from, to: register.to, systems: register.systems.length },
  });
  return register;
}

/** Stable column names (snake_case, English) so that tools can read the file year after year. */
export const CSV_COLUMNS = [
  'model',
  'kind',
  'configured',
  'upstream_models',
  'providers',
  'jurisdictions',
  'max_classifications',
  'purposes',
  'data_categories',
  'legal_basis',
  'contact',
  'notes',
  'period_from',
  'period_to',
  'requests',
  'errors',
  'prompt_tokens',
  'completion_tokens',
  'agents',
  'energy_wh',
  'emissions_gco2e',
  'first_use',
  'last_use',
] as const;

/** Lists inside a cell are joined with « ; » (a comma would read as a column in hand-made parsers). */
const list = (values: readonly string[]) => values.join('; ');

export function registerCsv(register: AiRegister): string {
  const rows: CsvCell[][] = [
    [...CSV_COLUMNS],
    ...register.systems.map((s): CsvCell[] => [
      s.model,
      s.kind,
      s.configured,
      list(s.upstreamModels),
      list(s.providers),
      list(s.jurisdictions),
      list(s.maxClassifications),
      list(s.purposes),
      list(s.dataCategories),
      s.legalBasis,
      s.contact,
      s.notes,
      register.from,
      register.to,
      s.volumes.requests,
      s.volumes.errors,
      s.volumes.promptTokens,
      s.volumes.completionTokens,
      s.volumes.agents,
      Math.round(s.volumes.energyWh * 1000) / 1000,
      Math.round(s.volumes.emissionsGco2e * 1000) / 1000,
      s.volumes.firstUse,
      s.volumes.lastUse,
    ]),
  ];
  return toCsv(rows);
}
