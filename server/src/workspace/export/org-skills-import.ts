import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { OrganisationSkillsArchive, SkillsArchivePlan, SkillsArchiveReader, SkillsImportReport } from '../../skills/index.ts';
import { listOrganisationMembers, organisationExists } from './export.repo.ts';

/**
 * The skills part of importing an organisation's archive, between the workspace's importer and the
 * skills module (skills/archive/): the importer checks it with the rest of the archive before
 * writing anything, then writes it once every space is in. Who exists here (the organisation, its
 * active members and their home cells here) is the control plane's answer, given to the skills
 * module; its audit entry is written inside the skills import (a failure to record it undoes it).
 */
type Reader = SkillsArchiveReader;

export async function checkSkillsPart(skills: OrganisationSkillsArchive | undefined, archive: Reader, scope: { kind: string; id: string }): Promise<SkillsArchivePlan | null> {
  if (!skills || scope.kind !== 'organisation') return null;
  return skills.check(archive, scope.id);
}

export async function importSkillsPart(
  deps: { stores: Stores; audit: AuditLog; skills?: OrganisationSkillsArchive },
  archive: Reader,
  plan: SkillsArchivePlan | null,
): Promise<SkillsImportReport | null> {
  if (!plan || !deps.skills) return null;
  const control = deps.stores.control.db;
  const organisationId = plan.framework.organisationId;
  // Results are attached only to the organisation's own active members here (never to any principal the archive names).
  const agents = new Map<string, Jurisdiction>();
  for (const m of await listOrganisationMembers(control, organisationId)) if (m.status === 'active') agents.set(m.principal_id, m.home_jurisdiction);
  const report = await deps.skills.import(archive, plan, { organisationExists: await organisationExists(control, organisationId), agents }, (r) =>
    deps.audit.record({
      action: 'skills.results.imported',
      outcome: r.organisationFound ? 'success' : 'failure',
      organisationId: r.organisationFound ? organisationId : null,
      resource: { type: 'organisation', id: organisationId },
      details: {
        by: 'cli',
        organisationFound: r.organisationFound,
        agents: r.agents.imported,
        agentsMissing: r.agents.missing.length,
        assessmentsCreated: r.assessments.created,
        assessmentsPresent: r.assessments.present,
        competences: r.competences.created,
        targetProfiles: r.targetProfiles.created,
        items: r.items.created,
      },
    }),
  );
  return report;
}
