import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Config, loadConfig } from '../../src/config.ts';
import { migrateStores, openStores, type Stores } from '../../src/platform/db/stores.ts';

/**
 * Fresh, migrated stores for one test file. On PGlite (the default) they are copied from a
 * migrated template directory, built once per set of migrations (creating a PGlite database takes
 * seconds). With ENTENTE_TEST_DATABASE_URL set, each call gets a new PostgreSQL database, dropped
 * at close, so parallel runs never collide.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const TMP = path.join(ROOT, '.tmp');
// Test files make their work folders under it at import time: it must exist however vitest was
// started (`npm test` makes it, a bare `npx vitest run` does not).
mkdirSync(TMP, { recursive: true });

export function testDatabaseUrl(): string | null {
  return process.env.ENTENTE_TEST_DATABASE_URL?.trim() || null;
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (entry === 'node_modules') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (full.includes(`${path.sep}migrations${path.sep}`) || full.endsWith('extensions.ts')) {
        hash.update(full).update(readFileSync(full));
      }
    }
  };
  walk(path.join(ROOT, 'server', 'src'));
  return hash.digest('hex').slice(0, 16);
}

/** The template for the current migrations; built if missing. Called by vitest's globalSetup. */
export async function ensurePgliteTemplate(): Promise<string> {
  const dir = path.join(TMP, `template-${migrationsHash()}`);
  if (existsSync(path.join(dir, 'ready'))) return dir;
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const stores = await openStores(loadConfig({ ENTENTE_DATA_DIR: building }));
  try {
    await migrateStores(stores);
  } finally {
    await stores.close();
  }
  mkdirSync(path.join(building, 'ready'));
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another process won the race
  }
  removeStaleTemplates(dir);
  return dir;
}

/** Templates of older migration sets (and runs left by killed test processes) after a day. */
function removeStaleTemplates(current: string): void {
  const dayAgo = Date.now() - 24 * 3_600_000;
  for (const entry of readdirSync(TMP)) {
    const full = path.join(TMP, entry);
    if (full === current || !entry.startsWith('template-')) continue;
    if (statSync(full).mtimeMs < dayAgo) rmSync(full, { recursive: true, force: true });
  }
}

export interface TestEnv {
  /** Environment for loadConfig: a fresh data directory, and DATABASE_URL on PostgreSQL runs. */
  env: Record<string, string>;
  dataDir: string;
  dispose(): Promise<void>;
}

let counter = 0;

/** A fresh data directory (and database on PostgreSQL runs) holding migrated, empty stores. */
export async function freshTestEnv(extra: Record<string, string> = {}): Promise<TestEnv> {
  const id = `${process.pid}-${++counter}-${randomBytes(4).toString('hex')}`;
  const dataDir = path.join(TMP, 'runs', id);
  mkdirSync(dataDir, { recursive: true });
  const url = testDatabaseUrl();
  if (url) {
    const name = `entente_t_${id.replaceAll('-', '_')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    return {
      env: { ENTENTE_DATA_DIR: dataDir, DATABASE_URL: dbUrl.href, ...extra },
      dataDir,
      dispose: async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const template = await ensurePgliteTemplate();
  cpSync(template, dataDir, { recursive: true, filter: (src) => !src.endsWith(`${path.sep}ready`) });
  return {
    env: { ENTENTE_DATA_DIR: dataDir, ...extra },
    dataDir,
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Migrated stores, opened directly (for repository and service tests without HTTP). */
export async function openTestStores(): Promise<{ stores: Stores; config: Config; close(): Promise<void> }> {
  const testEnv = await freshTestEnv();
  const config = loadConfig(testEnv.env);
  const stores = await openStores(config);
  await migrateStores(stores);
  return {
    stores,
    config,
    close: async () => {
      await stores.close();
      await testEnv.dispose();
    },
  };
}
