import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { AssessmentRow, ResponseRow } from '../assessments/assessments.repo.ts';
import { TARGET_PROFILES } from '../framework/target-profiles.ts';
import { listItems } from '../items/items.repo.ts';
import { type AgentFile, ARCHIVE_BOUNDS, agentPath, FRAMEWORK_PATH, type FrameworkFile } from './archive-format.ts';
import { itemKeysByIds, listCompetencesForArchive, listOrganisationAssessments, listPathProgressOf, listProfilesForArchive, listResponsesOf, listSettingsOf } from './archive.repo.ts';

/**
 * The skills part of `entente export --org` (docs/export-format.md, « Skills results »): the
 * organisation's own competences, target profiles and items, and for each of its agents the
 * tests they took in this organisation (answers, levels, per-area results), their chosen target
 * profile and their learning-path progress, read from each agent's home cell. The organisation is
 * the controller of its own agents' data (as for their profiles in members.json); tests an agent
 * took in another organisation are that organisation's.
 *
 * Agents are read a batch at a time and each agent's file is written before the next batch: an
 * organisation's results never have to fit in memory at once.
 */
export interface SkillsArchiveWriter {
  json(path: string, value: unknown): Promise<void>;
}

export interface SkillsExportSummary {
  agents: number;
  assessments: number;
  responses: number;
  competences: number;
  targetProfiles: number;
  items: number;
}

const BATCH = 200;

export async function exportOrganisationSkills(
  stores: Stores,
  input: { organisationId: string; members: readonly { principalId: string; homeJurisdiction: Jurisdiction }[] },
  archive: SkillsArchiveWriter,
): Promise<SkillsExportSummary> {
  const control = stores.control.db;
  const organisationId = input.organisationId;
  const competences = await listCompetencesForArchive(control, organisationId);
  const profiles = await listProfilesForArchive(control, organisationId);
  const items = await listItems(control, { organisationId }, ARCHIVE_BOUNDS.items);
  const framework: FrameworkFile = {
    organisationId,
    competences: competences.map((c) => ({
      id: c.id,
      area: c.area,
      name: c.definition.name,
      description: c.definition.description,
      crcn: c.definition.crcn,
      quebec: c.definition.quebec,
      createdBy: c.created_by,
      createdAt: c.created_at.toISOString(),
    })),
    targetProfiles: profiles.map((p) => ({
      id: p.id,
      role: p.role,
      name: p.definition.name,
      required: p.definition.required,
      createdBy: p.created_by,
      updatedAt: p.updated_at.toISOString(),
    })),
    items: items.map((i) => ({
      id: i.id,
      key: i.key,
      competence: i.competence,
      level: i.level,
      kind: i.kind,
      correct: i.correct,
      fr: i.content.fr,
      ...(i.content.frCA ? { frCA: i.content.frCA } : {}),
      en: i.content.en,
      status: i.status,
      parameters: { a: i.a, b: i.b, c: i.c },
      calibratedAt: i.calibrated_at?.toISOString() ?? null,
      source: i.source === 'starter' ? 'imported' : i.source,
      createdBy: i.created_by,
      createdAt: i.created_at.toISOString(),
      updatedAt: i.updated_at.toISOString(),
    })),
  };
  await archive.json(FRAMEWORK_PATH, framework);

  const summary: SkillsExportSummary = { agents: 0, assessments: 0, responses: 0, competences: competences.length, targetProfiles: profiles.length, items: items.length };
  // A choice of another organisation's profile is that organisation's business, not this one's.
  const profileIds = new Set([...TARGET_PROFILES.map((p) => p.id), ...profiles.map((p) => p.id)]);
  const members = [...input.members].sort((x, y) => (x.principalId < y.principalId ? -1 : 1));
  for (let i = 0; i < members.length; i += BATCH) {
    const batch = members.slice(i, i + BATCH);
    for (const file of await agentFiles(stores, organisationId, batch, profileIds)) {
      await archive.json(agentPath(file.principalId), file);
      summary.agents += 1;
      summary.assessments += file.assessments.length;
      summary.responses += file.assessments.reduce((n, a) => n + a.responses.length, 0);
    }
  }
  return summary;
}

/** The files of one batch of agents who have any skills data, in principal-id order. */
async function agentFiles(
  stores: Stores,
  organisationId: string,
  batch: readonly { principalId: string; homeJurisdiction: Jurisdiction }[],
  profileIds: ReadonlySet<string>,
): Promise<AgentFile[]> {
  const files: AgentFile[] = [];
  for (const jurisdiction of ['FR', 'QC'] as const) {
    const ids = batch.filter((m) => m.homeJurisdiction === jurisdiction).map((m) => m.principalId);
    if (ids.length === 0) continue;
    const db = stores.cells[jurisdiction].db;
    const assessments = await listOrganisationAssessments(db, ids, organisationId);
    const responses = await listResponsesOf(
      db,
      assessments.map((a) => a.id),
    );
    const settings = new Map((await listSettingsOf(db, ids)).map((s) => [s.principal_id, s]));
    const progress = await listPathProgressOf(db, ids);
    const itemIds = new Set<string>();
    for (const r of responses) itemIds.add(r.item_id);
    for (const a of assessments) {
      if (a.pending_item_id) itemIds.add(a.pending_item_id);
      for (const id of a.options.excluded ?? []) itemIds.add(id);
    }
    const keys = await itemKeysByIds(stores.control.db, [...itemIds]);
    for (const principalId of ids) {
      const own = assessments.filter((a) => a.principal_id === principalId);
      const chosen = settings.get(principalId);
      const setting = chosen && profileIds.has(chosen.target_profile_id) ? chosen : undefined;
      const path = progress.filter((p) => p.principal_id === principalId);
      if (own.length === 0 && !setting && path.length === 0) continue;
      files.push({
        principalId,
        homeJurisdiction: jurisdiction,
        targetProfile: setting ? { id: setting.target_profile_id, updatedAt: setting.updated_at.toISOString() } : null,
        learningPath: path.map((p) => ({ resourceId: p.resource_id, status: p.status, updatedAt: p.updated_at.toISOString() })),
        assessments: own.map((a) =>
          archivedAssessment(
            a,
            responses.filter((r) => r.assessment_id === a.id),
            keys,
          ),
        ),
      });
    }
  }
  return files.sort((x, y) => (x.principalId < y.principalId ? -1 : 1));
}

function archivedAssessment(a: AssessmentRow, responses: readonly ResponseRow[], keys: ReadonlyMap<string, string>): AgentFile['assessments'][number] {
  const { excluded, ...options } = a.options;
  return {
    id: a.id,
    organisationId: a.organisation_id as string,
    status: a.status,
    frameworkVersion: a.framework_version,
    // Items left out are named by key: ids differ from one instance's bank to another's.
    options: { ...options, ...(excluded ? { excludedKeys: excluded.flatMap((id) => keys.get(id) ?? []) } : {}) },
    pendingItemId: a.pending_item_id,
    pendingItemKey: a.pending_item_id ? (keys.get(a.pending_item_id) ?? null) : null,
    answered: a.answered,
    level: a.level,
    result: a.result,
    startedAt: a.started_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
    completedAt: a.completed_at?.toISOString() ?? null,
    responses: responses.map((r) => ({
      id: r.id,
      position: r.position,
      itemId: r.item_id,
      itemKey: keys.get(r.item_id) ?? null,
      area: r.area as AgentFile['assessments'][number]['responses'][number]['area'],
      competence: r.competence,
      a: r.a,
      b: r.b,
      c: r.c,
      answer: r.answer,
      correct: r.correct,
      answeredAt: r.answered_at.toISOString(),
    })),
  };
}
