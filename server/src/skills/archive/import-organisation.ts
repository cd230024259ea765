import type { z } from 'zod';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { COMPETENCES } from '../framework/digcomp.ts';
import { itemProblems, normaliseItem } from '../items/authoring.ts';
import { organisationKeyPrefix } from '../items/item-authoring.ts';
import type { StoredAssessmentOptions } from '../skills.tables.ts';
import { AGENTS_FOLDER, type AgentFile, AgentFileSchema, agentPath, FRAMEWORK_PATH, type FrameworkFile, FrameworkFileSchema } from './archive-format.ts';
import {
  assessmentExists,
  deleteFrameworkRows,
  deleteResultRows,
  insertArchivedAssessment,
  insertArchivedItemIfAbsent,
  insertArchivedResponses,
  insertCompetenceIfAbsent,
  insertPathProgressIfAbsent,
  insertProfileIfAbsent,
  insertSettingIfAbsent,
  itemIdsByKeys,
} from './archive.repo.ts';

/**
 * The skills part of `entente import` for an organisation's archive (docs/export-format.md).
 *
 * `checkOrganisationSkills` reads and validates every skills file before the import writes
 * anything (an archive is refused whole); `importOrganisationSkills` then writes, only when the
 * organisation exists here (its framework belongs to it), and only for agents who exist here
 * (as space members are re-attached): the others are reported and stay in the archive.
 *
 * Everything is inserted if absent, never overwritten: an assessment already here (same id: the
 * archive was imported before) is skipped, and an agent's own target-profile choice or progress
 * here stands over the archive's. Answers point at this bank's item with the same key (starter
 * items have other ids on another instance). If anything fails, what was inserted is removed.
 */
export interface SkillsArchiveReader {
  has(path: string): boolean;
  /** Every entry path of the archive. */
  paths(): Iterable<string>;
  json<T>(path: string, schema: z.ZodType<T>): Promise<T>;
  /** An archive_invalid refusal naming what is wrong. */
  invalid(message: string): Error;
}

export interface SkillsArchivePlan {
  framework: FrameworkFile;
  agentPaths: string[];
  principalIds: string[];
  assessments: number;
}

export interface SkillsImportReport {
  /** false: the organisation does not exist here; nothing of its skills data was written. */
  organisationFound: boolean;
  competences: { created: number; present: number };
  targetProfiles: { created: number; present: number };
  items: { created: number; present: number };
  agents: { imported: number; missing: string[] };
  assessments: { created: number; present: number; inProgressHere: number };
  targetProfileChoices: { created: number; keptHere: number };
  pathProgress: { created: number; keptHere: number };
  /** Answers whose item this bank does not have (kept with the archive's item id and parameters). */
  answersWithUnknownItem: number;
}

const DIGCOMP = new Set(COMPETENCES.map((c) => c.id));

export async function checkOrganisationSkills(archive: SkillsArchiveReader, organisationId: string): Promise<SkillsArchivePlan | null> {
  if (!archive.has(FRAMEWORK_PATH)) return null;
  const framework = await archive.json(FRAMEWORK_PATH, FrameworkFileSchema);
  if (framework.organisationId !== organisationId) throw archive.invalid(`${FRAMEWORK_PATH} names another organisation`);
  unique(archive, framework.competences.map((c) => c.id), `${FRAMEWORK_PATH}: competence`);
  unique(archive, framework.targetProfiles.map((p) => p.id), `${FRAMEWORK_PATH}: target profile`);
  unique(archive, framework.items.map((i) => i.id), `${FRAMEWORK_PATH}: item id`);
  unique(archive, framework.items.map((i) => i.key), `${FRAMEWORK_PATH}: item key`);
  const known = new Set([...DIGCOMP, ...framework.competences.map((c) => c.id)]);
  const prefix = organisationKeyPrefix(organisationId);
  for (const item of framework.items) {
    // An organisation's items live in its own key namespace: an archive cannot slip items in under the shared bank's keys.
    if (!item.key.startsWith(prefix)) throw archive.invalid(`${FRAMEWORK_PATH}: item ${item.key} is not in the organisation's key namespace (${prefix}…)`);
    // Live items are asked in tests: they must meet the authoring rules (drafts may be unfinished).
    if (item.status === 'live') {
      const problems = itemProblems(normaliseItem(item), known);
      if (problems.length > 0) throw archive.invalid(`${FRAMEWORK_PATH}: item ${item.key}: ${problems.map((p) => `${p.path} ${p.code}`).join(', ')}`);
    }
  }
  for (const profile of framework.targetProfiles) {
    for (const competence of Object.keys(profile.required)) {
      if (!known.has(competence)) throw archive.invalid(`${FRAMEWORK_PATH}: target profile ${profile.id} requires an unknown competence ${competence}`);
    }
  }

  const agentPaths = [...archive.paths()].filter((p) => p.startsWith(AGENTS_FOLDER)).sort();
  const assessmentIds = new Set<string>();
  const responseIds = new Set<string>();
  const principalIds: string[] = [];
  let assessments = 0;
  for (const path of agentPaths) {
    const agent = await archive.json(path, AgentFileSchema);
    if (path !== agentPath(agent.principalId)) throw archive.invalid(`${path} holds another agent's data`);
    principalIds.push(agent.principalId);
    unique(archive, agent.learningPath.map((p) => p.resourceId), `${path}: learning-path resource`);
    if (agent.assessments.filter((a) => a.status === 'in_progress').length > 1) throw archive.invalid(`${path}: more than one test in progress`);
    for (const a of agent.assessments) {
      const where = `${path}: assessment ${a.id}`;
      if (a.organisationId !== organisationId) throw archive.invalid(`${where} was taken in another organisation`);
      if (assessmentIds.has(a.id)) throw archive.invalid(`${where} appears twice`);
      assessmentIds.add(a.id);
      const completed = a.status === 'completed';
      if (completed !== (a.result !== null) || completed !== (a.level !== null) || completed !== (a.completedAt !== null) || (a.result && a.result.level !== a.level)) {
        throw archive.invalid(`${where}: status, result, level and completion disagree`);
      }
      if (a.pendingItemId !== null && a.status !== 'in_progress') throw archive.invalid(`${where}: a pending question in a finished test`);
      unique(archive, a.responses.map((r) => String(r.position)), `${where}: answer position`);
      unique(archive, a.responses.map((r) => r.itemId), `${where}: answered item`);
      unique(archive, a.responses.flatMap((r) => r.itemKey ?? []), `${where}: answered item key`);
      for (const r of a.responses) {
        if (responseIds.has(r.id)) throw archive.invalid(`${where}: answer ${r.id} appears twice`);
        responseIds.add(r.id);
      }
      assessments += 1;
    }
  }
  return { framework, agentPaths, principalIds, assessments };
}

function unique(archive: SkillsArchiveReader, values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw archive.invalid(`${what} ${v} appears twice`);
    seen.add(v);
  }
}

interface Inserted {
  framework: { competences: string[]; profiles: string[]; items: string[] };
  cells: Record<Jurisdiction, { assessments: string[]; settings: string[]; progress: { principalId: string; resourceId: string }[] }>;
}

export async function importOrganisationSkills(
  stores: Stores,
  archive: SkillsArchiveReader,
  plan: SkillsArchivePlan,
  here: { organisationExists: boolean; agents: ReadonlyMap<string, Jurisdiction> },
): Promise<SkillsImportReport> {
  const report: SkillsImportReport = {
    organisationFound: here.organisationExists,
    competences: { created: 0, present: 0 },
    targetProfiles: { created: 0, present: 0 },
    items: { created: 0, present: 0 },
    agents: { imported: 0, missing: plan.principalIds.filter((id) => !here.agents.has(id)) },
    assessments: { created: 0, present: 0, inProgressHere: 0 },
    targetProfileChoices: { created: 0, keptHere: 0 },
    pathProgress: { created: 0, keptHere: 0 },
    answersWithUnknownItem: 0,
  };
  if (!here.organisationExists) return report;
  const inserted: Inserted = {
    framework: { competences: [], profiles: [], items: [] },
    cells: { FR: { assessments: [], settings: [], progress: [] }, QC: { assessments: [], settings: [], progress: [] } },
  };
  try {
    await importFramework(stores, plan, report, inserted);
    for (const path of plan.agentPaths) {
      // Read again (and hashed again): the archive may not change between the check and the write.
      const agent = await archive.json(path, AgentFileSchema);
      const home = here.agents.get(agent.principalId);
      if (!home) continue;
      const keys = await itemIdsByKeys(stores.control.db, referencedKeys(agent));
      await stores.cells[home].db.transaction().execute((trx) => importAgent(trx, agent, keys, report, inserted.cells[home]));
      report.agents.imported += 1;
    }
  } catch (error) {
    for (const j of ['FR', 'QC'] as const) await deleteResultRows(stores.cells[j].db, inserted.cells[j]);
    await deleteFrameworkRows(stores.control.db, inserted.framework);
    throw error;
  }
  return report;
}

async function importFramework(stores: Stores, plan: SkillsArchivePlan, report: SkillsImportReport, inserted: Inserted): Promise<void> {
  const { framework } = plan;
  const organisation_id = framework.organisationId;
  await stores.control.db.transaction().execute(async (trx) => {
    const done: Inserted['framework'] = { competences: [], profiles: [], items: [] };
    for (const c of framework.competences) {
      const definition = { name: c.name, description: c.description, crcn: c.crcn, quebec: c.quebec };
      const created = await insertCompetenceIfAbsent(trx, { id: c.id, organisation_id, area: c.area, definition, created_by: c.createdBy, created_at: new Date(c.createdAt) });
      if (created) done.competences.push(c.id);
      count(report.competences, created);
    }
    for (const p of framework.targetProfiles) {
      const created = await insertProfileIfAbsent(trx, {
        id: p.id,
        organisation_id,
        role: p.role,
        definition: { name: p.name, required: p.required as Record<string, 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8> },
        created_by: p.createdBy,
        updated_at: new Date(p.updatedAt),
      });
      if (created) done.profiles.push(p.id);
      count(report.targetProfiles, created);
    }
    for (const i of framework.items) {
      const created = await insertArchivedItemIfAbsent(trx, {
        id: i.id,
        key: i.key,
        organisation_id,
        competence: i.competence,
        level: i.level as 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8,
        kind: i.kind,
        status: i.status,
        correct: i.correct,
        content: { fr: i.fr, ...(i.frCA ? { frCA: i.frCA } : {}), en: i.en } as never,
        a: i.parameters.a,
        b: i.parameters.b,
        c: i.parameters.c,
        calibrated_at: i.calibratedAt === null ? null : new Date(i.calibratedAt),
        calibration: null,
        source: i.source,
        source_hash: null,
        created_by: i.createdBy,
        created_at: new Date(i.createdAt),
        updated_at: new Date(i.updatedAt),
      });
      if (created) done.items.push(i.id);
      count(report.items, created);
    }
    // Only once committed: a rolled-back transaction left nothing to undo.
    inserted.framework = done;
  });
}

function count(tally: { created: number; present: number }, created: boolean): void {
  if (created) tally.created += 1;
  else tally.present += 1;
}

function referencedKeys(agent: AgentFile): string[] {
  const keys = new Set<string>();
  for (const a of agent.assessments) {
    if (a.pendingItemKey) keys.add(a.pendingItemKey);
    for (const k of a.options.excludedKeys ?? []) keys.add(k);
    for (const r of a.responses) if (r.itemKey) keys.add(r.itemKey);
  }
  return [...keys];
}

async function importAgent(
  trx: CellDb,
  agent: AgentFile,
  keys: ReadonlyMap<string, string>,
  report: SkillsImportReport,
  inserted: Inserted['cells'][Jurisdiction],
): Promise<void> {
  const done: Inserted['cells'][Jurisdiction] = { assessments: [], settings: [], progress: [] };
  let unknownItems = 0;
  const tally = { created: 0, present: 0, inProgressHere: 0 };
  const itemHere = (id: string, key: string | null) => (key !== null ? keys.get(key) : undefined) ?? id;
  for (const a of agent.assessments) {
    const { excludedKeys, ...rest } = a.options;
    const options: StoredAssessmentOptions = { ...rest, ...(excludedKeys ? { excluded: excludedKeys.flatMap((k) => keys.get(k) ?? []) } : {}) };
    const created = await insertArchivedAssessment(trx, {
      id: a.id,
      principal_id: agent.principalId,
      organisation_id: a.organisationId,
      status: a.status,
      pending_item_id: a.pendingItemId === null ? null : itemHere(a.pendingItemId, a.pendingItemKey),
      answered: a.answered,
      options,
      framework_version: a.frameworkVersion,
      result: a.result,
      level: a.level,
      started_at: new Date(a.startedAt),
      updated_at: new Date(a.updatedAt),
      completed_at: a.completedAt === null ? null : new Date(a.completedAt),
    });
    if (!created) {
      // Same id here: imported before. Otherwise: the agent has a test in progress here (one at a time).
      if (a.status === 'in_progress' && !(await assessmentExists(trx, a.id))) tally.inProgressHere += 1;
      else tally.present += 1;
      continue;
    }
    done.assessments.push(a.id);
    tally.created += 1;
    await insertArchivedResponses(
      trx,
      a.responses.map((r) => {
        if (r.itemKey === null || !keys.has(r.itemKey)) unknownItems += 1;
        return {
          id: r.id,
          assessment_id: a.id,
          principal_id: agent.principalId,
          item_id: itemHere(r.itemId, r.itemKey),
          position: r.position,
          area: r.area,
          competence: r.competence,
          a: r.a,
          b: r.b,
          c: r.c,
          answer: r.answer,
          correct: r.correct,
          answered_at: new Date(r.answeredAt),
        };
      }),
    );
  }
  let choice = { created: 0, keptHere: 0 };
  if (agent.targetProfile) {
    const created = await insertSettingIfAbsent(trx, { principal_id: agent.principalId, target_profile_id: agent.targetProfile.id, updated_at: new Date(agent.targetProfile.updatedAt) });
    if (created) done.settings.push(agent.principalId);
    choice = created ? { created: 1, keptHere: 0 } : { created: 0, keptHere: 1 };
  }
  const path = { created: 0, keptHere: 0 };
  for (const p of agent.learningPath) {
    const created = await insertPathProgressIfAbsent(trx, { principal_id: agent.principalId, resource_id: p.resourceId, status: p.status, updated_at: new Date(p.updatedAt) });
    if (created) done.progress.push({ principalId: agent.principalId, resourceId: p.resourceId });
    path[created ? 'created' : 'keptHere'] += 1;
  }
  // Counted once the agent's transaction is certain to commit (nothing after this throws).
  report.assessments.created += tally.created;
  report.assessments.present += tally.present;
  report.assessments.inProgressHere += tally.inProgressHere;
  report.targetProfileChoices.created += choice.created;
  report.targetProfileChoices.keptHere += choice.keptHere;
  report.pathProgress.created += path.created;
  report.pathProgress.keptHere += path.keptHere;
  report.answersWithUnknownItem += unknownItems;
  inserted.assessments.push(...done.assessments);
  inserted.settings.push(...done.settings);
  inserted.progress.push(...done.progress);
}
