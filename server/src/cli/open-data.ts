import { type Config, ConfigError, loadConfig, usesEmbeddedDatabase } from '../config.ts';
import { acquireDataDirLock, type DataDirLock, DataDirLockedError } from '../platform/db/data-dir-lock.ts';
import { openStores, type Stores } from '../platform/db/stores.ts';
import { say } from './output.ts';

/**
 * Opens the stores for a data command. On an embedded data directory it takes the lock first and
 * refuses while a server holds it (two processes on one PGlite directory corrupt it); on
 * PostgreSQL it runs beside the server.
 */
export async function openDataForCommand(purpose: string): Promise<{ config: Config; stores: Stores; close(): Promise<void> } | null> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return null;
    }
    throw error;
  }
  let lock: DataDirLock | null = null;
  if (usesEmbeddedDatabase(config)) {
    try {
      lock = acquireDataDirLock(config.dataDir, purpose);
    } catch (error) {
      if (error instanceof DataDirLockedError) {
        console.error(
          say(
            `Refusé : le serveur (pid ${error.holder.pid}) utilise ${config.dataDir}. Arrêtez-le, puis relancez « ${purpose} ».`,
            `Refused: the server (pid ${error.holder.pid}) is using ${config.dataDir}. Stop it, then run "${purpose}" again.`,
          ),
        );
        return null;
      }
      throw error;
    }
  }
  try {
    const stores = await openStores(config);
    return {
      config,
      stores,
      close: async () => {
        await stores.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
