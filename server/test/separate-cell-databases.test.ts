import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testDatabaseUrl } from './support/db.ts';

/**
 * Production's layout: the control plane and each cell in its own PostgreSQL database. (The other
 * PostgreSQL tests use one database with a schema per cell, the development layout.)
 */
const url = testDatabaseUrl();

describe.skipIf(!url)('cells in their own PostgreSQL databases', () => {
  let t: TestApp;
  const names = [`entente_t_cell_fr_${process.pid}`, `entente_t_cell_qc_${process.pid}`];
  const admin = () => new pg.Client({ connectionString: url as string });
  const urlOf = (name: string) => {
    const u = new URL(url as string);
    u.pathname = `/${name}`;
    return u.href;
  };

  beforeAll(async () => {
    const client = admin();
    await client.connect();
    for (const name of names) await client.query(`create database ${name}`);
    await client.end();
    t = await startTestApp({ env: { ENTENTE_CELL_FR_DATABASE_URL: urlOf(names[0]!), ENTENTE_CELL_QC_DATABASE_URL: urlOf(names[1]!) } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    const client = admin();
    await client.connect();
    for (const name of names) await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });

  it('migrates each database and keeps each agent’s profile in their own cell’s database', async () => {
    const ready = (await (await fetch(`${t.baseUrl}/readyz`)).json()) as { ready: boolean; checks: Record<string, { detail: string }> };
    expect(ready.ready).toBe(true);
    expect(ready.checks['cell FR']?.detail).toContain('postgres');
    const { control, cells } = t.entente.stores;
    expect(cells.FR.location).toContain(names[0]);
    expect(cells.QC.location).toContain(names[1]);
    const tablesIn = async (db: typeof control.db | typeof cells.FR.db) =>
      (await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(db)).rows.map(
        (r) => r.table_name,
      );
    expect(await tablesIn(cells.FR.db)).toContain('agent_profiles');
    expect(await tablesIn(control.db)).not.toContain('agent_profiles');
    const emilie = DEMO_AGENTS[2]!;
    const inQc = await cells.QC.db.selectFrom('agent_profiles').select('email').where('principal_id', '=', emilie.id).execute();
    const inFr = await cells.FR.db.selectFrom('agent_profiles').select('email').where('principal_id', '=', emilie.id).execute();
    expect(inQc).toHaveLength(1);
    expect(inFr).toHaveLength(0);
    const session = await t.signIn(emilie);
    expect((await fetch(`${t.baseUrl}/api/me`, { headers: { cookie: session.cookie } })).status).toBe(200);
  });
});
