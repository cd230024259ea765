import { existsSync } from 'node:fs';
import { JURISDICTIONS } from '../../../common/src/jurisdiction.ts';
import type { Config } from '../config.ts';
import type { AuditDb } from '../platform/audit/audit.repo.ts';
import type { AuditStore } from '../platform/audit/audit-stores.ts';
import { signingKeyFileHealth } from '../platform/audit/signing-key-guard.ts';
import { type Database, openPglite, openPostgres } from '../platform/db/database.ts';
import type { CheckLine } from './output.ts';
import { say } from './output.ts';

/**
 * `entente doctor`'s line on the audit signing key file (platform/audit/signing-key-guard.ts):
 * present and readable, and holding the public keys that signed the latest checkpoints — or
 * missing, which is fine before the first start and a stopped server once checkpoints exist.
 * The databases are read only when this process may open them (`databasesReadable`: not while a
 * server holds an embedded data directory).
 */
export async function checkAuditSigningKey(config: Config, report: (line: CheckLine) => void, databasesReadable: boolean): Promise<void> {
  const file = config.audit.signingKeyFile;
  const label = say('Clé de signature du journal d’audit', 'Audit signing key');
  const opened = databasesReadable ? await openAuditStores(config).catch(() => null) : null;
  try {
    const health = await signingKeyFileHealth(file, opened?.stores ?? null).catch((error: Error) => ({ state: 'unreadable' as const, message: error.message }));
    if (health.state === 'unreadable') {
      report({ ok: false, label, detail: health.message, fix: say(`restaurez ${file} depuis la sauvegarde des clés (mode 0600)`, `restore ${file} from the key backup (mode 0600)`) });
      return;
    }
    if (health.state === 'missing') {
      const checkpoints = health.checkpoints?.checkpoints ?? null;
      if (checkpoints === null || checkpoints === 0) {
        report({
          ok: checkpoints === 0 ? true : 'skipped',
          label,
          detail:
            checkpoints === 0
              ? say(`${file} absent, aucun point de contrôle signé : il sera créé au démarrage`, `${file} missing, no signed checkpoint: it will be created at start`)
              : say(`${file} absent (bases non lues ici : le serveur refusera de démarrer si des points de contrôle signés existent)`, `${file} missing (databases not read here: the server will refuse to start if signed checkpoints exist)`),
        });
        return;
      }
      report({
        ok: false,
        label,
        detail: say(
          `${file} absent alors que ${checkpoints} point(s) de contrôle sont signés (clés ${health.checkpoints?.keyIds.join(', ')}) : le serveur refusera de démarrer`,
          `${file} missing while ${checkpoints} checkpoint(s) are signed (keys ${health.checkpoints?.keyIds.join(', ')}): the server will refuse to start`,
        ),
        fix: say(
          `restaurez le fichier depuis la sauvegarde des clés (npm run entente -- restore --keyring-from DOSSIER) ; s’il est perdu pour de bon : npm run entente -- audit keys rotate --force (la rupture est inscrite au journal)`,
          `restore the file from the key backup (npm run entente -- restore --keyring-from DIR); if it is lost for good: npm run entente -- audit keys rotate --force (the break is recorded in the log)`,
        ),
      });
      return;
    }
    if (health.unknownSigners && health.unknownSigners.length > 0) {
      report({
        ok: false,
        label,
        detail: say(
          `${file} ne contient pas les clés qui ont signé les derniers points de contrôle (${health.unknownSigners.join(', ')}) : ce n’est pas le fichier de cette installation`,
          `${file} does not hold the keys that signed the latest checkpoints (${health.unknownSigners.join(', ')}): it is not this installation’s file`,
        ),
        fix: say('remettez le bon fichier depuis la sauvegarde des clés, sur chaque nœud', 'put the right file back from the key backup, on every node'),
      });
      return;
    }
    report({
      ok: true,
      label,
      detail: say(
        `${file}, lisible, ${health.keyIds.length} clé(s), courante ${health.current}${health.unknownSigners ? ', correspond aux derniers points de contrôle' : ''}`,
        `${file}, readable, ${health.keyIds.length} key(s), current ${health.current}${health.unknownSigners ? ', matches the latest checkpoints' : ''}`,
      ),
    });
  } finally {
    await opened?.close();
  }
}

/** The three stores' audit tables, opened without creating anything (null when one does not exist yet). */
async function openAuditStores(config: Config): Promise<{ stores: AuditStore[]; close(): Promise<void> } | null> {
  const databases: { id: AuditStore['id']; database: Database<unknown> }[] = [];
  const close = async () => {
    for (const d of databases) await d.database.close().catch(() => undefined);
  };
  try {
    const cellSchemas = JURISDICTIONS.some((j) => config.cells[j].schema);
    if (!config.control.databaseUrl && !existsSync(config.control.pgliteDir)) return null;
    databases.push({
      id: 'control',
      database: config.control.databaseUrl
        ? await openPostgres('control', config.control.databaseUrl, { schema: cellSchemas ? 'control' : null, poolSize: 1, createSchema: false })
        : await openPglite('control', config.control.pgliteDir),
    });
    for (const j of JURISDICTIONS) {
      const cell = config.cells[j];
      if (!cell.databaseUrl && !existsSync(cell.pgliteDir)) {
        await close();
        return null;
      }
      databases.push({
        id: j.toLowerCase() as AuditStore['id'],
        database: cell.databaseUrl
          ? await openPostgres(`cell ${j}`, cell.databaseUrl, { schema: cell.schema, poolSize: 1, createSchema: false })
          : await openPglite(`cell ${j}`, cell.pgliteDir),
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { stores: databases.map((d) => ({ id: d.id, db: d.database.db as unknown as AuditDb, embedded: d.database.kind === 'pglite' })), close };
}
