/**
 * Child process of the storage bench: runs the measurements (bench/storage.ts) in a fresh
 * process, so that what other benches of the same `npm run bench` loaded before (PGlite in
 * particular, see storage-data-key.ts) weighs on none of the streams. Gets its settings over
 * IPC, answers with the result.
 */
import { measureStorage, type StorageSettings } from '../storage.ts';

process.once('message', (settings) => {
  measureStorage(settings as StorageSettings).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: unknown) => process.send!({ error: (error as Error).stack ?? String(error) }, () => process.exit(1)),
  );
});
