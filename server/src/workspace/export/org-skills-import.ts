import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { OrganisationSkillsArchive, SkillsArchivePlan, SkillsImportReport } from '../../skills/index.ts';
import { findPrincipals, organisationExists } from './export.repo.ts';

/**
 * The skills part of importing an organisation's archive, between the workspace's importer and the
 * skills module (skills/archive/): the importer checks it with the rest of the archive before
 * writing anything, then writes it once every space is in. Who exists here (the organisation, its
 * agents and their home cells here) is the control plane's answer, given to the skills module.
 */
type Reader = Parameters<OrganisationSkillsArchive['check']>[0];

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
  const agents = new Map<string, Jurisdiction>();
  for (let i = 0; i < plan.principalIds.length; i += 1_000) {
    for (const p of await findPrincipals(control, plan.principalIds.slice(i, i + 1_000))) agents.set(p.id, p.home_jurisdiction);
  }
  const report = await deps.skills.import(archive, plan, { organisationExists: await organisationExists(control, organisationId), agents });
  await deps.audit.record({
    action: 'skills.results.imported',
    outcome: report.organisationFound ? 'success' : 'failure',
    organisationId: report.organisationFound ? organisationId : null,
    resource: { type: 'organisation', id: organisationId },
    details: {
      by: 'cli',
      organisationFound: report.organisationFound,
      agents: report.agents.imported,
      agentsMissing: report.agents.missing.length,
      assessmentsCreated: report.assessments.created,
      assessmentsPresent: report.assessments.present,
      competences: report.competences.created,
      targetProfiles: report.targetProfiles.created,
      items: report.items.created,
    },
  });
  return report;
}
