import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { openSigningKeys } from '../platform/audit/signing-keys.ts';
import { openCells } from '../platform/cells/cells.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { isUuid } from '../platform/ids.ts';
import { createLogger } from '../platform/logger.ts';
import { organisationSkillsArchive } from '../skills/index.ts';
import { DocumentStore } from '../workspace/collab/document-store.ts';
import { ArchiveError } from '../workspace/export/errors.ts';
import { exportOrganisationArchive } from '../workspace/export/org-export.ts';
import { type ExportResult, exportSpaceArchive } from '../workspace/export/space-export.ts';
import { openDataForCommand } from './open-data.ts';
import { english, say } from './output.ts';

const USAGE = say(
  `Usage :
  npm run entente -- export --space ID --out FICHIER.zip   un espace (documents, versions, images, fichiers, membres, audit)
  npm run entente -- export --org ID --out FICHIER.zip     une organisation et tous les espaces créés par ses agents
L’archive est en clair (docs/export-format.md) : protégez-la comme les données elles-mêmes.`,
  `Usage:
  npm run entente -- export --space ID --out FILE.zip   one space (documents, versions, images, files, members, audit)
  npm run entente -- export --org ID --out FILE.zip     an organisation and every space its agents created
The archive is plaintext (docs/export-format.md): protect it as you protect the data itself.`,
);

/**
 * `entente export --space ID | --org ID --out FILE.zip` (docs/export-format.md). Refuses an
 * existing output file; writes `FILE.zip.partial-<pid>` and renames it once complete (0600, as
 * everything the CLI creates). Exit codes: 0 written, 1 refused or failed, 2 usage.
 */
export async function exportCommand(args: string[]): Promise<number> {
  let values: { space?: string; org?: string; out?: string };
  try {
    values = parseArgs({ args, options: { space: { type: 'string' }, org: { type: 'string' }, out: { type: 'string' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error((error as Error).message);
    console.error(USAGE);
    return 2;
  }
  const id = (values.space ?? values.org)?.toLowerCase();
  if ((values.space === undefined) === (values.org === undefined) || !values.out || !id || !isUuid(id)) {
    console.error(USAGE);
    return 2;
  }
  if (existsSync(values.out)) {
    console.error(say(`Refusé : ${values.out} existe déjà (une archive n’est jamais écrasée).`, `Refused: ${values.out} already exists (an archive is never overwritten).`));
    return 1;
  }
  const data = await openDataForCommand(values.space ? 'export --space' : 'export --org');
  if (!data) return 1;
  const { config, stores } = data;
  const logger = createLogger({ ...config, logLevel: 'warn' });
  try {
    await migrateStores(stores);
    const cells = await openCells(config, stores);
    const deps = { stores, cells, content: new DocumentStore({ cells, logger }), audit: createAuditLog(stores), publicUrl: config.publicUrl, skills: organisationSkillsArchive(stores) };
    const started = Date.now();
    let result: ExportResult;
    if (values.space) result = await exportSpaceArchive(deps, { spaceId: id, out: values.out });
    else {
      let auditSigningKeys: Awaited<ReturnType<typeof openSigningKeys>>;
      try {
        auditSigningKeys = await openSigningKeys(config.audit.signingKeyFile);
      } catch (error) {
        console.error(say(`✗ Clé de signature de l’audit illisible : ${(error as Error).message}`, `✗ Unreadable audit signing key: ${(error as Error).message}`));
        return 1;
      }
      result = await exportOrganisationArchive({ ...deps, auditSigningKeys }, { organisationId: id, out: values.out });
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const mib = (result.bytes / 1024 ** 2).toFixed(1);
    for (const space of result.manifest.spaces) {
      const c = space.counts;
      console.log(
        say(
          `✓ ${space.name} (${space.jurisdiction}) : ${c.documents} document(s), ${c.documentVersions} version(s), ${c.images} image(s), ${c.files} fichier(s) (${c.fileVersions} version(s)), ${c.members} membre(s), ${c.auditEvents} événement(s) d’audit`,
          `✓ ${space.name} (${space.jurisdiction}): ${c.documents} document(s), ${c.documentVersions} version(s), ${c.images} image(s), ${c.files} file(s) (${c.fileVersions} version(s)), ${c.members} member(s), ${c.auditEvents} audit event(s)`,
        ),
      );
    }
    const skills = result.manifest.contents.skillsResults;
    if (skills.present) console.log(say(`✓ Compétences numériques (organisation/skills/) : tests : ${skills.count}`, `✓ Digital skills (organisation/skills/): tests: ${skills.count}`));
    const entries = result.manifest.entries.length + 1; // manifest.json included, as an unzip tool lists them
    console.log(say(`Archive écrite : ${result.out} (${mib} Mio, ${entries} entrées, ${seconds} s).`, `Archive written: ${result.out} (${mib} MiB, ${entries} entries, ${seconds} s).`));
    console.log(say('Elle est en clair : conservez-la chiffrée et détruisez-la quand elle ne sert plus.', 'It is plaintext: keep it encrypted and destroy it when it is no longer needed.'));
    return 0;
  } catch (error) {
    if (error instanceof ArchiveError) {
      console.error(`✗ ${english ? error.en : error.fr} [${error.code}]`);
      return 1;
    }
    throw error;
  } finally {
    await data.close();
  }
}
