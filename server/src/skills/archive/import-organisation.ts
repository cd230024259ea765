import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { CellDb, ControlDb } from '../../platform/db/types.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { provisionalParameters } from '../cat/index.ts';
import type { Level } from '../framework/types.ts';
import type { PathStatus, StoredAssessmentOptions } from '../skills.tables.ts';
import { type AgentFile, AgentFileSchema } from './archive-format.ts';
import {
  assessmentExists,
  deleteFrameworkRows,
  deleteResultRows,
  existingResponseIds,
  frameworkOwners,
  insertArchivedAssessment,
  insertArchivedItemIfAbsent,
  insertArchivedResponses,
  insertCompetenceIfAbsent,
  insertPathProgressIfAbsent,
  insertProfileIfAbsent,
  insertSettingIfAbsent,
  itemIdsByKeys,
} from './archive.repo.ts';
import type { SkillsArchivePlan, SkillsArchiveReader } from './check-organisation.ts';

/**
 * The skills part of `entente import` for an organisation's archive (docs/export-format.md), once
 * `checkOrganisationSkills` has accepted every file and every space is in.
 *
 * It writes only when the organisation exists here (its framework belongs to it), and only for
 * agents who are active members of it here (as space members are re-attached): the others are
 * reported and stay in the archive. Each agent's data goes to their home cell here.
 *
 * Everything is inserted if absent, never overwritten: a test already here (same id: the archive
 * was imported before) is skipped, and an agent's own target-profile choice or progress here
 * stands over the archive's. Answers point at this instance's item with the same key, in the
 * shared bank or the organisation's own only; an item this bank does not have gets an id of its
 * own (never one of another bank's items), and a pending question that is not here is chosen
 * again when the agent resumes. The organisation's items start again from provisional
 * parameters: this instance's calibration sets them, not the archive. If anything fails — the
 * audit entry included (`done`) — what was inserted is removed.
 */
export interface SkillsImportReport {
  /** false: the organisation does not exist here; nothing of its skills data was written. */
  organisationFound: boolean;
  competences: { created: number; present: number };
  targetProfiles: { created: number; present: number };
  items: { created: number; present: number };
  /** missing: agents of the archive who are not active members of the organisation here. */
  agents: { imported: number; missing: string[] };
  assessments: { created: number; present: number; inProgressHere: number };
  targetProfileChoices: { created: number; keptHere: number };
  pathProgress: { created: number; keptHere: number };
  /** Answers whose item this bank does not have (kept with the parameters they were scored with). */
  answersWithUnknownItem: number;
}

interface Inserted {
  framework: { competences: string[]; profiles: string[]; items: string[] };
  cells: Record<Jurisdiction, Parameters<typeof deleteResultRows>[1]>;
}

const emptyCell = (): Inserted['cells'][Jurisdiction] => ({ assessments: [], settings: [], progress: [] });

export async function importOrganisationSkills(
  stores: Stores,
  archive: SkillsArchiveReader,
  plan: SkillsArchivePlan,
  here: { organisationExists: boolean; agents: ReadonlyMap<string, Jurisdiction> },
  done: (report: SkillsImportReport) => Promise<void>,
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
  if (!here.organisationExists) {
    await done(report);
    return report;
  }
  const inserted: Inserted = { framework: { competences: [], profiles: [], items: [] }, cells: { FR: emptyCell(), QC: emptyCell() } };
  const organisationId = plan.framework.organisationId;
  try {
    await importFramework(stores.control.db, archive, plan, report, inserted);
    for (const path of plan.agentPaths) {
      // Read again (and hashed again): the archive may not change between the check and the write.
      const agent = await archive.json(path, AgentFileSchema);
      const home = here.agents.get(agent.principalId);
      if (!home) continue;
      const keys = await itemIdsByKeys(stores.control.db, referencedKeys(agent), organisationId);
      await stores.cells[home].db.transaction().execute((trx) => importAgent(trx, archive, agent, organisationId, keys, report, inserted.cells[home]));
      report.agents.imported += 1;
    }
    await done(report);
  } catch (error) {
    for (const j of ['FR', 'QC'] as const) await deleteResultRows(stores.cells[j].db, inserted.cells[j]);
    await deleteFrameworkRows(stores.control.db, inserted.framework);
    throw error;
  }
  return report;
}

async function importFramework(control: ControlDb, archive: SkillsArchiveReader, plan: SkillsArchivePlan, report: SkillsImportReport, inserted: Inserted): Promise<void> {
  const { framework } = plan;
  const organisation_id = framework.organisationId;
  await control.transaction().execute(async (trx) => {
    // An id (or an item's key) another organisation holds here is refused: never written over, never silently skipped.
    const owners = await frameworkOwners(trx, {
      competences: framework.competences.map((c) => c.id),
      profiles: framework.targetProfiles.map((p) => p.id),
      items: framework.items.map((i) => i.id),
      keys: framework.items.map((i) => i.key),
    });
    for (const owner of [...owners.competences, ...owners.profiles, ...owners.items]) {
      if (owner.organisation_id !== organisation_id) throw archive.invalid(`organisation/skills/framework.json: ${owner.id} belongs to another organisation here`);
    }
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
        definition: { name: p.name, required: p.required as Record<string, Level> },
        created_by: p.createdBy,
        updated_at: new Date(p.updatedAt),
      });
      if (created) done.profiles.push(p.id);
      count(report.targetProfiles, created);
    }
    for (const i of framework.items) {
      // Parameters decide certified levels: an organisation never sets its own items' (as in
      // authoring); this instance's calibration will, from the answers it collects.
      const parameters = provisionalParameters(i.level as Level);
      const created = await insertArchivedItemIfAbsent(trx, {
        id: i.id,
        key: i.key,
        organisation_id,
        competence: i.competence,
        level: i.level as Level,
        kind: i.kind,
        status: i.status,
        correct: i.correct,
        content: { fr: i.fr, ...(i.frCA ? { frCA: i.frCA } : {}), en: i.en } as never,
        a: parameters.a,
        b: parameters.b,
        c: parameters.c,
        calibrated_at: null,
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
  archive: SkillsArchiveReader,
  agent: AgentFile,
  organisationId: string,
  keys: ReadonlyMap<string, string>,
  report: SkillsImportReport,
  inserted: Inserted['cells'][Jurisdiction],
): Promise<void> {
  const done = emptyCell();
  let unknownItems = 0;
  const tally = { created: 0, present: 0, inProgressHere: 0 };
  for (const a of agent.assessments) {
    const { excludedKeys, organisations: _, ...rest } = a.options;
    // The test draws from the shared bank and this organisation's: an archive cannot add others'.
    const options: StoredAssessmentOptions = { ...rest, organisations: [organisationId], ...(excludedKeys ? { excluded: excludedKeys.flatMap((k) => keys.get(k) ?? []) } : {}) };
    const updatedAt = new Date(a.updatedAt);
    const created = await insertArchivedAssessment(trx, {
      id: a.id,
      principal_id: agent.principalId,
      organisation_id: organisationId,
      status: a.status,
      // A pending question this bank does not have: chosen again when the agent resumes.
      pending_item_id: a.pendingItemKey === null ? null : (keys.get(a.pendingItemKey) ?? null),
      answered: a.answered,
      options,
      framework_version: a.frameworkVersion,
      result: a.result,
      level: a.level,
      started_at: new Date(a.startedAt),
      updated_at: updatedAt,
      completed_at: a.completedAt === null ? null : new Date(a.completedAt),
    });
    if (!created) {
      // Same id here: imported before. Otherwise: the agent has a test in progress here (one at a time).
      if (a.status === 'in_progress' && !(await assessmentExists(trx, a.id))) tally.inProgressHere += 1;
      else tally.present += 1;
      continue;
    }
    const taken = await existingResponseIds(
      trx,
      a.responses.map((r) => r.id),
    );
    if (taken.length > 0) throw archive.invalid(`agents/${agent.principalId}.json: assessment ${a.id}: answer ${taken[0]} exists here already`);
    done.assessments.push({ id: a.id, updatedAt });
    tally.created += 1;
    await insertArchivedResponses(
      trx,
      a.responses.map((r) => {
        const here = r.itemKey === null ? undefined : keys.get(r.itemKey);
        if (here === undefined) unknownItems += 1;
        return {
          id: r.id,
          assessment_id: a.id,
          principal_id: agent.principalId,
          // Unknown here: an id of its own, which no item of any bank has (keys are unique per assessment, so no two collide).
          item_id: here ?? uuidv7(),
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
    const row = { principal_id: agent.principalId, target_profile_id: agent.targetProfile.id, updated_at: new Date(agent.targetProfile.updatedAt) };
    const created = await insertSettingIfAbsent(trx, row);
    if (created) done.settings.push({ principalId: row.principal_id, profileId: row.target_profile_id, updatedAt: row.updated_at });
    choice = created ? { created: 1, keptHere: 0 } : { created: 0, keptHere: 1 };
  }
  const path = { created: 0, keptHere: 0 };
  for (const p of agent.learningPath) {
    const row = { principal_id: agent.principalId, resource_id: p.resourceId, status: p.status as PathStatus, updated_at: new Date(p.updatedAt) };
    const created = await insertPathProgressIfAbsent(trx, row);
    if (created) done.progress.push({ principalId: row.principal_id, resourceId: row.resource_id, status: row.status, updatedAt: row.updated_at });
    path[created ? 'created' : 'keptHere'] += 1;
  }
  // Counted here, at the end of the agent's transaction (nothing after this throws before it commits).
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
