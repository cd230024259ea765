/** AI quotas, usage accounting and content logging (helper A): what the rest of Entente uses. */
export { type AiUsage, type AiUsageDeps, createAiUsage, estimateTokens, organisationOf } from './ai-usage.ts';
export { CONTENT_RETENTION_DAYS, openContent } from './content-log.ts';
export { DEFAULT_GRID_INTENSITY, footprintOf } from './footprint.ts';
export { memoryQuotaCounters, type QuotaCounters, redisQuotaCounters } from './quota-counters.ts';
export { type AiQuotas, DEFAULT_AI_QUOTAS, parseAiQuotas } from './quotas-config.ts';
export { registerContentLogSweep, sweepContentLog } from './retention.ts';
export { aiSettingsRoutes } from './routes.ts';
export { type AiSettings, contentLoggingFor } from './settings.ts';
export type { AiUsageTable } from './usage.tables.ts';
