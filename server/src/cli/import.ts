import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import { classificationScale } from '../assistant/index.ts';
import type { SkillsImportReport } from '../skills/index.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { openCells } from '../platform/cells/cells.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { isUuid } from '../platform/ids.ts';
import { createLogger } from '../platform/logger.ts';
import { createMalwareScanner } from '../platform/scanning/malware-scanner.ts';
import { organisationSkillsArchive } from '../skills/index.ts';
import { DocumentStore } from '../workspace/collab/document-store.ts';
import { ArchiveError } from '../workspace/export/errors.ts';
import { importArchive } from '../workspace/export/space-import.ts';
import { openDataForCommand } from './open-data.ts';
import { english, say } from './output.ts';

const USAGE = say(
  `Usage : npm run entente -- import --file FICHIER.zip [--cell FR|QC] [--owner IDENTIFIANT] [--max-size OCTETS] [--again]
  crée les espaces de l’archive comme de NOUVEAUX espaces (nouveaux identifiants), dans la cellule
  de l’archive ou celle de --cell ; --owner nomme un propriétaire (obligatoire si aucun de ceux de
  l’archive n’existe ici). Une archive déjà importée ne recrée pas les espaces encore présents :
  --again en crée une nouvelle copie.`,
  `Usage: npm run entente -- import --file FILE.zip [--cell FR|QC] [--owner PRINCIPAL_ID] [--max-size BYTES] [--again]
  creates the archive's spaces as NEW spaces (new ids), in the archive's cell or --cell's;
  --owner names an owner (required when none of the archive's owners exists here). An archive
  imported before does not create again the spaces still here: --again makes a new copy.`,
);

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is neutralised
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text that came from the archive, as the terminal may show it: its author chose the names, and an
 * escape sequence (title, cursor, a line rewritten) must reach the operator's screen as text only.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`);
}

/** What the import did with an organisation's skills results (skills/archive/). */
function printSkills(s: SkillsImportReport): void {
  if (!s.organisationFound) {
    console.log(
      say(
        '⚠ Compétences numériques : l’organisation n’existe pas ici, ses résultats ne sont pas importés (ils restent dans l’archive). Enregistrez-la puis relancez l’import.',
        '⚠ Digital skills: the organisation does not exist here, its results are not imported (they stay in the archive). Register it, then run the import again.',
      ),
    );
    return;
  }
  console.log(
    say(
      `✓ Compétences numériques : tests importés : ${s.assessments.created} (déjà présents : ${s.assessments.present}) pour ${s.agents.imported} agent(s) ; de l’organisation : compétences ${s.competences.created}, profils cibles ${s.targetProfiles.created}, questions ${s.items.created} ; choix de profil cible : ${s.targetProfileChoices.created} ; suivis de parcours : ${s.pathProgress.created}`,
      `✓ Digital skills: tests imported: ${s.assessments.created} (already here: ${s.assessments.present}) for ${s.agents.imported} agent(s); the organisation's competences ${s.competences.created}, target profiles ${s.targetProfiles.created}, items ${s.items.created}; target-profile choices: ${s.targetProfileChoices.created}; path progress entries: ${s.pathProgress.created}`,
    ),
  );
  if (s.agents.missing.length > 0) {
    console.log(
      say(
        `  ⚠ pas membres actifs de l’organisation ici, résultats non importés : ${s.agents.missing.join(', ')}`,
        `  ⚠ not active members of the organisation here, results not imported: ${s.agents.missing.join(', ')}`,
      ),
    );
  }
  if (s.assessments.inProgressHere > 0) {
    console.log(say(`  ⚠ tests en cours non importés (l’agent en a déjà un en cours ici) : ${s.assessments.inProgressHere}`, `  ⚠ tests in progress not imported (the agent already has one in progress here): ${s.assessments.inProgressHere}`));
  }
  const kept = s.targetProfileChoices.keptHere + s.pathProgress.keptHere;
  if (kept > 0) console.log(say(`  choix et suivis déjà faits ici, conservés (ceux de l’archive ne les remplacent pas) : ${kept}`, `  choices and progress already made here, kept (the archive's do not replace them): ${kept}`));
  if (s.answersWithUnknownItem > 0) {
    console.log(
      say(
        `  réponses à des questions absentes de la banque d’ici (gardées avec leurs paramètres) : ${s.answersWithUnknownItem}`,
        `  answers to items this bank does not have (kept with their parameters): ${s.answersWithUnknownItem}`,
      ),
    );
  }
}

/**
 * `entente import --file FILE.zip [--cell FR|QC] [--owner PRINCIPAL_ID]` (workspace/export/space-import.ts).
 * Exit codes: 0 imported, 1 refused or failed (nothing left behind), 2 usage.
 */
export async function importCommand(args: string[]): Promise<number> {
  let values: { file?: string; cell?: string; owner?: string; 'max-size'?: string; again?: boolean };
  try {
    values = parseArgs({
      args,
      options: { file: { type: 'string' }, cell: { type: 'string' }, owner: { type: 'string' }, 'max-size': { type: 'string' }, again: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error((error as Error).message);
    console.error(USAGE);
    return 2;
  }
  const cell = values.cell?.toUpperCase();
  const maxSize = values['max-size'] === undefined ? undefined : Number(values['max-size']);
  if (
    !values.file ||
    (cell !== undefined && cell !== 'FR' && cell !== 'QC') ||
    (values.owner !== undefined && !isUuid(values.owner.toLowerCase())) ||
    (maxSize !== undefined && (!Number.isSafeInteger(maxSize) || maxSize < 1))
  ) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(values.file)) {
    console.error(say(`Refusé : ${values.file} n’existe pas.`, `Refused: ${values.file} does not exist.`));
    return 1;
  }
  const data = await openDataForCommand('import');
  if (!data) return 1;
  const { config, stores } = data;
  const logger = createLogger({ ...config, logLevel: 'warn' });
  try {
    await migrateStores(stores);
    const cells = await openCells(config, stores);
    const report = await importArchive(
      { stores, cells, content: new DocumentStore({ cells, logger }), audit: createAuditLog(stores), publicUrl: config.publicUrl, scanner: createMalwareScanner(config.scanning), logger, scale: classificationScale(config.aiPolicy), skills: organisationSkillsArchive(stores) },
      {
        file: values.file,
        ...(cell ? { cell: cell as Jurisdiction } : {}),
        ...(values.owner ? { owner: values.owner } : {}),
        ...(maxSize ? { limits: { maxTotalBytes: maxSize } } : {}),
        again: values.again ?? false,
      },
    );
    if (report.abandonedRemoved > 0) {
      console.log(say(`(${report.abandonedRemoved} import(s) interrompu(s) auparavant : retiré(s).)`, `(${report.abandonedRemoved} earlier interrupted import(s) removed.)`));
    }
    console.log(say(`Archive de ${printable(report.source.instanceUrl)}`, `Archive from ${printable(report.source.instanceUrl)}`));
    for (const s of report.alreadyImported) {
      const when = s.importedAt.toISOString().slice(0, 16).replace('T', ' ');
      console.log(
        say(
          `= « ${printable(s.name)} » : déjà importé de cette archive le ${when} UTC → espace ${s.id} (${s.jurisdiction}), laissé tel quel (--again pour en créer une nouvelle copie)`,
          `= "${printable(s.name)}": already imported from this archive on ${when} UTC → space ${s.id} (${s.jurisdiction}), left as it is (--again to make a new copy)`,
        ),
      );
    }
    for (const s of report.spaces) {
      console.log(
        say(
          `✓ « ${printable(s.name)} » → nouvel espace ${s.id} (${s.jurisdiction}) : ${s.documents} document(s), ${s.documentVersions} version(s), ${s.images} image(s), ${s.files} fichier(s) (${s.fileVersions} version(s)), ${s.auditEvents} événement(s) d’audit conservé(s)`,
          `✓ "${printable(s.name)}" → new space ${s.id} (${s.jurisdiction}): ${s.documents} document(s), ${s.documentVersions} version(s), ${s.images} image(s), ${s.files} file(s) (${s.fileVersions} version(s)), ${s.auditEvents} audit event(s) kept`,
        ),
      );
      console.log(say(`  membres rattachés : ${s.members.attached.map((m) => `${m.principalId} (${m.role})`).join(', ')}`, `  members attached: ${s.members.attached.map((m) => `${m.principalId} (${m.role})`).join(', ')}`));
      // Always said, « not set » included: an archive edited to drop its levels shows it here.
      const level = s.classificationLevel ?? say('non défini', 'not set');
      console.log(
        say(
          `  niveau de classification : ${level} ; ${s.labelledDocuments} document(s) avec leur propre niveau`,
          `  classification level: ${level}; ${s.labelledDocuments} document(s) with their own level`,
        ),
      );
      if (s.members.missing.length > 0) {
        console.log(say(`  ⚠ inconnus ici, non rattachés : ${s.members.missing.join(', ')}`, `  ⚠ unknown here, not attached: ${s.members.missing.join(', ')}`));
      }
      if (s.droppedAccessEntries > 0) {
        console.log(say(`  ⚠ ${s.droppedAccessEntries} accès de documents restreints retiré(s) (membres inconnus ici)`, `  ⚠ ${s.droppedAccessEntries} access entr(ies) of restricted documents dropped (members unknown here)`));
      }
      if (s.quarantinedHere > 0) {
        console.log(say(`  ⚠ ${s.quarantinedHere} version(s) de fichier mise(s) en quarantaine par l’analyse antivirus d’ici`, `  ⚠ ${s.quarantinedHere} file version(s) quarantined by this instance's malware scan`));
      }
    }
    if (report.skills) printSkills(report.skills);
    if (report.organisation) {
      console.log(
        say(
          `L’organisation « ${printable(report.organisation.name)} », ses équipes et ses profils ne sont pas recréés : les identités viennent des fédérations (ils restent dans l’archive).`,
          `The organisation "${printable(report.organisation.name)}", its teams and profiles are not recreated: identities come from the federations (they stay in the archive).`,
        ),
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof ArchiveError) {
      console.error(`✗ ${printable(english ? error.en : error.fr)} [${error.code}]`);
      return 1;
    }
    throw error;
  } finally {
    await data.close();
  }
}
