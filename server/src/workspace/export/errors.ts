/**
 * Why an export or an import was refused, in both languages: these commands are run by operators
 * in a terminal (the CLI prints the one LANG asks for), and the code is stable for scripts.
 */
export class ArchiveError extends Error {
  readonly code: string;
  readonly fr: string;
  readonly en: string;

  constructor(code: string, fr: string, en: string, options?: ErrorOptions) {
    super(en, options);
    this.name = 'ArchiveError';
    this.code = code;
    this.fr = fr;
    this.en = en;
  }
}

export const spaceNotFound = (id: string) =>
  new ArchiveError('space_not_found', `Aucun espace ${id} (ou il est en cours de suppression).`, `No space ${id} (or it is being deleted).`);

export const organisationNotFound = (id: string) => new ArchiveError('organisation_not_found', `Aucune organisation ${id}.`, `No organisation ${id}.`);

export const unreadableArchive = (detail: string, options?: ErrorOptions) =>
  new ArchiveError(
    'archive_unreadable',
    `Archive illisible : ce n’est pas une archive ZIP d’export Entente valide (${detail}). Rien n’a été importé.`,
    `Unreadable archive: this is not a valid Entente export ZIP archive (${detail}). Nothing was imported.`,
    options,
  );

export const unknownFormat = () =>
  new ArchiveError(
    'archive_unknown_format',
    'Cette archive n’est pas un export Entente (manifest.json absent ou d’un autre format). Rien n’a été importé.',
    'This archive is not an Entente export (manifest.json missing or of another format). Nothing was imported.',
  );

export const unknownVersion = (version: unknown, supported: number) =>
  new ArchiveError(
    'archive_unknown_version',
    `Version d’archive ${JSON.stringify(version)} inconnue : cette version d’Entente lit la version ${supported}. Importez-la avec une version d’Entente plus récente. Rien n’a été importé.`,
    `Unknown archive version ${JSON.stringify(version)}: this version of Entente reads version ${supported}. Import it with a newer Entente. Nothing was imported.`,
  );

export const invalidArchive = (detail: string) =>
  new ArchiveError(
    'archive_invalid',
    `Archive incohérente : ${detail}. Rien n’a été importé.`,
    `Inconsistent archive: ${detail}. Nothing was imported.`,
  );

export const damagedArchive = (entry: string, detail: string) =>
  new ArchiveError(
    'archive_damaged',
    `Archive endommagée : « ${entry} » ne correspond pas au manifeste (${detail}). Rien n’a été importé.`,
    `Damaged archive: "${entry}" does not match the manifest (${detail}). Nothing was imported.`,
  );

export const archiveTooLarge = (detail: string) =>
  new ArchiveError(
    'archive_over_limits',
    `Archive refusée : elle dépasse les limites d’import (${detail}). Rien n’a été importé.`,
    `Archive refused: it exceeds the import limits (${detail}). Nothing was imported.`,
  );

export const unknownOwner = (id: string) =>
  new ArchiveError(
    'owner_unknown',
    `Le propriétaire ${id} n’existe pas ici (ou il est désactivé). Rien n’a été importé.`,
    `Owner ${id} does not exist here (or is disabled). Nothing was imported.`,
  );

export const ownerNeeded = (space: string) =>
  new ArchiveError(
    'owner_needed',
    `Aucun propriétaire de l’espace « ${space} » n’existe ici : indiquez-en un avec --owner IDENTIFIANT. Rien n’a été importé.`,
    `No owner of the space "${space}" exists here: name one with --owner PRINCIPAL_ID. Nothing was imported.`,
  );

/**
 * An archive labelled with a classification level this instance's scale does not have (issue 7):
 * importing it unlabelled would let its content reach models not cleared for it, so it is refused.
 */
export const unknownClassificationLevel = (level: string, where: { fr: string; en: string }, known: readonly string[]) =>
  new ArchiveError(
    'classification_unknown',
    `Niveau de classification « ${level} » inconnu ici (${where.fr}) : l’échelle de cette instance (aiPolicy.levels) compte ${known.join(', ') || 'aucun niveau'}. Ajoutez ce niveau à l’échelle, ou faites réétiqueter l’espace à la source : un import n’enlève pas une étiquette. Rien n’a été importé.`,
    `Classification level "${level}" unknown here (${where.en}): this instance's scale (aiPolicy.levels) has ${known.join(', ') || 'no level'}. Add the level to the scale, or have the space relabelled at its source: an import does not drop a label. Nothing was imported.`,
  );

export const importFailed = (detail: string, options?: ErrorOptions) =>
  new ArchiveError(
    'import_failed',
    `L’import a échoué (${detail}) ; ce qui avait été créé a été retiré.`,
    `The import failed (${detail}); what had been created was removed.`,
    options,
  );

export const exportDamaged = (what: string, detail: string) =>
  new ArchiveError(
    'export_source_damaged',
    `Export impossible : ${what} est illisible ou endommagé (${detail}). Aucune archive n’a été écrite.`,
    `Export impossible: ${what} is unreadable or damaged (${detail}). No archive was written.`,
  );
