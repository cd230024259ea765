import type { Stores } from '../../platform/db/stores.ts';
import { exportOrganisationSkills } from './export-organisation.ts';
import { checkOrganisationSkills, importOrganisationSkills } from './import-organisation.ts';

/**
 * The skills part of an organisation's archive, as the workspace's export and import use it
 * (injected by the CLI: the workspace module does not read the skills module's tables).
 */
export function organisationSkillsArchive(stores: Stores) {
  return {
    export: (input: Parameters<typeof exportOrganisationSkills>[1], archive: Parameters<typeof exportOrganisationSkills>[2]) => exportOrganisationSkills(stores, input, archive),
    check: checkOrganisationSkills,
    import: (archive: Parameters<typeof importOrganisationSkills>[1], plan: Parameters<typeof importOrganisationSkills>[2], here: Parameters<typeof importOrganisationSkills>[3]) =>
      importOrganisationSkills(stores, archive, plan, here),
  };
}

export type OrganisationSkillsArchive = ReturnType<typeof organisationSkillsArchive>;
export type { SkillsArchivePlan, SkillsImportReport } from './import-organisation.ts';
