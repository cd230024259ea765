import type { Actor } from '../../identity/actor.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import { AppError, type FieldError, invalid, notFound } from '../../platform/errors.ts';
import { type AuthoringDeps, knownCompetences, requireAuthor } from '../items/item-authoring.ts';
import { countItemsWithCompetence } from '../items/items.repo.ts';
import type { SkillsLanguage } from '../items/localise.ts';
import { CRCN } from './crcn.ts';
import { COMPETENCES } from './digcomp.ts';
import {
  countOrgCompetences,
  countOrgProfiles,
  deleteOrgCompetence,
  deleteOrgProfile,
  findOrgProfile,
  insertOrgCompetence,
  listOrgCompetences,
  listOrgProfiles,
  type OrgCompetenceRow,
  type OrgProfileRow,
  saveOrgProfile,
} from './framework.repo.ts';
import { QUEBEC_DIMENSIONS } from './quebec.ts';
import type { AreaId, Level, LocalisedText, TargetRole } from './types.ts';

/**
 * An organisation's own competences and target profiles (issue 8: « Organisations may add their
 * own competences … and target profiles »), managed by its trainers and administrators; the
 * framework endpoint shows them to its members (framework.ts). Rules:
 * - another organisation's competence or profile is not found, and cannot be overwritten (a
 *   profile id of another organisation is refused, whatever the request says);
 * - CRCN and Québec mappings name known ids only; a profile requires levels of known
 *   competences only (DigComp's and the organisation's own);
 * - at most 50 competences and 20 profiles per organisation;
 * - a competence its organisation's items still ask about is not removed (409); removing one
 *   takes it out of the organisation's profiles;
 * - every change is audited in the control plane with the organisation's id.
 */
export const FRAMEWORK_LIMITS = { competences: 50, profiles: 20 } as const;

export interface OrgCompetenceView {
  id: string;
  organisationId: string;
  area: AreaId;
  name: LocalisedText;
  description: LocalisedText;
  crcn: string[];
  quebec: string[];
}
export interface OrgProfileView {
  id: string;
  organisationId: string;
  role: TargetRole;
  name: LocalisedText;
  required: Record<string, Level>;
}

const competenceView = (row: OrgCompetenceRow): OrgCompetenceView => ({
  id: row.id,
  organisationId: row.organisation_id,
  area: row.area,
  name: row.definition.name,
  description: row.definition.description,
  crcn: row.definition.crcn,
  quebec: row.definition.quebec,
});
const profileView = (row: OrgProfileRow): OrgProfileView => ({ id: row.id, organisationId: row.organisation_id, role: row.role, name: row.definition.name, required: row.definition.required });

/** The words the limit message names, in the reader's language. */
const WHAT: Record<'competences' | 'profiles', Record<SkillsLanguage, string>> = {
  competences: { 'fr-FR': 'compétences', 'fr-CA': 'compétences', en: 'competences' },
  profiles: { 'fr-FR': 'profils cibles', 'fr-CA': 'profils cibles', en: 'target profiles' },
};
const limitReached = (what: 'competences' | 'profiles', language: SkillsLanguage) =>
  new AppError('skills_limit_reached', { status: 409, params: { what: WHAT[what][language], limit: FRAMEWORK_LIMITS[what] } });

async function record(deps: AuthoringDeps, actor: Actor, meta: RequestMeta, action: string, organisationId: string, resource: { type: string; id: string }, details: Record<string, string | number | boolean | null> = {}) {
  await deps.audit.record({ action, outcome: 'success', actorId: actor.principalId, organisationId, resource, ip: meta.ip, requestId: meta.requestId, details });
}

/**
 * 'Utiliser l’IA générative' → 'org-utiliser-l-ia-generative': at most 40 characters of slug, cut
 * between words (item keys repeat the id, and keys hold 64 characters).
 */
export function competenceIdFrom(name: string): string {
  let slug = name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > 40) {
    const cut = slug.slice(0, 41);
    slug = cut.includes('-') ? cut.slice(0, cut.lastIndexOf('-')) : cut.slice(0, 40);
  }
  return `org-${slug || 'competence'}`;
}

export async function listCompetences(deps: AuthoringDeps, actor: Actor | null, organisationId: string): Promise<OrgCompetenceView[]> {
  requireAuthor(actor, organisationId);
  return (await listOrgCompetences(deps.stores.control.db, [organisationId])).map(competenceView);
}

export interface CompetenceInput {
  id?: string;
  area: AreaId;
  name: LocalisedText;
  description: LocalisedText;
  crcn: string[];
  quebec: string[];
}

const CRCN_IDS = new Set(CRCN.map((c) => c.id));
const QUEBEC_IDS = new Set(QUEBEC_DIMENSIONS.map((d) => d.id));

export async function addCompetence(deps: AuthoringDeps, actorOrNull: Actor | null, meta: RequestMeta, organisationId: string, input: CompetenceInput, language: SkillsLanguage): Promise<OrgCompetenceView> {
  const actor = requireAuthor(actorOrNull, organisationId);
  const errors: FieldError[] = [];
  input.crcn.forEach((id, i) => {
    if (!CRCN_IDS.has(id)) errors.push({ path: `body.crcn.${i}`, message: 'unknown CRCN competence', code: 'unknown_crcn' });
  });
  input.quebec.forEach((id, i) => {
    if (!QUEBEC_IDS.has(id)) errors.push({ path: `body.quebec.${i}`, message: 'unknown Québec dimension', code: 'unknown_quebec' });
  });
  for (const field of ['name', 'description'] as const) {
    for (const lang of ['fr', 'en'] as const) {
      if (input[field][lang].trim() === '') errors.push({ path: `body.${field}.${lang}`, message: 'required', code: 'required' });
    }
  }
  if (errors.length > 0) throw invalid(errors);
  const db = deps.stores.control.db;
  if ((await countOrgCompetences(db, organisationId)) >= FRAMEWORK_LIMITS.competences) throw limitReached('competences', language);
  const id = input.id ?? competenceIdFrom(input.name.fr);
  const name = { fr: input.name.fr.trim(), ...(input.name.frCA?.trim() ? { frCA: input.name.frCA.trim() } : {}), en: input.name.en.trim() };
  const description = { fr: input.description.fr.trim(), ...(input.description.frCA?.trim() ? { frCA: input.description.frCA.trim() } : {}), en: input.description.en.trim() };
  const row: OrgCompetenceRow = {
    id,
    organisation_id: organisationId,
    area: input.area,
    definition: { name, description, crcn: [...new Set(input.crcn)], quebec: [...new Set(input.quebec)] },
  };
  // Ids are global (items name them): one taken by any organisation is refused.
  if (!(await insertOrgCompetence(db, { ...row, created_by: actor.principalId }))) throw new AppError('competence_id_taken', { status: 409 });
  await record(deps, actor, meta, 'skills.competence.added', organisationId, { type: 'skills_competence', id });
  return competenceView(row);
}

export async function removeCompetence(deps: AuthoringDeps, actorOrNull: Actor | null, meta: RequestMeta, organisationId: string, competenceId: string): Promise<void> {
  const actor = requireAuthor(actorOrNull, organisationId);
  const db = deps.stores.control.db;
  const own = (await listOrgCompetences(db, [organisationId])).some((c) => c.id === competenceId);
  if (!own) throw notFound();
  const used = await countItemsWithCompetence(db, organisationId, competenceId);
  if (used > 0) throw new AppError('conflict', { extensions: { reason: 'competence_in_use', items: used } });
  await db.transaction().execute(async (trx) => {
    if (!(await deleteOrgCompetence(trx, organisationId, competenceId))) throw notFound();
    for (const profile of await listOrgProfiles(trx, [organisationId])) {
      if (!(competenceId in profile.definition.required)) continue;
      const { [competenceId]: _removed, ...required } = profile.definition.required;
      await saveOrgProfile(trx, { ...profile, definition: { ...profile.definition, required }, created_by: actor.principalId });
    }
  });
  await record(deps, actor, meta, 'skills.competence.removed', organisationId, { type: 'skills_competence', id: competenceId });
}

export async function listProfiles(deps: AuthoringDeps, actor: Actor | null, organisationId: string): Promise<OrgProfileView[]> {
  requireAuthor(actor, organisationId);
  return (await listOrgProfiles(deps.stores.control.db, [organisationId])).map(profileView);
}

export interface ProfileInput {
  role: TargetRole;
  name: LocalisedText;
  required: Record<string, number>;
}

export async function saveProfile(
  deps: AuthoringDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  organisationId: string,
  profileId: string,
  input: ProfileInput,
  language: SkillsLanguage,
): Promise<OrgProfileView> {
  const actor = requireAuthor(actorOrNull, organisationId);
  const db = deps.stores.control.db;
  const known = await knownCompetences(db, organisationId);
  const errors: FieldError[] = [];
  for (const competence of Object.keys(input.required)) {
    if (!known.has(competence)) errors.push({ path: `body.required.${competence}`, message: 'unknown competence', code: 'unknown_competence' });
  }
  for (const lang of ['fr', 'en'] as const) {
    if (input.name[lang].trim() === '') errors.push({ path: `body.name.${lang}`, message: 'required', code: 'required' });
  }
  if (errors.length > 0) throw invalid(errors);
  const existing = await findOrgProfile(db, profileId);
  // Another organisation's profile is not this one's to see or change.
  if (existing && existing.organisation_id !== organisationId) throw notFound();
  if (!existing && (await countOrgProfiles(db, organisationId)) >= FRAMEWORK_LIMITS.profiles) throw limitReached('profiles', language);
  const name = { fr: input.name.fr.trim(), ...(input.name.frCA?.trim() ? { frCA: input.name.frCA.trim() } : {}), en: input.name.en.trim() };
  const row: OrgProfileRow = { id: profileId, organisation_id: organisationId, role: input.role, definition: { name, required: input.required as Record<string, Level> } };
  if (!(await saveOrgProfile(db, { ...row, created_by: actor.principalId }))) throw notFound();
  await record(deps, actor, meta, 'skills.target_profile.saved', organisationId, { type: 'skills_target_profile', id: profileId }, { created: !existing, competences: Object.keys(input.required).length });
  return profileView(row);
}

export async function removeProfile(deps: AuthoringDeps, actorOrNull: Actor | null, meta: RequestMeta, organisationId: string, profileId: string): Promise<void> {
  const actor = requireAuthor(actorOrNull, organisationId);
  if (!(await deleteOrgProfile(deps.stores.control.db, organisationId, profileId))) throw notFound();
  await record(deps, actor, meta, 'skills.target_profile.removed', organisationId, { type: 'skills_target_profile', id: profileId });
}

/** DigComp's competence ids, for the routes' documentation. */
export const DIGCOMP_IDS = COMPETENCES.map((c) => c.id);
