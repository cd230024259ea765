import type { Generated } from 'kysely';

/** Tables of AI usage accounting (migrations 20261130100000…, helper A; contract C3). */
export interface AiUsageTable {
  id: string;
  principal_id: string;
  organisation_id: string | null;
  /** The alias the client asked for. */
  model: string;
  provider: string | null;
  provider_jurisdiction: string | null;
  endpoint: string;
  stream: boolean;
  status: number;
  prompt_tokens: Generated<number>;
  completion_tokens: Generated<number>;
  duration_ms: number;
  ttft_ms: number | null;
  energy_wh: Generated<number>;
  emissions_gco2e: Generated<number>;
  created_at: Generated<Date>;
}

export interface AiContentLogTable {
  id: string;
  usage_id: string;
  principal_id: string;
  organisation_id: string;
  model: string;
  key_version: number;
  sealed: Buffer;
  created_at: Generated<Date>;
}

export interface AiOrganisationSettingsTable {
  organisation_id: string;
  content_logging: Generated<boolean>;
  updated_at: Date | null;
  updated_by: string | null;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    ai_usage: AiUsageTable;
    ai_content_log: AiContentLogTable;
  }
  interface ControlPlaneTables {
    ai_organisation_settings: AiOrganisationSettingsTable;
  }
}
