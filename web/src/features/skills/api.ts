import type {
  AssessmentState,
  AssessmentSummary,
  FrameworkView,
  LearningResourceView,
  ReviewItem,
  SkillsOverview,
  TeamDashboard,
  TeamSummary,
} from '@entente/common/skills.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { getJson, Problem, send } from '../../app/api.ts';
import { PATHS } from '../../app/routes.ts';

/** The digital-skills pages' paths (French first, like the rest of the app) and their API (server/src/skills/routes.ts). */
export const SKILLS_PATHS = {
  overview: PATHS.skills,
  assessment: PATHS.skillsAssessment,
  result: PATHS.skillsResult,
  teams: PATHS.skillsTeams,
  team: PATHS.skillsTeam,
} as const;

export const assessmentPath = (id: string) => `/competences/evaluation/${encodeURIComponent(id)}`;
export const resultPath = (id: string) => `/competences/resultats/${encodeURIComponent(id)}`;
export const teamPath = (id: string) => `/competences/equipes/${encodeURIComponent(id)}`;

const API = '/api/skills';
const at = (id: string) => `${API}/assessments/${encodeURIComponent(id)}`;

/** `send` answers undefined only for 204, which none of these routes gives. */
function body<T>(value: T | undefined): T {
  if (value === undefined) throw new Problem(502, 'internal');
  return value;
}

export const loadFramework = (signal?: AbortSignal) => getJson<FrameworkView>(`${API}/framework`, signal);
export const loadOverview = (signal?: AbortSignal) => getJson<SkillsOverview>(`${API}/overview`, signal);
export const chooseTargetProfile = async (profileId: string) =>
  body(await send<SkillsOverview>('PUT', `${API}/target-profile`, { profileId }));

export const startAssessment = async () => body(await send<AssessmentState>('POST', `${API}/assessments`, {}));
export const loadAssessments = (signal?: AbortSignal) =>
  getJson<{ assessments: AssessmentSummary[] }>(`${API}/assessments`, signal).then((answer) => answer.assessments);
export const loadAssessment = (id: string, signal?: AbortSignal) => getJson<AssessmentState>(at(id), signal);

export interface Answer {
  itemId: string;
  choices?: number[];
  text?: string;
}
export const submitAnswer = async (id: string, answer: Answer) => body(await send<AssessmentState>('POST', `${at(id)}/answers`, answer));
export const abandonAssessment = async (id: string) => body(await send<AssessmentState>('POST', `${at(id)}/abandon`));
export const loadReview = (id: string, signal?: AbortSignal) =>
  getJson<{ items: ReviewItem[] }>(`${at(id)}/review`, signal).then((answer) => answer.items);

export const setResourceStatus = async (resourceId: string, status: LearningResourceView['status']) =>
  body(await send<LearningResourceView>('PUT', `${API}/path/${encodeURIComponent(resourceId)}`, { status }));

/** The certificate (a PDF, downloaded by a plain link), in the page's language unless the server's link names one. */
export function certificateUrl(assessmentId: string, locale: Locale, serverUrl?: string): string {
  const url = new URL(serverUrl ?? `${API}/certificates/${encodeURIComponent(assessmentId)}`, window.location.origin);
  if (!url.searchParams.has('lang')) url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}

export const loadTeams = (signal?: AbortSignal) =>
  getJson<{ teams: TeamSummary[] }>(`${API}/teams`, signal).then((answer) => answer.teams);
export const loadTeamDashboard = (teamId: string, profileId: string | null, signal?: AbortSignal) =>
  getJson<TeamDashboard>(
    `${API}/teams/${encodeURIComponent(teamId)}/dashboard${profileId ? `?${new URLSearchParams({ profileId })}` : ''}`,
    signal,
  );
export const teamCsvUrl = (teamId: string, profileId: string | null) =>
  `${API}/teams/${encodeURIComponent(teamId)}/dashboard.csv${profileId ? `?${new URLSearchParams({ profileId })}` : ''}`;

/** The server refused an answer because another question is pending (409 `…question_changed`). */
export const isQuestionChanged = (error: unknown) =>
  error instanceof Problem && error.status === 409 && (error.slug.endsWith('question_changed') || error.slug === 'internal' || error.slug === 'conflict');
