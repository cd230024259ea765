import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { sql } from 'kysely';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Database } from '../db/database.ts';
import { collectMigrations } from '../db/migrations.ts';
import { migrateStores, type Stores } from '../db/stores.ts';
import type { AnyDb } from '../db/types.ts';
import type { ObjectStore } from '../objects/object-store.ts';
import { type ColumnInfo, countRows, isSuperuser, listForeignKeys, listSequences, listTables, parentsFirst, setExactTextForms } from './catalog.ts';
import { BackupError, inside, KEYRING_TABLES, type Manifest, MIGRATION_TABLES, readManifest, type StoreId, verifyFile } from './format.ts';

/** A batch of rows sent in one INSERT: at most this many rows, or about this many bytes of JSON. */
const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 << 20;

export interface RestoreTargets {
  stores: Stores;
  objects: Record<Jurisdiction, ObjectStore>;
  /** Where a cell's KEK files go back (`file:` providers), null when the provider is not a folder. */
  kekFolders: Record<Jurisdiction, string | null>;
  /** Where the other key files of a keyring backup go back, by role. */
  keyFileTargets: Partial<Record<'audit-signing-key' | 'server-secret', string>>;
}

export interface RestoreOptions {
  /** The data backup. */
  from: string;
  /** A keyring backup to restore too; without it, the stores' current keyring is kept. */
  keyringFrom?: string | null;
  /** Restore over stores that hold data (everything but the keyring is replaced). */
  force?: boolean;
  /** The caller already ran checkBackups on these folders (the CLI does, before opening the stores). */
  verified?: boolean;
}

export interface RestoreReport {
  rows: Record<StoreId, number>;
  objects: Record<Jurisdiction, number>;
  keyringRows: number;
  keyFiles: string[];
  /** What the backup had and this version no longer has (dropped by a later migration). */
  warnings: string[];
}

/**
 * Restores a data backup (and, when given, a keyring backup) into the configured stores:
 *  1. every file of the backup(s) is checked against its manifest (size and SHA-256), every
 *     object against its index — nothing is written before all of it verifies;
 *  2. migrations run first; a backup made by a newer Entente (migrations this one lacks) is refused;
 *  3. the stores must hold no data (a fresh install) unless `force` — the keyring is never part of
 *     that check nor replaced, unless a keyring backup is given;
 *  4. each store is loaded in one transaction, parents before children, with foreign keys and
 *     triggers held off while loading (`session_replication_role = replica` for a superuser —
 *     PGlite's role is one — otherwise foreign keys deferred and checked at commit, and user
 *     triggers disabled by the tables' owner), and sequences set past the restored ids; the row
 *     counts are then compared with the manifest;
 *  5. objects are written back byte for byte;
 *  6. the keyring backup, if any: keys replaced, tombstones merged (a tombstone already in the
 *     stores stays: a space deleted since stays deleted), keys of tombstoned owners dropped.
 * What was deleted after the backup was taken is then purged by the caller (the CLI calls the
 * workspace's purge for spaces whose keys are gone).
 */
export async function restoreBackup(targets: RestoreTargets, options: RestoreOptions): Promise<RestoreReport> {
  const { manifest, keyring } = options.verified
    ? {
        manifest: await readManifest(options.from, 'data'),
        keyring: options.keyringFrom ? await readManifest(options.keyringFrom, 'keyring') : null,
      }
    : await checkBackups(options.from, options.keyringFrom ?? null);

  await migrateStores(targets.stores);
  await refuseNewerBackup(manifest);
  if (!options.force) await refuseNonEmpty(targets, manifest, Boolean(keyring));
  if (!keyring) await refuseWithoutKeys(targets, manifest);

  const report: RestoreReport = { rows: { control: 0, FR: 0, QC: 0 }, objects: { FR: 0, QC: 0 }, keyringRows: 0, keyFiles: [], warnings: [] };
  for (const id of ['control', ...JURISDICTIONS] as StoreId[]) {
    const entry = manifest.stores[id];
    if (!entry) throw new BackupError(`The backup has no ${id} store / la sauvegarde n’a pas de base ${id}`);
    const database = storeOf(targets.stores, id);
    report.rows[id] = await loadStore(database, options.from, entry.tables, {
      replace: (t) => !KEYRING_TABLES.includes(t) && !MIGRATION_TABLES.includes(t),
      warnings: report.warnings,
    });
  }
  for (const j of JURISDICTIONS) {
    const entry = manifest.objects[j];
    if (!entry) continue;
    const store = targets.objects[j];
    if (options.force) await emptyObjectStore(store);
    report.objects[j] = await loadObjects(store, options.from, entry.index);
  }
  if (keyring && options.keyringFrom) {
    for (const j of JURISDICTIONS) {
      const entry = keyring.stores[j];
      if (!entry) continue;
      report.keyringRows += await loadKeyring(storeOf(targets.stores, j), options.keyringFrom, entry.tables, report.warnings);
    }
    report.keyFiles = await restoreKeyFiles(targets, options.keyringFrom, keyring);
  }
  // Whatever the keyring: an owner with a tombstone keeps no key (a restored keyring may be older).
  for (const j of JURISDICTIONS) {
    await sql`delete from keyring k where exists (select 1 from keyring_tombstones t where t.owner_type = k.owner_type and t.owner_id = k.owner_id)`.execute(
      targets.stores.cells[j].db,
    );
  }
  return report;
}

/** Reads and verifies a data backup and, when given, a keyring backup: nothing is written before both pass. */
export async function checkBackups(from: string, keyringFrom: string | null): Promise<{ manifest: Manifest; keyring: Manifest | null }> {
  const manifest = await readManifest(from, 'data');
  await verifyBackup(from, manifest);
  const keyring = keyringFrom ? await readManifest(keyringFrom, 'keyring') : null;
  if (keyring && keyringFrom) await verifyBackup(keyringFrom, keyring);
  return { manifest, keyring };
}

/** Checks every file of a backup against its manifest, and every object against its index. */
export async function verifyBackup(dir: string, manifest: Manifest): Promise<{ files: number; objects: number }> {
  let files = 0;
  for (const [relative, expected] of Object.entries(manifest.files)) {
    await verifyFile(dir, relative, expected);
    files += 1;
  }
  for (const entry of Object.values(manifest.stores)) {
    for (const table of Object.values(entry?.tables ?? {})) {
      if (!manifest.files[table.file]) throw new BackupError(`Table file not in the manifest's list / fichier de table non listé: ${table.file}`);
    }
  }
  let objects = 0;
  for (const entry of Object.values(manifest.objects)) {
    if (!entry) continue;
    if (!manifest.files[entry.index]) throw new BackupError(`Object index not in the manifest's list / index d’objets non listé: ${entry.index}`);
    const folder = path.posix.dirname(entry.index);
    let listed = 0;
    for await (const item of readIndex(dir, entry.index)) {
      await verifyFile(dir, path.posix.join(folder, 'objects', item.key), { size: item.size, sha256: item.sha256 });
      listed += 1;
    }
    if (listed !== entry.count) throw new BackupError(`Object index and manifest disagree / index d’objets et manifeste en désaccord: ${entry.index}`);
    objects += listed;
  }
  return { files, objects };
}

function storeOf(stores: Stores, id: StoreId): Database<unknown> {
  return (id === 'control' ? stores.control : stores.cells[id]) as Database<unknown>;
}

async function refuseNewerBackup(manifest: Manifest): Promise<void> {
  for (const [id, entry] of Object.entries(manifest.stores)) {
    const known = new Set(Object.keys(await collectMigrations(id === 'control' ? 'control' : 'cell')));
    const unknown = (entry?.migrations ?? []).filter((m) => !known.has(m));
    if (unknown.length > 0) {
      throw new BackupError(
        `The backup comes from a newer Entente (${id}: ${unknown.join(', ')}): restore it with that version or a later one / ` +
          `la sauvegarde vient d’une version plus récente d’Entente : restaurez-la avec cette version ou une plus récente`,
      );
    }
  }
}

/**
 * Data restored without a keyring backup into stores that have no key at all could not be read,
 * and the purge that follows a restore would then take every space for destroyed: refused.
 */
async function refuseWithoutKeys(targets: RestoreTargets, manifest: Manifest): Promise<void> {
  let keys = 0;
  for (const j of JURISDICTIONS) keys += await countRows(targets.stores.cells[j].db as AnyDb, 'keyring');
  if (keys > 0) return;
  const encrypted = JURISDICTIONS.some(
    (j) =>
      (manifest.objects[j]?.count ?? 0) > 0 ||
      ['document_updates', 'document_snapshots', 'document_versions'].some((t) => (manifest.stores[j]?.tables[t]?.rows ?? 0) > 0),
  );
  if (encrypted) {
    throw new BackupError(
      'Refused: these stores have no keyring, so the restored data could not be decrypted. Give the keyring backup too: --keyring-from DIR. / ' +
        'Refusé : ces bases n’ont pas de trousseau, les données restaurées seraient illisibles. Donnez aussi la sauvegarde du trousseau : --keyring-from DOSSIER.',
    );
  }
}

async function refuseNonEmpty(targets: RestoreTargets, manifest: Manifest, withKeyring: boolean): Promise<void> {
  const found: string[] = [];
  for (const id of ['control', ...JURISDICTIONS] as StoreId[]) {
    const db = storeOf(targets.stores, id).db as AnyDb;
    for (const table of await listTables(db)) {
      if (MIGRATION_TABLES.includes(table.name)) continue;
      if (KEYRING_TABLES.includes(table.name) && !withKeyring) continue;
      const n = await countRows(db, table.name);
      if (n > 0) found.push(`${id}.${table.name} (${n})`);
    }
  }
  for (const j of JURISDICTIONS) {
    if (!manifest.objects[j]) continue;
    for await (const _ of targets.objects[j].list('')) {
      found.push(`objects ${j}`);
      break;
    }
  }
  if (found.length > 0) {
    throw new BackupError(
      `Refused: the stores are not empty (${found.slice(0, 8).join(', ')}${found.length > 8 ? '…' : ''}). Restore into a fresh installation, or add --force to replace their data (the keyring is kept). / ` +
        `Refusé : les bases ne sont pas vides. Restaurez dans une installation neuve, ou ajoutez --force pour remplacer leurs données (le trousseau est conservé).`,
    );
  }
}

/**
 * Loads one store's tables in one transaction. Tables `replace` accepts are emptied first
 * (TRUNCATE), then filled from their JSON Lines in dependency order.
 */
async function loadStore(
  database: Database<unknown>,
  dir: string,
  tables: Record<string, { file: string; rows: number; columns: string[] }>,
  options: { replace: (table: string) => boolean; warnings: string[] },
): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const db = trx as AnyDb;
    await setExactTextForms(db);
    const current = new Map((await listTables(db)).map((t) => [t.name, t]));
    const wanted = Object.keys(tables).filter((t) => {
      if (current.has(t)) return true;
      options.warnings.push(`${database.name}: table ${t} no longer exists; its ${tables[t]?.rows ?? 0} row(s) were not restored`);
      return false;
    });
    const keys = await listForeignKeys(db);
    const hold = await holdChecks(db, [...current.keys()], keys);
    const emptied = [...current.keys()].filter((t) => options.replace(t));
    if (emptied.length > 0) await sql`truncate ${sql.join(emptied.map((t) => sql.table(t)))}`.execute(db);
    let total = 0;
    for (const table of parentsFirst(wanted, keys)) {
      const entry = tables[table] as { file: string; rows: number; columns: string[] };
      const info = current.get(table) as { columns: ColumnInfo[] };
      const insertable = new Map(info.columns.filter((c) => !c.generated).map((c) => [c.name, c]));
      const columns = entry.columns.filter((c) => insertable.has(c)).map((c) => insertable.get(c) as ColumnInfo);
      for (const dropped of entry.columns.filter((c) => !info.columns.some((i) => i.name === c))) {
        options.warnings.push(`${database.name}: column ${table}.${dropped} no longer exists; its values were not restored`);
      }
      const loaded = await loadTable(db, dir, table, entry.file, columns);
      const count = await countRows(db, table);
      if (loaded !== entry.rows || count !== entry.rows) {
        throw new BackupError(`${database.name}.${table}: ${count} row(s) after loading, the manifest says ${entry.rows} / ${count} ligne(s) chargées, le manifeste en annonce ${entry.rows}`);
      }
      for (const { column, sequence } of await listSequences(db, table, columns.map((c) => c.name))) {
        await sql`select setval(${sequence}::regclass, coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
      }
      total += count;
    }
    await hold.release();
    return total;
  });
}

/**
 * Holds foreign keys and triggers off for the load (rows of a table may reference rows loaded
 * later, and the audit log's triggers refuse TRUNCATE). A superuser uses the replica role (both
 * at once, for this transaction only); any other owner defers its foreign keys — checked when
 * released — and disables the tables' own triggers until released.
 */
async function holdChecks(
  db: AnyDb,
  tables: readonly string[],
  keys: readonly { name: string; child: string; deferrable: boolean }[],
): Promise<{ release(): Promise<void> }> {
  if (await isSuperuser(db)) {
    await sql`set local session_replication_role = replica`.execute(db);
    return {
      release: async () => {
        await sql`set local session_replication_role = origin`.execute(db);
      },
    };
  }
  const { rows: triggers } = await sql<{ table_name: string; name: string }>`
    select c.relname::text as table_name, t.tgname::text as name
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and not t.tgisinternal and t.tgenabled <> 'D'`.execute(db);
  for (const t of triggers) if (tables.includes(t.table_name)) await sql`alter table ${sql.table(t.table_name)} disable trigger ${sql.id(t.name)}`.execute(db);
  const altered = keys.filter((k) => !k.deferrable);
  for (const k of altered) await sql`alter table ${sql.table(k.child)} alter constraint ${sql.id(k.name)} deferrable initially deferred`.execute(db);
  await sql`set constraints all deferred`.execute(db);
  return {
    release: async () => {
      // Every deferred check runs now: a row pointing at nothing fails the restore here.
      await sql`set constraints all immediate`.execute(db);
      for (const k of altered) await sql`alter table ${sql.table(k.child)} alter constraint ${sql.id(k.name)} not deferrable`.execute(db);
      for (const t of triggers) if (tables.includes(t.table_name)) await sql`alter table ${sql.table(t.table_name)} enable trigger ${sql.id(t.name)}`.execute(db);
    },
  };
}

/**
 * Inserts a table's JSON Lines in batches: each line is an object of the columns' text forms,
 * cast back to the column's type (text in → the type's own input function: exact).
 */
async function loadTable(db: AnyDb, dir: string, table: string, file: string, columns: readonly ColumnInfo[]): Promise<number> {
  let batch: string[] = [];
  let bytes = 0;
  let count = 0;
  const names = sql.join(columns.map((c) => sql.id(c.name)));
  const values = sql.join(columns.map((c) => sql`(e ->> ${sql.lit(c.name)})::${sql.raw(c.type)}`));
  const flush = async () => {
    if (batch.length === 0) return;
    const payload = `[${batch.join(',')}]`;
    // OVERRIDING SYSTEM VALUE: identity columns keep the backed-up ids.
    await sql`insert into ${sql.table(table)} (${names}) overriding system value
      select ${values} from json_array_elements(${payload}::json) as e`.execute(db);
    count += batch.length;
    batch = [];
    bytes = 0;
  };
  const lines = createInterface({ input: createReadStream(inside(dir, file), { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.length === 0) continue;
    batch.push(line);
    bytes += line.length;
    if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  return count;
}

async function* readIndex(dir: string, relative: string): AsyncGenerator<{ key: string; size: number; sha256: string }> {
  const lines = createInterface({ input: createReadStream(inside(dir, relative), { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.length === 0) continue;
    const item = JSON.parse(line) as { key: string; size: number; sha256: string };
    if (typeof item?.key !== 'string' || typeof item.size !== 'number' || typeof item.sha256 !== 'string') {
      throw new BackupError(`Malformed object index line / ligne d’index d’objets invalide: ${relative}`);
    }
    yield item;
  }
}

async function emptyObjectStore(store: ObjectStore): Promise<void> {
  for (;;) {
    const batch: string[] = [];
    for await (const o of store.list('')) {
      batch.push(o.key);
      if (batch.length >= 500) break;
    }
    if (batch.length === 0) return;
    for (const key of batch) await store.delete(key);
  }
}

/** Puts every object of the index back, re-checking each one's SHA-256 while it streams. */
async function loadObjects(store: ObjectStore, dir: string, indexRelative: string): Promise<number> {
  const folder = path.posix.dirname(indexRelative);
  let count = 0;
  for await (const item of readIndex(dir, indexRelative)) {
    const file = inside(dir, path.posix.join(folder, 'objects', item.key));
    const hash = createHash('sha256');
    const checked = createReadStream(file).pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
        flush(done) {
          // Changed since verifyBackup: fail the put, the old object (if any) stays.
          done(hash.digest('hex') === item.sha256 ? null : new BackupError(`SHA-256 mismatch / empreinte différente: ${item.key}`));
        },
      }),
    );
    await store.put(item.key, checked);
    count += 1;
  }
  return count;
}

/** A cell's keyring from a keyring backup: keys replaced, tombstones merged. */
async function loadKeyring(
  database: Database<unknown>,
  dir: string,
  tables: Record<string, { file: string; rows: number; columns: string[] }>,
  warnings: string[],
): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const db = trx as AnyDb;
    await setExactTextForms(db);
    const current = new Map((await listTables(db)).map((t) => [t.name, t.columns]));
    const columnsOf = (table: string, backedUp: string[]) => {
      const known = new Map((current.get(table) ?? []).filter((c) => !c.generated).map((c) => [c.name, c]));
      return backedUp.filter((c) => known.has(c)).map((c) => known.get(c) as ColumnInfo);
    };
    let total = 0;
    const keyring = tables.keyring;
    if (keyring) {
      await sql`delete from keyring`.execute(db);
      total += await loadTable(db, dir, 'keyring', keyring.file, columnsOf('keyring', keyring.columns));
    } else {
      warnings.push(`${database.name}: the keyring backup has no keyring table`);
    }
    const tombstones = tables.keyring_tombstones;
    if (tombstones) {
      // Into a scratch table first, then merged: tombstones already here stay.
      await sql`create temporary table entente_restore_tombstones (like keyring_tombstones) on commit drop`.execute(db);
      total += await loadTable(db, dir, 'entente_restore_tombstones', tombstones.file, columnsOf('keyring_tombstones', tombstones.columns));
      await sql`insert into keyring_tombstones select * from entente_restore_tombstones on conflict do nothing`.execute(db);
    }
    return total;
  });
}

/**
 * The key files of a keyring backup, back in place, before anything opens the cells' providers
 * (the CLI calls it first; restoreBackup again, which then finds them there). Verified first.
 */
export async function restoreKeyFilesFrom(targets: Pick<RestoreTargets, 'kekFolders' | 'keyFileTargets'>, dir: string): Promise<string[]> {
  const manifest = await readManifest(dir, 'keyring');
  for (const entry of manifest.keyFiles) {
    const expected = manifest.files[entry.file];
    if (!expected) throw new BackupError(`Key file not in the manifest's list / fichier de clé non listé: ${entry.file}`);
    await verifyFile(dir, entry.file, expected);
  }
  return restoreKeyFiles(targets, dir, manifest);
}

/** KEK files back into each cell's folder (never over a different file of the same name), other key files to their places. */
async function restoreKeyFiles(targets: Pick<RestoreTargets, 'kekFolders' | 'keyFileTargets'>, dir: string, manifest: Manifest): Promise<string[]> {
  const restored: string[] = [];
  for (const entry of manifest.keyFiles) {
    const target =
      entry.role === 'kek'
        ? entry.cell && targets.kekFolders[entry.cell]
          ? path.join(targets.kekFolders[entry.cell] as string, path.basename(entry.name))
          : null
        : (targets.keyFileTargets[entry.role] ?? null);
    if (!target) continue;
    const source = inside(dir, entry.file);
    const existing = await stat(target).then(
      () => true,
      () => false,
    );
    if (existing) {
      const [a, b] = await Promise.all([readFile(source), readFile(target)]);
      if (!a.equals(b)) throw new BackupError(`${target} exists and differs from the backup's copy: move it away first / existe et diffère de la copie sauvegardée : déplacez-le d’abord`);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await copyFile(source, target);
    await chmod(target, 0o600);
    restored.push(target);
  }
  return restored;
}
