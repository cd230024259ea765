import type { Stores } from '../../platform/db/stores.ts';
import { checkOrganisationSkills } from './check-organisation.ts';
import { exportOrganisationSkills } from './export-organisation.ts';
import { importOrganisationSkills } from './import-organisation.ts';

/**
 * The skills part of an organisation's archive, as the workspace's export and import use it
 * (injected by the CLI: the workspace module does not read the skills module's tables).
 */
export function organisationSkillsArchive(stores: Stores) {
  type Import = Parameters<typeof importOrganisationSkills>;
  return {
    export: (input: Parameters<typeof exportOrganisationSkills>[1], archive: Parameters<typeof exportOrganisationSkills>[2]) => exportOrganisationSkills(stores, input, archive),
    check: (archive: Parameters<typeof checkOrganisationSkills>[0], organisationId: string) => checkOrganisationSkills(archive, organisationId),
    import: (archive: Import[1], plan: Import[2], here: Import[3], done: Import[4]) => importOrganisationSkills(stores, archive, plan, here, done),
  };
}

export type OrganisationSkillsArchive = ReturnType<typeof organisationSkillsArchive>;
export type { SkillsArchivePlan, SkillsArchiveReader } from './check-organisation.ts';
export type { SkillsImportReport } from './import-organisation.ts';
