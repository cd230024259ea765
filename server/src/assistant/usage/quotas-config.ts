import { z } from 'zod';

/**
 * The `aiQuotas` of the ENTENTE_CONFIG file: requests per minute, tokens per minute and tokens
 * per day, per agent and per organisation (all the agents of an organisation together). Every
 * field is optional; the defaults below suit a team of agents using an assistant all day and
 * stop a runaway script within a minute. `0` is not allowed: an operator who wants no AI at all
 * configures no model. docs/ai.md (« Quotas ») documents them.
 */
export interface QuotaLimits {
  requestsPerMinute: number;
  tokensPerMinute: number;
  tokensPerDay: number;
}

export interface AiQuotas {
  perAgent: QuotaLimits;
  perOrganisation: QuotaLimits;
}

export const DEFAULT_AI_QUOTAS: AiQuotas = {
  perAgent: { requestsPerMinute: 60, tokensPerMinute: 100_000, tokensPerDay: 1_000_000 },
  perOrganisation: { requestsPerMinute: 1_200, tokensPerMinute: 2_000_000, tokensPerDay: 50_000_000 },
};

const limit = z.number().int().min(1).max(1_000_000_000_000);
const limitsSchema = z.object({ requestsPerMinute: limit.optional(), tokensPerMinute: limit.optional(), tokensPerDay: limit.optional() }).strict();
export const aiQuotasSchema = z.object({ perAgent: limitsSchema.optional(), perOrganisation: limitsSchema.optional() }).strict();

/** Validates `aiQuotas`; each problem names the field (`aiQuotas.perAgent.tokensPerDay: …`). */
export function parseAiQuotas(value: unknown): { quotas: AiQuotas; problems: string[] } {
  if (value === undefined) return { quotas: DEFAULT_AI_QUOTAS, problems: [] };
  const parsed = aiQuotasSchema.safeParse(value);
  if (!parsed.success) {
    return {
      quotas: DEFAULT_AI_QUOTAS,
      problems: parsed.error.issues.map((issue) => `aiQuotas${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`),
    };
  }
  return {
    quotas: {
      perAgent: { ...DEFAULT_AI_QUOTAS.perAgent, ...parsed.data.perAgent },
      perOrganisation: { ...DEFAULT_AI_QUOTAS.perOrganisation, ...parsed.data.perOrganisation },
    },
    problems: [],
  };
}
