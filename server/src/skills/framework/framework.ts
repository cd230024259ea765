import type { FrameworkCompetence, FrameworkView, TargetProfileView } from '../../../../common/src/skills.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { localiseText, type SkillsLanguage } from '../items/localise.ts';
import { CRCN } from './crcn.ts';
import { AREAS, COMPETENCES, FRAMEWORK_VERSION } from './digcomp.ts';
import { listOrgCompetences, listOrgProfiles } from './framework.repo.ts';
import { QUEBEC_DIMENSIONS } from './quebec.ts';
import { TARGET_PROFILES } from './target-profiles.ts';
import type { Competence, Level, TargetProfile } from './types.ts';

/**
 * The framework as an agent sees it: DigComp 2.2 with its CRCN and Québec mappings, plus the
 * competences and target profiles of the agent's organisations (another organisation's stay
 * theirs). Read-only here; organisations' additions are managed in framework-admin.ts.
 */
export { FRAMEWORK_VERSION };

export interface ResolvedFramework {
  competences: Competence[];
  competenceOrganisation: Map<string, string | null>;
  profiles: (TargetProfile & { organisationId: string | null })[];
}

export async function resolveFramework(stores: Stores, organisationIds: readonly string[]): Promise<ResolvedFramework> {
  const own = await listOrgCompetences(stores.control.db, organisationIds);
  const profiles = await listOrgProfiles(stores.control.db, organisationIds);
  const competences: Competence[] = [...COMPETENCES];
  const competenceOrganisation = new Map<string, string | null>(COMPETENCES.map((c) => [c.id, null]));
  for (const row of own) {
    competences.push({ id: row.id, area: row.area, name: row.definition.name, description: row.definition.description, crcn: row.definition.crcn, quebec: row.definition.quebec });
    competenceOrganisation.set(row.id, row.organisation_id);
  }
  return {
    competences,
    competenceOrganisation,
    profiles: [
      ...TARGET_PROFILES.map((p) => ({ ...p, organisationId: null })),
      ...profiles.map((p) => ({ id: p.id, role: p.role, name: p.definition.name, required: p.definition.required, organisationId: p.organisation_id })),
    ],
  };
}

const crcnById = new Map(CRCN.map((c) => [c.id, c]));
const quebecById = new Map(QUEBEC_DIMENSIONS.map((d) => [d.id, d]));

export function competenceView(competence: Competence, organisationId: string | null, language: SkillsLanguage): FrameworkCompetence {
  return {
    id: competence.id,
    area: competence.area,
    name: localiseText(competence.name, language),
    description: localiseText(competence.description, language),
    crcn: competence.crcn.flatMap((id) => {
      const c = crcnById.get(id);
      return c ? [{ id, name: localiseText(c.name, language) }] : [];
    }),
    quebec: competence.quebec.flatMap((id) => {
      const d = quebecById.get(id);
      return d ? [{ id, name: localiseText(d.name, language) }] : [];
    }),
    organisationId,
  };
}

export function profileView(profile: TargetProfile & { organisationId: string | null }, language: SkillsLanguage): TargetProfileView {
  return { id: profile.id, role: profile.role, name: localiseText(profile.name, language), organisationId: profile.organisationId, required: { ...profile.required } };
}

export function frameworkView(resolved: ResolvedFramework, language: SkillsLanguage): FrameworkView {
  return {
    version: FRAMEWORK_VERSION,
    areas: AREAS.map((a) => ({ id: a.id, name: localiseText(a.name, language), description: localiseText(a.description, language) })),
    competences: resolved.competences.map((c) => competenceView(c, resolved.competenceOrganisation.get(c.id) ?? null, language)),
    targetProfiles: resolved.profiles.map((p) => profileView(p, language)),
  };
}

export function areaName(areaId: string, language: SkillsLanguage): string {
  const area = AREAS.find((a) => a.id === areaId);
  return area ? localiseText(area.name, language) : areaId;
}

export const DEFAULT_PROFILE_ID = 'default-agent';
export type { Level };
