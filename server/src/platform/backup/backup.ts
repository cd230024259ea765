import { chmod, copyFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { sql } from 'kysely';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Database } from '../db/database.ts';
import type { Stores } from '../db/stores.ts';
import type { AnyDb } from '../db/types.ts';
import type { ObjectStore } from '../objects/object-store.ts';
import { appliedMigrations, listTables, setExactTextForms } from './catalog.ts';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupError,
  ensureDir,
  type FileEntry,
  KEYRING_TABLES,
  type KeyFileEntry,
  lineWriter,
  MIGRATION_TABLES,
  type Manifest,
  type ObjectsEntry,
  type StoreEntry,
  type StoreId,
  sha256File,
  storeFolder,
  writeManifest,
} from './format.ts';

/** Rows fetched per round trip from a table's cursor. */
const FETCH_ROWS = 500;

export interface BackupSources {
  stores: Stores;
  /** Each cell's object store (copied as stored: still encrypted). */
  objects: Record<Jurisdiction, ObjectStore>;
}

export interface KeyFileSources {
  /** A cell's KEK folder when its provider is `file:` (null otherwise: a PKCS#11 token is backed up by its own means). */
  kekFolders: Record<Jurisdiction, string | null>;
  /** Other key files to keep with the keyring (the audit signing key, the data directory's server secret), when they exist. */
  others: { role: 'audit-signing-key' | 'server-secret'; file: string }[];
}

export interface BackupReport {
  dir: string;
  manifest: Manifest;
  rows: number;
  objects: number;
  bytes: number;
  /** Objects listed but gone before they could be copied (deleted while the backup ran, PostgreSQL only). */
  vanished: string[];
}

/**
 * A consistent data backup of the control plane and every cell: for each store, every table but
 * the keyring's and the migration history, read in ONE repeatable-read, read-only transaction (a
 * snapshot: on PostgreSQL it does not block the server; on PGlite the command holds the data
 * directory's lock, so nothing else writes), as JSON Lines in batches through a cursor; the applied
 * migrations; then each cell's objects, byte for byte; a manifest with counts and SHA-256 last.
 *
 * The cells' snapshots are taken before the control plane's: operations write their cell first,
 * so the control plane never refers to a cell row the backup lacks, except rows whose outbox entry
 * is still pending in the cell — and the reconciliation job replays those after a restore.
 */
export async function backupData(sources: BackupSources, dir: string, now = new Date()): Promise<BackupReport> {
  await prepareEmptyDir(dir);
  const files: Record<string, FileEntry> = {};
  const order: StoreId[] = [...JURISDICTIONS, 'control'];
  const databases = (id: StoreId) => (id === 'control' ? sources.stores.control : sources.stores.cells[id]) as Database<unknown>;
  const stores: Manifest['stores'] = {};
  let rows = 0;
  // Open every snapshot first, cells then control plane, as close together as possible.
  const snapshots = [];
  try {
    for (const id of order) {
      const trx = await databases(id).db.startTransaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute();
      snapshots.push({ id, trx });
      await sql`select 1`.execute(trx); // the snapshot is taken at the first statement
    }
    for (const { id, trx } of snapshots) {
      const entry = await dumpStore(trx as AnyDb, databases(id), dir, storeFolder(id), files, (t) => !KEYRING_TABLES.includes(t));
      stores[id] = entry;
      rows += Object.values(entry.tables).reduce((sum, t) => sum + t.rows, 0);
    }
  } finally {
    for (const { trx } of snapshots) await trx.rollback().execute().catch(() => {});
  }
  const objects: Manifest['objects'] = {};
  const vanished: string[] = [];
  let objectCount = 0;
  let bytes = 0;
  for (const j of JURISDICTIONS) {
    const copied = await dumpObjects(sources.objects[j], dir, storeFolder(j), files);
    objects[j] = copied.entry;
    objectCount += copied.entry.count;
    bytes += copied.entry.bytes;
    vanished.push(...copied.vanished);
  }
  const manifest: Manifest = { format: BACKUP_FORMAT, version: BACKUP_VERSION, kind: 'data', createdAt: now.toISOString(), stores, objects, keyFiles: [], files };
  await writeManifest(dir, manifest);
  return { dir, manifest, rows, objects: objectCount, bytes, vanished };
}

/**
 * The keyring backup, on its own schedule and kept apart from data backups: each cell's keyring
 * and tombstones (from a snapshot), and with `keyFiles` the cells' KEK files (`file:` providers),
 * the audit signing key and the server secret — whoever holds this and a data backup can read
 * the data, so it is stored elsewhere, under other hands.
 */
export async function backupKeyring(stores: Stores, dir: string, keyFiles: KeyFileSources | null, now = new Date()): Promise<BackupReport> {
  await prepareEmptyDir(dir);
  const files: Record<string, FileEntry> = {};
  const manifestStores: Manifest['stores'] = {};
  let rows = 0;
  for (const j of JURISDICTIONS) {
    const database = stores.cells[j] as Database<unknown>;
    const trx = await database.db.startTransaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute();
    try {
      const entry = await dumpStore(trx as AnyDb, database, dir, storeFolder(j), files, (t) => KEYRING_TABLES.includes(t));
      manifestStores[j] = entry;
      rows += Object.values(entry.tables).reduce((sum, t) => sum + t.rows, 0);
    } finally {
      await trx.rollback().execute().catch(() => {});
    }
  }
  const entries: KeyFileEntry[] = [];
  if (keyFiles) {
    for (const j of JURISDICTIONS) {
      const folder = keyFiles.kekFolders[j];
      if (!folder) continue;
      let names: string[] = [];
      try {
        names = (await readdir(folder)).filter((n) => /^kek-[0-9a-f-]+\.json$/.test(n)).sort();
      } catch {
        names = [];
      }
      for (const name of names) {
        const relative = path.posix.join(storeFolder(j), 'keks', name);
        files[relative] = await copyKeyFile(path.join(folder, name), path.join(dir, relative));
        entries.push({ file: relative, role: 'kek', cell: j, name });
      }
    }
    for (const other of keyFiles.others) {
      try {
        await stat(other.file);
      } catch {
        continue;
      }
      const relative = path.posix.join('platform', other.role === 'server-secret' ? 'secret' : path.basename(other.file));
      files[relative] = await copyKeyFile(other.file, path.join(dir, relative));
      entries.push({ file: relative, role: other.role, name: path.basename(other.file) });
    }
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    kind: 'keyring',
    createdAt: now.toISOString(),
    stores: manifestStores,
    objects: {},
    keyFiles: entries,
    files,
  };
  await writeManifest(dir, manifest);
  return { dir, manifest, rows, objects: 0, bytes: 0, vanished: [] };
}

async function prepareEmptyDir(dir: string): Promise<void> {
  await ensureDir(dir);
  const entries = await readdir(dir);
  if (entries.length > 0) throw new BackupError(`${dir} is not empty: choose a new folder for each backup / n’est pas vide : choisissez un nouveau dossier pour chaque sauvegarde`);
}

async function copyKeyFile(from: string, to: string): Promise<FileEntry> {
  await ensureDir(path.dirname(to));
  await copyFile(from, to);
  await chmod(to, 0o600);
  return sha256File(to);
}

/** One store's tables (those `include` accepts) from a snapshot transaction, and its migrations. */
async function dumpStore(
  trx: AnyDb,
  database: Database<unknown>,
  dir: string,
  folder: string,
  files: Record<string, FileEntry>,
  include: (table: string) => boolean,
): Promise<StoreEntry> {
  const tables: StoreEntry['tables'] = {};
  await setExactTextForms(trx);
  for (const table of await listTables(trx)) {
    if (MIGRATION_TABLES.includes(table.name) || !include(table.name)) continue;
    const relative = path.posix.join(folder, 'tables', `${table.name}.jsonl`);
    const writer = await lineWriter(path.join(dir, relative));
    let count = 0;
    // A cursor inside the snapshot: rows come in batches, the table never whole in memory. Each
    // row is a JSON object of the columns' text forms (SQL NULL is JSON null; a jsonb `null` is the
    // string "null"), which restore.ts casts back to each column's type: exact for every type.
    const names = sql.join(table.columns.map((c) => sql.lit(c.name)));
    const values = sql.join(table.columns.map((c) => sql`${sql.ref(`x.${c.name}`)}::text`));
    await sql`declare entente_backup no scroll cursor for
      select json_object(array[${names}]::text[], array[${values}]::text[])::text as j from ${sql.table(table.name)} x`.execute(trx);
    for (;;) {
      const { rows } = await sql<{ j: string }>`fetch ${sql.raw(String(FETCH_ROWS))} from entente_backup`.execute(trx);
      for (const row of rows) await writer.write(row.j);
      count += rows.length;
      if (rows.length < FETCH_ROWS) break;
    }
    await sql`close entente_backup`.execute(trx);
    files[relative] = await writer.close();
    tables[table.name] = { file: relative, rows: count, columns: table.columns.map((c) => c.name) };
  }
  return { location: database.location, kind: database.kind, migrations: await appliedMigrations(trx), tables };
}

/** Every object of a cell's store, as stored (encrypted), with an index of sizes and SHA-256. */
async function dumpObjects(
  store: ObjectStore,
  dir: string,
  folder: string,
  files: Record<string, FileEntry>,
): Promise<{ entry: ObjectsEntry; vanished: string[] }> {
  const indexRelative = path.posix.join(folder, 'objects.jsonl');
  const index = await lineWriter(path.join(dir, indexRelative));
  const objectsDir = path.join(dir, folder, 'objects');
  await ensureDir(objectsDir);
  let count = 0;
  let bytes = 0;
  const vanished: string[] = [];
  for await (const listed of store.list('')) {
    let body: Awaited<ReturnType<ObjectStore['get']>>['body'];
    try {
      body = (await store.get(listed.key)).body;
    } catch (error) {
      if ((error as { code?: string }).code === 'object_not_found') {
        vanished.push(listed.key);
        continue;
      }
      throw error;
    }
    const target = path.join(objectsDir, ...listed.key.split('/'));
    await ensureDir(path.dirname(target));
    const hash = createHash('sha256');
    let size = 0;
    await pipeline(
      body,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(target, { flags: 'wx', mode: 0o600 }),
    );
    await index.write(JSON.stringify({ key: listed.key, size, sha256: hash.digest('hex') }));
    count += 1;
    bytes += size;
  }
  files[indexRelative] = await index.close();
  return { entry: { index: indexRelative, count, bytes }, vanished };
}
