import type { LearningResourceView, SkillsOverview } from '../../../../common/src/skills.ts';
import type { Actor } from '../../identity/actor.ts';
import { AppError, notFound, unauthenticated } from '../../platform/errors.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import { findInProgress, listOwnAssessments } from '../assessments/assessments.repo.ts';
import type { SkillsDeps } from '../assessments/assessments.ts';
import { summaryView, resultView } from '../assessments/views.ts';
import { DEFAULT_PROFILE_ID, profileView, resolveFramework } from '../framework/framework.ts';
import { localiseText, type SkillsLanguage } from '../items/localise.ts';
import { RESOURCES } from '../resources/catalogue.ts';
import type { PathStatus } from '../skills.tables.ts';
import { findTargetProfileChoice, listPathProgress, savePathProgress, saveTargetProfileChoice } from '../assessments/settings.repo.ts';
import { gapsOf, learningPath } from './learning-path.ts';

/**
 * « Mes compétences »: the latest result, strengths and gaps against the agent's chosen target
 * profile, the learning path, whether to take the test again, and the certificate. Everything
 * read from the agent's home cell; nothing here is visible to anyone else.
 */
export const REASSESS_AFTER_DAYS = 180;

function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

/** A trainer or administrator of an organisation, or an operator: may write items (the bank, the framework). */
export function canAuthor(actor: Actor): boolean {
  return actor.platformRoles.has('operator') || [...actor.memberships.values()].some((roles) => roles.includes('trainer') || roles.includes('admin'));
}

export async function skillsOverview(deps: SkillsDeps, actorOrNull: Actor | null, language: SkillsLanguage): Promise<SkillsOverview> {
  const actor = requireActor(actorOrNull);
  const db = deps.stores.cells[actor.homeJurisdiction].db;
  const framework = await resolveFramework(deps.stores, [...actor.memberships.keys()]);
  const competences = new Map(framework.competences.map((c) => [c.id, c]));
  const [history, inProgress, choice, progress] = await Promise.all([
    listOwnAssessments(db, actor.principalId, 20),
    findInProgress(db, actor.principalId),
    findTargetProfileChoice(db, actor.principalId),
    listPathProgress(db, actor.principalId),
  ]);
  const latest = history.find((a) => a.status === 'completed') ?? null;
  const profile = framework.profiles.find((p) => p.id === choice) ?? framework.profiles.find((p) => p.id === DEFAULT_PROFILE_ID);
  // The default profile is one of the built-in TARGET_PROFILES, which every resolved framework lists.
  if (!profile) throw new Error(`Skills: the default target profile ${DEFAULT_PROFILE_ID} is missing from the framework`);
  const result = latest?.result ?? null;
  const { gaps, strengths } = gapsOf(result, profile.required, (id) => {
    const c = competences.get(id);
    return c ? { name: localiseText(c.name, language), area: c.area } : null;
  });
  const path: LearningResourceView[] = result
    ? learningPath(gaps, RESOURCES, { jurisdiction: actor.homeJurisdiction, language: language === 'en' ? 'en' : 'fr', progress })
    : [];
  const ageDays = latest?.completed_at ? (Date.now() - latest.completed_at.getTime()) / 86_400_000 : null;
  const pathDone = path.length > 0 && path.every((r) => r.status === 'done');
  // A test under way is the assessment being suggested: no second call to take one.
  const reason = inProgress ? null : !latest ? 'never' : ageDays !== null && ageDays > REASSESS_AFTER_DAYS ? 'old' : pathDone ? 'path_done' : null;
  return {
    latest: latest ? summaryView(latest) : null,
    result: latest && result ? resultView(result, latest.framework_version, competences, language) : null,
    inProgress: inProgress ? summaryView(inProgress) : null,
    targetProfile: profileView(profile, language),
    strengths,
    gaps,
    path,
    reassessment: { suggested: reason !== null, reason },
    certificate: latest ? { assessmentId: latest.id, url: `/api/skills/certificates/${latest.id}` } : null,
    canAuthor: canAuthor(actor),
  };
}

export async function chooseTargetProfile(deps: SkillsDeps, actorOrNull: Actor | null, meta: RequestMeta, profileId: string, language: SkillsLanguage): Promise<SkillsOverview> {
  const actor = requireActor(actorOrNull);
  const framework = await resolveFramework(deps.stores, [...actor.memberships.keys()]);
  if (!framework.profiles.some((p) => p.id === profileId)) {
    throw new AppError('validation', { errors: [{ path: 'body.profileId', message: 'unknown target profile', code: 'unknown_profile' }] });
  }
  await saveTargetProfileChoice(deps.stores.cells[actor.homeJurisdiction].db, actor.principalId, profileId);
  void meta;
  return skillsOverview(deps, actor, language);
}

/** Progress on one resource of the catalogue (any resource: the path changes as levels do). */
export async function setPathStatus(deps: SkillsDeps, actorOrNull: Actor | null, resourceId: string, status: PathStatus, language: SkillsLanguage): Promise<LearningResourceView> {
  const actor = requireActor(actorOrNull);
  const resource = RESOURCES.find((r) => r.id === resourceId);
  if (!resource) throw notFound();
  await savePathProgress(deps.stores.cells[actor.homeJurisdiction].db, actor.principalId, resourceId, status);
  const english = language === 'en';
  return {
    id: resource.id,
    title: (english ? (resource.title.en ?? resource.title.fr) : (resource.title.fr ?? resource.title.en)) ?? resource.id,
    url: resource.url,
    provider: resource.provider,
    language: resource.language,
    durationMinutes: resource.durationMinutes,
    competences: resource.competences,
    levels: [resource.levels[0], resource.levels[1]],
    status,
  };
}
