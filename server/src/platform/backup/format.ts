import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';

/**
 * The on-disk format of `entente backup` (README.md in this folder): a folder with a manifest,
 * rows as JSON Lines per table and store, objects as stored (still encrypted), and the SHA-256 of
 * every file. Two kinds: `data` (everything but the keyring) and `keyring` (the keyring tables, and
 * the key files when asked), made and kept apart on purpose (docs/operations.md).
 */
export const BACKUP_FORMAT = 'entente-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST = 'manifest.json';

/** A store of an Entente: the control plane or a cell. */
export type StoreId = 'control' | Jurisdiction;

/** The keyring's tables: never in a data backup, only in a keyring backup. */
export const KEYRING_TABLES: readonly string[] = ['keyring', 'keyring_tombstones'];
/** The migration history is recorded as names in the manifest, not copied as rows. */
export const MIGRATION_TABLES: readonly string[] = ['kysely_migration', 'kysely_migration_lock'];

export interface TableEntry {
  /** Relative path of the JSON Lines file (one row per line, as PostgreSQL's row_to_json writes it). */
  file: string;
  rows: number;
  /** Columns of the table when it was backed up. */
  columns: string[];
}

export interface StoreEntry {
  /** Where it was (without credentials), for the operator. */
  location: string;
  kind: 'pglite' | 'postgres';
  /** Migrations applied when the snapshot was taken. */
  migrations: string[];
  tables: Record<string, TableEntry>;
}

export interface ObjectsEntry {
  /** JSON Lines `{ key, size, sha256 }`, one per object, its file under `objects/`. */
  index: string;
  count: number;
  bytes: number;
}

export interface KeyFileEntry {
  /** Relative path in the backup. */
  file: string;
  /** What it is: `kek` (a cell's file KEK), `audit-signing-key`, `server-secret`. */
  role: 'kek' | 'audit-signing-key' | 'server-secret';
  /** The cell of a KEK. */
  cell?: Jurisdiction;
  /** The file's name where it goes back. */
  name: string;
}

export interface FileEntry {
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  kind: 'data' | 'keyring';
  createdAt: string;
  stores: Partial<Record<StoreId, StoreEntry>>;
  objects: Partial<Record<Jurisdiction, ObjectsEntry>>;
  keyFiles: KeyFileEntry[];
  /** Every other file of the backup, by relative path. */
  files: Record<string, FileEntry>;
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export function storeFolder(store: StoreId): string {
  return store === 'control' ? 'control' : path.posix.join('cells', store.toLowerCase());
}

/** Folders 0700 and files 0600: a backup holds personal data (and a keyring backup, keys). */
export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

export async function sha256File(file: string): Promise<FileEntry> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * Writes lines to a file while hashing them; `close()` returns its size and SHA-256. Respects
 * backpressure (a large table never sits whole in memory).
 */
export async function lineWriter(file: string): Promise<{ write(line: string): Promise<void>; close(): Promise<FileEntry> }> {
  await ensureDir(path.dirname(file));
  const handle = await open(file, 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await handle.write(data);
  };
  return {
    async write(line: string) {
      const bytes = Buffer.from(`${line}\n`, 'utf8');
      hash.update(bytes);
      size += bytes.length;
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes >= 1 << 20) await flush();
    },
    async close() {
      await flush();
      await handle.sync();
      await handle.close();
      return { size, sha256: hash.digest('hex') };
    },
  };
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const file = path.join(dir, MANIFEST);
  const temp = `${file}.partial`;
  const handle = await open(temp, 'w', 0o600);
  await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  await handle.sync();
  await handle.close();
  await rename(temp, file);
  await chmod(file, 0o600);
}

export async function readManifest(dir: string, kind: Manifest['kind']): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST), 'utf8');
  } catch {
    throw new BackupError(`No ${MANIFEST} in ${dir}: not a complete Entente backup / pas une sauvegarde Entente complète`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new BackupError(`${MANIFEST} of ${dir} is not valid JSON / n’est pas du JSON valide`);
  }
  if (manifest?.format !== BACKUP_FORMAT || manifest.version !== BACKUP_VERSION) {
    throw new BackupError(`${dir} is not an Entente backup of format version ${BACKUP_VERSION} / n’est pas une sauvegarde Entente de version ${BACKUP_VERSION}`);
  }
  if (manifest.kind !== kind) {
    throw new BackupError(
      kind === 'data'
        ? `${dir} is a keyring backup; give it with --keyring-from / est une sauvegarde du trousseau : passez-la avec --keyring-from`
        : `${dir} is a data backup, not a keyring backup / est une sauvegarde des données, pas du trousseau`,
    );
  }
  return manifest;
}

/**
 * A relative path of the manifest, resolved inside the backup folder (a manifest naming
 * `../../etc/passwd` is refused, whatever wrote it).
 */
export function inside(dir: string, relative: string): string {
  const root = path.resolve(dir);
  const full = path.resolve(root, relative);
  if (!full.startsWith(root + path.sep)) throw new BackupError(`Path outside the backup refused / chemin hors de la sauvegarde refusé: ${relative}`);
  return full;
}

/** Checks one file against the manifest: present, same size, same SHA-256. */
export async function verifyFile(dir: string, relative: string, expected: FileEntry): Promise<void> {
  const full = inside(dir, relative);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(full);
  } catch {
    throw new BackupError(`Missing file / fichier manquant: ${relative}`);
  }
  if (info.size !== expected.size) throw new BackupError(`Wrong size / taille inattendue: ${relative} (${info.size} ≠ ${expected.size})`);
  const actual = await sha256File(full);
  if (actual.sha256 !== expected.sha256) throw new BackupError(`SHA-256 mismatch / empreinte SHA-256 différente: ${relative}`);
}
