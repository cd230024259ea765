/**
 * The digital-skills API's shapes, shared by the server (which validates its answers against the
 * zod schemas in server/src/skills/routes.ts) and the web. Texts come already localised to the
 * request's language (fr-FR, fr-CA, en) unless a field says otherwise.
 */

export type SkillsLocale = 'fr-FR' | 'fr-CA' | 'en';

/** The longest short answer an agent can give (characters): the field stops there, the API refuses more. */
export const SHORT_ANSWER_MAX_LENGTH = 200;
export type ItemKind = 'single' | 'multiple' | 'true_false' | 'short_answer';

export interface FrameworkArea {
  id: string;
  name: string;
  description: string;
}
export interface FrameworkCompetence {
  id: string;
  area: string;
  name: string;
  description: string;
  /** France's CRCN (Pix) competences it maps to: id and localised name. */
  crcn: { id: string; name: string }[];
  /** Québec's digital competency framework dimensions it maps to. */
  quebec: { id: string; name: string }[];
  /** null: DigComp; otherwise the organisation that added it. */
  organisationId: string | null;
}
export interface TargetProfileView {
  id: string;
  role: 'agent' | 'manager' | 'digital-specialist';
  name: string;
  /** null: a default profile; otherwise the organisation's own. */
  organisationId: string | null;
  required: Record<string, number>;
}
export interface FrameworkView {
  version: string;
  areas: FrameworkArea[];
  competences: FrameworkCompetence[];
  targetProfiles: TargetProfileView[];
}

/** One question as the agent sees it: never its answer key nor its parameters. */
export interface QuestionView {
  itemId: string;
  kind: ItemKind;
  competence: { id: string; name: string };
  area: { id: string; name: string };
  stem: string;
  /** single / multiple: the options in order; true_false: ['Vrai', 'Faux'] localised; short_answer: []. */
  options: string[];
}

/** Progress shown to the agent: answered count and a bounded share, never the engine's estimate. */
export interface ProgressView {
  answered: number;
  /** 0–1: a share that only grows, bounded by the maximum length. */
  fraction: number;
}

export interface AreaResult {
  area: string;
  name: string;
  /** null when the test gave no item of this area. */
  level: number | null;
  theta: number | null;
  standardError: number | null;
  answered: number;
}
export interface CompetenceResult {
  competence: string;
  name: string;
  area: string;
  level: number | null;
  answered: number;
  correct: number;
}
export interface AssessmentResult {
  level: number;
  theta: number;
  standardError: number;
  stopReason: 'precision' | 'max_length' | 'bank_exhausted';
  areas: AreaResult[];
  competences: CompetenceResult[];
  frameworkVersion: string;
}

export interface AssessmentSummary {
  id: string;
  status: 'in_progress' | 'completed' | 'abandoned';
  startedAt: string;
  completedAt: string | null;
  answered: number;
  level: number | null;
}

export interface AssessmentState {
  assessment: AssessmentSummary;
  /** The question to answer now (null once completed). */
  question: QuestionView | null;
  progress: ProgressView;
  result: AssessmentResult | null;
}

/** An answered item, shown after the test with its explanation. */
export interface ReviewItem {
  itemId: string;
  position: number;
  competence: string;
  stem: string;
  kind: ItemKind;
  options: string[];
  given: { choices?: number[]; text?: string };
  correct: boolean;
  correctChoices: number[];
  accepted: string[];
  explanation: string;
  /** The question was edited after it was answered: its text and key are today's. */
  changedSince: boolean;
}

export interface LearningResourceView {
  id: string;
  title: string;
  url: string;
  provider: string;
  language: 'fr' | 'en';
  durationMinutes: number;
  competences: string[];
  levels: [number, number];
  status: 'todo' | 'in_progress' | 'done';
}

export interface GapView {
  competence: string;
  name: string;
  area: string;
  required: number;
  /** The level reached (the competence's, else its area's); null when not measured. */
  reached: number | null;
  /** Where `reached` comes from: the competence's own questions, or its area's estimate (no question on it). */
  basis: 'competence' | 'area' | null;
  gap: number;
}

export interface SkillsOverview {
  latest: AssessmentSummary | null;
  result: AssessmentResult | null;
  inProgress: AssessmentSummary | null;
  targetProfile: TargetProfileView;
  strengths: GapView[];
  gaps: GapView[];
  path: LearningResourceView[];
  /** Suggested when the last assessment is older than this many days, or the path is done. */
  reassessment: { suggested: boolean; reason: 'never' | 'old' | 'path_done' | null };
  certificate: { assessmentId: string; url: string } | null;
  /** Whether the agent may write items (a trainer or administrator of an organisation, or an operator). */
  canAuthor: boolean;
}

export interface TeamSummary {
  id: string;
  name: string;
  organisationId: string;
}
export interface TeamCompetenceRow {
  competence: string;
  name: string;
  area: string;
  /** Members with a level for it; rows with fewer than the minimum are withheld (null figures). */
  assessed: number;
  meanLevel: number | null;
  distribution: number[] | null;
  required: number | null;
  belowTarget: number | null;
}
export interface TeamDashboard {
  team: TeamSummary;
  members: number;
  /**
   * Members assessed (the viewer left out); null when the figures are withheld because the group is
   * too close to one already shown: there are enough, but saying how many would say who changed.
   */
  assessed: number | null;
  /** The viewer is one of the members: their own result is left out of every figure (they know it). */
  viewerIsMember: boolean;
  /** Groups smaller than this are never shown. */
  minimumGroup: number;
  withheld: boolean;
  /** Why: fewer than minimumGroup assessed agents, or too close to a set the viewer was already shown (no subtraction of one agent's levels). */
  withheldReason: 'too_few' | 'overlap' | null;
  targetProfile: TargetProfileView;
  areas: { area: string; name: string; assessed: number; meanLevel: number | null }[];
  competences: TeamCompetenceRow[];
}

/** The trainer's view of an item (all languages, answer key, parameters). */
export interface ItemAuthoringView {
  id: string;
  key: string;
  organisationId: string | null;
  competence: string;
  level: number;
  kind: ItemKind;
  status: 'draft' | 'live' | 'retired';
  correct: number[];
  fr: { stem: string; options?: string[]; accepted?: string[]; explanation: string };
  frCA?: { stem?: string; options?: string[]; accepted?: string[]; explanation?: string };
  en: { stem: string; options?: string[]; accepted?: string[]; explanation: string };
  parameters: { a: number; b: number; c: number; calibrated: boolean; calibratedAt: string | null; answers: number; flags: string[] };
  updatedAt: string;
}
