import path from 'node:path';
import { parseArgs } from 'node:util';
import { JURISDICTIONS, type Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Config } from '../config.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { backupData, backupKeyring, type KeyFileSources } from '../platform/backup/backup.ts';
import { BackupError } from '../platform/backup/format.ts';
import { checkBackups, type RestoreTargets, restoreBackup, restoreKeyFilesFrom } from '../platform/backup/restore.ts';
import { openCells } from '../platform/cells/cells.ts';
import type { ObjectStore } from '../platform/objects/object-store.ts';
import { createEventBus } from '../platform/events/index.ts';
import { createLogger } from '../platform/logger.ts';
import { DocumentStore } from '../workspace/collab/document-store.ts';
import { purgeSpacesWithoutKeys, renewEpochsAfterRestore } from '../workspace/spaces/delete-space.ts';
import { openDataForCommand } from './open-data.ts';
import { reapplyAfterRestore } from './organisations.ts'; // organisation deletion (helper O)
import { say } from './output.ts';

/**
 * `entente backup` and `entente restore` (platform/backup/README.md, docs/operations.md "Backup
 * and restore"). On an embedded data directory both refuse while the server runs (the lock); on
 * PostgreSQL a backup runs beside the server (a snapshot per store), a restore wants it stopped.
 */
const BACKUP_USAGE = say(
  `Usage :
  npm run entente -- backup --out DOSSIER                       sauvegarde des données (sans le trousseau)
  npm run entente -- backup --out DOSSIER --keyring-only [--with-keks]
                                                                 sauvegarde du trousseau (et des fichiers de clés)`,
  `Usage:
  npm run entente -- backup --out DIR                            data backup (without the keyring)
  npm run entente -- backup --out DIR --keyring-only [--with-keks]
                                                                 keyring backup (and the key files)`,
);
const RESTORE_USAGE = say(
  `Usage :
  npm run entente -- restore --from DOSSIER [--keyring-from DOSSIER] [--force] [--keep-epochs]`,
  `Usage:
  npm run entente -- restore --from DIR [--keyring-from DIR] [--force] [--keep-epochs]`,
);

function kekFolders(config: Config): Record<Jurisdiction, string | null> {
  const folders = {} as Record<Jurisdiction, string | null>;
  for (const j of JURISDICTIONS) {
    const keys = config.cells[j].keys;
    folders[j] = keys.startsWith('file:') ? keys.slice('file:'.length) : null;
  }
  return folders;
}

function keyFileSources(config: Config): KeyFileSources {
  return {
    kekFolders: kekFolders(config),
    others: [
      { role: 'audit-signing-key', file: config.audit.signingKeyFile },
      // ENTENTE_SECRET is the operator's to keep; the generated one lives in the data directory.
      ...(config.secret ? [] : [{ role: 'server-secret' as const, file: path.join(config.dataDir, 'secret') }]),
    ],
  };
}

export async function backup(args: string[]): Promise<number> {
  let values: { out?: string; 'keyring-only'?: boolean; 'with-keks'?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { out: { type: 'string' }, 'keyring-only': { type: 'boolean' }, 'with-keks': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error((error as Error).message);
    console.error(BACKUP_USAGE);
    return 2;
  }
  if (!values.out || (values['with-keks'] && !values['keyring-only'])) {
    console.error(BACKUP_USAGE);
    return 2;
  }
  const out = path.resolve(values.out);
  const data = await openDataForCommand('backup');
  if (!data) return 1;
  const { config, stores } = data;
  try {
    const audit = createAuditLog(stores);
    if (values['keyring-only']) {
      const report = await backupKeyring(stores, out, values['with-keks'] ? keyFileSources(config) : null);
      console.log(say(`✓ Trousseau sauvegardé dans ${out} : ${report.rows} ligne(s)`, `✓ Keyring backed up to ${out}: ${report.rows} row(s)`));
      for (const file of report.manifest.keyFiles) console.log(`    ${file.file}`);
      if (!values['with-keks']) {
        console.log(
          say(
            '  Les clés maîtresses (KEK) n’y sont pas : ajoutez --with-keks pour les fichiers de clés, ou sauvegardez le HSM par ses propres moyens.',
            '  The key-encryption keys are not in it: add --with-keks for the key files, or back the HSM up by its own means.',
          ),
        );
      }
      await audit.record({ action: 'platform.backup.created', outcome: 'success', details: { kind: 'keyring', rows: report.rows, keyFiles: report.manifest.keyFiles.length } });
    } else {
      const cells = await openCells(config, stores);
      const objects = Object.fromEntries(cells.all().map((c) => [c.jurisdiction, c.objects])) as Record<Jurisdiction, ObjectStore>;
      const report = await backupData({ stores, objects }, out);
      console.log(
        say(
          `✓ Données sauvegardées dans ${out} : ${report.rows} ligne(s), ${report.objects} objet(s) (${report.bytes} octets)`,
          `✓ Data backed up to ${out}: ${report.rows} row(s), ${report.objects} object(s) (${report.bytes} bytes)`,
        ),
      );
      for (const [id, entry] of Object.entries(report.manifest.stores)) {
        const rows = Object.values(entry?.tables ?? {}).reduce((sum, t) => sum + t.rows, 0);
        console.log(`    ${id}: ${Object.keys(entry?.tables ?? {}).length} ${say('tables', 'tables')}, ${rows} ${say('lignes', 'rows')}`);
      }
      if (report.vanished.length > 0) {
        console.log(
          say(
            `  ${report.vanished.length} objet(s) supprimé(s) pendant la sauvegarde n’y sont pas (supprimés après l’instantané des bases).`,
            `  ${report.vanished.length} object(s) deleted while the backup ran are not in it (deleted after the databases' snapshot).`,
          ),
        );
      }
      console.log(say('  Le trousseau n’y est pas : sauvegardez-le à part (backup --keyring-only).', 'The keyring is not in it: back it up apart (backup --keyring-only).'));
      await audit.record({ action: 'platform.backup.created', outcome: 'success', details: { kind: 'data', rows: report.rows, objects: report.objects } });
    }
    return 0;
  } catch (error) {
    console.error(say(`✗ Échec de la sauvegarde : ${(error as Error).message}`, `✗ Backup failed: ${(error as Error).message}`));
    return 1;
  } finally {
    await data.close();
  }
}

export async function restore(args: string[]): Promise<number> {
  let values: { from?: string; 'keyring-from'?: string; force?: boolean; 'keep-epochs'?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { from: { type: 'string' }, 'keyring-from': { type: 'string' }, force: { type: 'boolean' }, 'keep-epochs': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error((error as Error).message);
    console.error(RESTORE_USAGE);
    return 2;
  }
  if (!values.from) {
    console.error(RESTORE_USAGE);
    return 2;
  }
  const from = path.resolve(values.from);
  const keyringFrom = values['keyring-from'] ? path.resolve(values['keyring-from']) : null;
  // Every file is checked against its manifest before anything is opened or written.
  try {
    await checkBackups(from, keyringFrom);
  } catch (error) {
    console.error(error instanceof BackupError ? `✗ ${(error as Error).message}` : say(`✗ Échec de la vérification : ${(error as Error).message}`, `✗ Verification failed: ${(error as Error).message}`));
    return 1;
  }
  console.log(say('✓ Sauvegarde vérifiée (tailles et SHA-256).', '✓ Backup verified (sizes and SHA-256).'));
  const data = await openDataForCommand('restore');
  if (!data) return 1;
  const { config, stores } = data;
  try {
    const keyTargets: Pick<RestoreTargets, 'kekFolders' | 'keyFileTargets'> = {
      kekFolders: kekFolders(config),
      keyFileTargets: { 'audit-signing-key': config.audit.signingKeyFile, ...(config.secret ? {} : { 'server-secret': path.join(config.dataDir, 'secret') }) },
    };
    // Key files first: the cells' key providers must find the restored KEKs when they open.
    if (keyringFrom) await restoreKeyFilesFrom(keyTargets, keyringFrom);
    const cells = await openCells(config, stores);
    const objects = Object.fromEntries(cells.all().map((c) => [c.jurisdiction, c.objects])) as RestoreTargets['objects'];
    const report = await restoreBackup({ stores, objects, ...keyTargets }, { from, keyringFrom, force: values.force === true, verified: true });
    const audit = createAuditLog(stores);
    // What was deleted after the backup was taken stays deleted: spaces whose keys are gone are purged.
    const purged = await purgeSpacesWithoutKeys({ stores, cells, audit });
    // ── organisation deletion (helper O): organisations deleted after the backup (their keyring
    // tombstones say so) come back in the restored control plane: they are deleted again ──
    const reapplied = await reapplyAfterRestore(config, stores, cells);
    // ── end organisation deletion ──
    // Documents get a new epoch: a browser's local copy of a state the restore rolled back
    // becomes a draft instead of being merged back (--keep-epochs: a drill on a spare machine).
    let epochs: Awaited<ReturnType<typeof renewEpochsAfterRestore>> | null = null;
    if (!values['keep-epochs']) {
      const logger = createLogger({ ...config, logLevel: 'warn' });
      const events = createEventBus(config, logger);
      try {
        const store = new DocumentStore({ cells, logger, events });
        epochs = await renewEpochsAfterRestore(cells, store);
        await store.flush();
      } finally {
        await events.close();
      }
    }
    const rows = Object.values(report.rows).reduce((sum, n) => sum + n, 0);
    const objectCount = Object.values(report.objects).reduce((sum, n) => sum + n, 0);
    console.log(say(`✓ Restauré depuis ${from} : ${rows} ligne(s), ${objectCount} objet(s)`, `✓ Restored from ${from}: ${rows} row(s), ${objectCount} object(s)`));
    for (const [id, n] of Object.entries(report.rows)) console.log(`    ${id}: ${n} ${say('lignes', 'rows')}`);
    if (keyringFrom) {
      console.log(say(`✓ Trousseau restauré depuis ${keyringFrom} : ${report.keyringRows} ligne(s)`, `✓ Keyring restored from ${keyringFrom}: ${report.keyringRows} row(s)`));
    } else {
      console.log(say('  Trousseau actuel conservé.', '  Current keyring kept.'));
    }
    for (const o of reapplied) {
      console.log(say(`  Organisation ${o.organisationId} supprimée de nouveau (supprimée après la sauvegarde) : ${o.phase}.`, `  Organisation ${o.organisationId} deleted again (deleted after the backup): ${o.phase}.`)); // helper O
    }
    for (const p of purged) {
      console.log(
        say(
          `  Espace ${p.spaceId} (${p.jurisdiction}) purgé : ses clés sont détruites (${p.reason}) ; ${p.rows} ligne(s), ${p.objects} objet(s).`,
          `  Space ${p.spaceId} (${p.jurisdiction}) purged: its keys are destroyed (${p.reason}); ${p.rows} row(s), ${p.objects} object(s).`,
        ),
      );
    }
    if (epochs) {
      console.log(
        say(
          `✓ Nouvelle époque pour ${epochs.renewed} document(s) : les copies locales plus récentes des navigateurs deviennent des brouillons.`,
          `✓ New epoch for ${epochs.renewed} document(s): browsers' newer local copies become drafts.`,
        ),
      );
      for (const id of epochs.failed) console.log(`  ! ${say('document non renouvelé', 'document not renewed')}: ${id}`);
    }
    for (const warning of report.warnings) console.log(`  ! ${warning}`);
    await audit.record({
      action: 'platform.backup.restored',
      outcome: 'success',
      details: { rows, objects: objectCount, keyring: keyringFrom !== null, purgedSpaces: purged.length },
    });
    return 0;
  } catch (error) {
    const message = (error as Error).message;
    console.error(
      error instanceof BackupError
        ? `✗ ${message}`
        : say(`✗ Échec de la restauration : ${message}`, `✗ Restore failed: ${message}`),
    );
    return 1;
  } finally {
    await data.close();
  }
}
