import type { ColumnType, Generated } from 'kysely';
import type { AreaId, Level, LocalisedText } from './framework/types.ts';
import type { ItemContent, ItemKind, ItemStatus } from './items/types.ts';

/**
 * The skills module's tables (migrations 20261201100000_skills_bank in the control plane and
 * 20261201100000_skills_results in each cell). jsonb columns are written as JSON text and read
 * back parsed.
 */
type Json<T> = ColumnType<T, string, string>;
type JsonNullable<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type ItemSource = 'starter' | 'authored' | 'imported';

export interface ItemCalibrationReport {
  answers: number;
  seA: number | null;
  seB: number | null;
  flags: string[];
}

export interface SkillsItemsTable {
  id: string;
  key: string;
  organisation_id: string | null;
  competence: string;
  level: Level;
  kind: ItemKind;
  status: ItemStatus;
  correct: Json<number[]>;
  content: Json<{ fr: ItemContent; frCA?: Partial<ItemContent>; en: ItemContent }>;
  a: number;
  b: number;
  c: number;
  /** Exposure price kept by the control loop (skills/cat/exposure.ts); 0: not overused. */
  exposure_price: Generated<number>;
  calibrated_at: Date | null;
  calibration: JsonNullable<ItemCalibrationReport>;
  source: ItemSource;
  source_hash: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface CompetenceDefinition {
  name: LocalisedText;
  description: LocalisedText;
  crcn: string[];
  quebec: string[];
}

export interface SkillsCompetencesTable {
  id: string;
  organisation_id: string;
  area: AreaId;
  definition: Json<CompetenceDefinition>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface TargetProfileDefinition {
  name: LocalisedText;
  required: Record<string, Level>;
}

export interface SkillsTargetProfilesTable {
  id: string;
  organisation_id: string;
  role: 'agent' | 'manager' | 'digital-specialist';
  definition: Json<TargetProfileDefinition>;
  created_by: string | null;
  updated_at: Generated<Date>;
}

export type AssessmentStatus = 'in_progress' | 'completed' | 'abandoned';

export interface SkillsAssessmentsTable {
  id: string;
  principal_id: string;
  organisation_id: string | null;
  status: AssessmentStatus;
  pending_item_id: string | null;
  answered: Generated<number>;
  options: Json<StoredAssessmentOptions>;
  framework_version: string;
  result: JsonNullable<StoredResult>;
  level: number | null;
  started_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: Date | null;
}

/** What a test keeps of the engine's options: a resumed test goes on with the same rules. */
export interface StoredAssessmentOptions {
  seed: number;
  seThreshold: number;
  minItems: number;
  maxItems: number;
  /** The organisations whose own items the bank included (the agent's at the start). */
  organisations: string[];
  /** Items left out because the agent met them in a recent test (assessments.ts, freshBank). */
  excluded?: string[];
}

/** The result as stored (common/src/skills.ts AssessmentResult without localised names). */
export interface StoredResult {
  level: number;
  theta: number;
  standardError: number;
  stopReason: 'precision' | 'max_length' | 'bank_exhausted';
  areas: { area: string; level: number | null; theta: number | null; standardError: number | null; answered: number }[];
  competences: { competence: string; area: string; level: number | null; answered: number; correct: number }[];
}

export interface SkillsResponsesTable {
  id: string;
  assessment_id: string;
  principal_id: string;
  item_id: string;
  position: number;
  area: string;
  competence: string;
  a: number;
  b: number;
  c: number;
  answer: Json<{ choices?: number[]; text?: string }>;
  correct: boolean;
  answered_at: Generated<Date>;
}

export interface SkillsSettingsTable {
  principal_id: string;
  target_profile_id: string;
  updated_at: Generated<Date>;
}

export type PathStatus = 'todo' | 'in_progress' | 'done';

export interface SkillsPathProgressTable {
  principal_id: string;
  resource_id: string;
  status: PathStatus;
  updated_at: Generated<Date>;
}

export interface SkillsDashboardReleasesTable {
  id: string;
  organisation_id: string;
  viewer_id: string;
  members_hash: string;
  members: Json<string[]>;
  created_at: Generated<Date>;
}

declare module '../platform/db/types.ts' {
  interface ControlPlaneTables {
    skills_dashboard_releases: SkillsDashboardReleasesTable;
    skills_items: SkillsItemsTable;
    skills_competences: SkillsCompetencesTable;
    skills_target_profiles: SkillsTargetProfilesTable;
  }
  interface CellTables {
    skills_assessments: SkillsAssessmentsTable;
    skills_responses: SkillsResponsesTable;
    skills_settings: SkillsSettingsTable;
    skills_path_progress: SkillsPathProgressTable;
  }
}
