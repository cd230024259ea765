import { getJson } from '../../../app/api.ts';

/** The usage dashboards' API (server/src/assistant/usage-reports) and the pages' paths. */
export const AI_USAGE_PATH = '/profil/ia';
export const ORGANISATION_AI_USAGE_PATH = '/organisation/:id/ia';
export const organisationAiUsagePath = (id: string) => `/organisation/${encodeURIComponent(id)}/ia`;

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

export interface Period {
  from?: string;
  to?: string;
}

const query = (period: Period) => {
  const params = new URLSearchParams();
  if (period.from) params.set('from', period.from);
  if (period.to) params.set('to', period.to);
  const text = params.toString();
  return text ? `?${text}` : '';
};

export const loadMyUsage = (period: Period, signal?: AbortSignal) => getJson<UsageReport>(`/api/assistant/usage/me${query(period)}`, signal);

export const loadOrganisationUsage = (id: string, period: Period, signal?: AbortSignal) =>
  getJson<OrganisationUsageReport>(`/api/assistant/usage/organisations/${encodeURIComponent(id)}${query(period)}`, signal);

export { query as periodQuery };
