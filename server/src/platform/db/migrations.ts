import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { AnyDb, Store } from './types.ts';

/**
 * Migrations live with the module that owns the tables: `server/src/<module>/migrations/<store>/`,
 * one TypeScript file each, named `<YYYYMMDDHHmmss>_<module>_<what>.ts` and exporting `up(db)`.
 * They are run in timestamp order across modules, per store (the control plane, or a cell: both
 * cells get the same cell migrations). Every migration must run on PGlite and on PostgreSQL 15.
 */
export const MODULES = ['platform', 'identity', 'workspace', 'assistant', 'skills'] as const;

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAME = /^\d{14}_[a-z0-9_]+\.ts$/;

export async function collectMigrations(store: Store): Promise<Record<string, Migration>> {
  const migrations: Record<string, Migration> = {};
  for (const module of MODULES) {
    const dir = path.join(SRC, module, 'migrations', store);
    let files: string[];
    try {
      files = await readdir(dir);
    } catch {
      continue;
    }
    for (const file of files.filter((f) => NAME.test(f)).sort()) {
      const name = file.slice(0, -'.ts'.length);
      if (migrations[name]) throw new Error(`Duplicate migration name ${name}`);
      const loaded = (await import(pathToFileURL(path.join(dir, file)).href)) as Migration;
      if (typeof loaded.up !== 'function') throw new Error(`Migration ${module}/${file} exports no up()`);
      migrations[name] = loaded;
    }
  }
  return migrations;
}

function migrator(db: AnyDb, store: Store, schema: string): Migrator {
  return new Migrator({
    db,
    // Explicit: cells sharing one PostgreSQL database (tests) each keep their own history.
    migrationTableSchema: schema,
    provider: { getMigrations: () => collectMigrations(store) },
    // Modules add migrations independently; timestamps order them, but a later module may
    // legitimately add one dated before another module's latest.
    allowUnorderedMigrations: true,
  });
}

export async function migrateToLatest(
  db: AnyDb,
  store: Store,
  schema = 'public',
): Promise<MigrationResultSet> {
  const result = await migrator(db, store, schema).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const error = new Error(
      `Migration ${failed?.migrationName ?? '(unknown)'} of the ${store} store failed: ${(result.error as Error).message}`,
    );
    error.cause = result.error;
    throw error;
  }
  return result;
}

/** Names of the migrations not yet applied (empty when the store is up to date). */
export async function pendingMigrations(db: AnyDb, store: Store, schema = 'public'): Promise<string[]> {
  const all = await migrator(db, store, schema).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
