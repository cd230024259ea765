import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Config } from '../../config.ts';
import { type Database, openPglite, openPostgres } from './database.ts';
import { migrateToLatest } from './migrations.ts';
import type { CellTables, ControlPlaneTables } from './types.ts';

/** The databases of one Entente: the control plane and one per cell. */
export interface Stores {
  control: Database<ControlPlaneTables>;
  cells: Record<Jurisdiction, Database<CellTables>>;
  all(): Database<unknown>[];
  close(): Promise<void>;
}

/**
 * Creating a PGlite database (its initdb) costs seconds of CPU; copying a freshly created one
 * costs milliseconds. On a first start the embedded stores are made from one new cluster, copied.
 */
async function createMissingPgliteDirs(config: Config): Promise<void> {
  const dirs = [
    ...(config.control.databaseUrl ? [] : [config.control.pgliteDir]),
    ...JURISDICTIONS.filter((j) => !config.cells[j].databaseUrl).map((j) => config.cells[j].pgliteDir),
  ].filter((dir) => !existsSync(path.join(dir, 'PG_VERSION')));
  if (dirs.length === 0) return;
  const seed = path.join(config.dataDir, `.new-cluster-${process.pid}`);
  rmSync(seed, { recursive: true, force: true });
  const fresh = await openPglite('seed', seed);
  await fresh.close();
  for (const dir of dirs) {
    // Copy beside, then rename: a start interrupted mid-copy leaves no half database that the
    // next start would take for a whole one (it looks for PG_VERSION).
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(dir, { recursive: true, force: true });
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(path.dirname(dir), { recursive: true });
    cpSync(seed, partial, { recursive: true });
    renameSync(partial, dir);
  }
  rmSync(seed, { recursive: true, force: true });
}

/** Opens every store named by the configuration. Does not migrate (see migrateStores). */
export async function openStores(config: Config): Promise<Stores> {
  const opened: Database<unknown>[] = [];
  await createMissingPgliteDirs(config);
  try {
    const control = config.control.databaseUrl
      ? await openPostgres<ControlPlaneTables>('control', config.control.databaseUrl, {
          poolSize: config.dbPoolSize,
          // A cell sharing the control plane's database gets its own schema; the control plane
          // then keeps to `control` so that nothing mixes.
          schema: JURISDICTIONS.some((j) => config.cells[j].schema) ? 'control' : null,
        })
      : await openPglite<ControlPlaneTables>('control', config.control.pgliteDir);
    opened.push(control as Database<unknown>);
    const cells = {} as Record<Jurisdiction, Database<CellTables>>;
    for (const j of JURISDICTIONS) {
      const cell = config.cells[j];
      cells[j] = cell.databaseUrl
        ? await openPostgres<CellTables>(`cell ${j}`, cell.databaseUrl, { schema: cell.schema, poolSize: config.dbPoolSize })
        : await openPglite<CellTables>(`cell ${j}`, cell.pgliteDir);
      opened.push(cells[j] as Database<unknown>);
    }
    return {
      control,
      cells,
      all: () => [...opened],
      close: async () => {
        await Promise.allSettled(opened.map((store) => store.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((store) => store.close()));
    throw error;
  }
}

export async function migrateStores(stores: Stores): Promise<{ store: string; applied: string[] }[]> {
  const report: { store: string; applied: string[] }[] = [];
  const control = await migrateToLatest(stores.control.db, 'control', stores.control.schema);
  report.push({ store: stores.control.name, applied: (control.results ?? []).map((r) => r.migrationName) });
  for (const j of JURISDICTIONS) {
    const cell = stores.cells[j];
    const result = await migrateToLatest(cell.db, 'cell', cell.schema);
    report.push({ store: cell.name, applied: (result.results ?? []).map((r) => r.migrationName) });
  }
  return report;
}
