/**
 * Worker of the storage bench: makes the run's data key in a PGlite keyring (a real cell
 * database, migrated, and a file key provider), hands the key to the bench's thread, and ends.
 *
 * Why a worker: PGlite's engine leaves hundreds of MB of external memory to the V8 isolate that
 * loaded it, even once closed, and V8 then marks that heap back to back, which makes every
 * allocation of the measured streams dear — the plain copies' as well, but the encrypted path
 * allocates more (side test, 100 MiB uploads, load 17–20: 4.9–5.7 CPU ms/MiB encrypted against
 * 3.1–4.2 plain in a process that had opened PGlite; 2.0–3.0 against 2.1–3.0 in one that had
 * not). A worker is an isolate of its own, freed when it ends: the measuring thread never holds
 * PGlite, as a server on PostgreSQL never does.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../../server/src/config.ts';
import { FileKeyProvider } from '../../server/src/platform/crypto/file-key-provider.ts';
import { Keyring } from '../../server/src/platform/crypto/keyring.ts';
import { migrateStores, openStores } from '../../server/src/platform/db/stores.ts';

export interface StorageKeyRequest {
  dir: string;
  owner: { type: string; id: string };
}
export interface StorageKey {
  key: Uint8Array;
  version: number;
  kekId: string;
}

const { dir, owner } = workerData as StorageKeyRequest;
const stores = await openStores(loadConfig({ ENTENTE_DATA_DIR: path.join(dir, 'data'), ENTENTE_LOG_LEVEL: 'silent' }));
try {
  await migrateStores(stores);
  const keyring = new Keyring({ provider: await FileKeyProvider.open(`file:${path.join(dir, 'keys')}`) });
  const dataKey = await keyring.getOrCreateDataKey(stores.cells.FR.db, owner as Parameters<Keyring['getOrCreateDataKey']>[1]);
  const answer: StorageKey = { key: new Uint8Array(dataKey.key), version: dataKey.version, kekId: dataKey.kekId };
  parentPort!.postMessage(answer);
} finally {
  await stores.close();
}
