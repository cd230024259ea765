import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStores } from '../../../../test/support/db.ts';
import type { Stores } from '../../../platform/db/stores.ts';
import { schemaDifferences, spaceTableProblems, unclassifiedTables } from './move-rows.ts';
import { uuidv7 } from '../../../platform/ids.ts';
import { readCatalogue, selectRowsByKeys, type TableInfo } from './move.repo.ts';
import { OTHER_CELL_TABLES, SPACE_TABLES } from './space-tables.ts';

/**
 * The guard of `entente spaces move`: every cell table that can hold a space's data is in
 * space-tables.ts (moved, with how) or classified as not the space's (with why). A new table with a
 * `space_id` or `document_id` column, or a foreign key to a moved table, fails here until someone
 * decides — otherwise a move would leave its rows behind in the old cell.
 */
let stores: Stores;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ stores, close } = await openTestStores());
});
afterAll(async () => {
  await close?.();
});

const catalogue = (j: 'FR' | 'QC') => readCatalogue(stores.cells[j].db, stores.cells[j].schema);

describe('space-tables.ts', () => {
  it('classifies every cell table holding a space’s data, and names only tables that exist', async () => {
    const fr = await catalogue('FR');
    const unclassified = unclassifiedTables(fr);
    expect(
      unclassified,
      `Cell tables that may hold a space's data are in neither list of server/src/workspace/spaces/move/space-tables.ts: ${unclassified.join(', ')}. Add each to SPACE_TABLES (moved: how it relates to the space) or to OTHER_CELL_TABLES (stays: why).`,
    ).toEqual([]);
    expect(spaceTableProblems(fr)).toEqual([]);
    expect(schemaDifferences(fr, await catalogue('QC'))).toEqual([]);
    // Moved tables come after the tables they reference (rows are inserted in this order).
    const order = SPACE_TABLES.map((t) => t.table);
    for (const entry of SPACE_TABLES) {
      for (const fk of (fr.get(entry.table) as TableInfo).foreignKeys) {
        if (fk.references === entry.table || !order.includes(fk.references)) continue;
        expect(order.indexOf(fk.references), `${entry.table} → ${fk.references}`).toBeLessThan(order.indexOf(entry.table));
      }
    }
  });

  it('fails for a new table with a space_id or document_id column, or a key to a moved table', async () => {
    const db = stores.cells.FR.db;
    await sql`create table move_guard_notes (id uuid primary key, document_id uuid not null)`.execute(db);
    await sql`create table move_guard_tags (id uuid primary key, file_id uuid references files (id))`.execute(db);
    await sql`create table move_guard_settings (id uuid primary key, value text)`.execute(db);
    try {
      const found = unclassifiedTables(await catalogue('FR'));
      expect(found).toEqual(['move_guard_notes', 'move_guard_tags']);
    } finally {
      await sql`drop table move_guard_notes, move_guard_tags, move_guard_settings`.execute(db);
    }
  });

  it('reads rows in a form that does not depend on the session’s time zone (the two cells’ servers may differ)', async () => {
    const db = stores.cells.FR.db;
    const fr = await catalogue('FR');
    const spaces = fr.get('spaces') as TableInfo;
    const id = uuidv7();
    await sql`insert into spaces (id, name, description, min_assurance, classification, created_by, created_at)
      values (${id}, 'Fuseaux', '', 'low', 'internal', ${uuidv7()}, '2026-03-31 10:15:30.123456+00')`.execute(db);
    const read = (zone: string) =>
      db.transaction().execute(async (trx) => {
        await sql`select set_config('TimeZone', ${zone}, true)`.execute(trx);
        return [...(await selectRowsByKeys(trx, spaces, [[id]])).values()][0];
      });
    const paris = await read('Europe/Paris');
    const toronto = await read('America/Toronto');
    expect(paris).toEqual(toronto);
    expect(paris?.[spaces.columns.findIndex((c) => c.name === 'created_at')]).toBe('2026-03-31 10:15:30.123456+00');
    await sql`delete from spaces where id = ${id}`.execute(db);
  });

  it('refuses a list naming a table that does not exist, a table without a key, or one numbered by the cell', async () => {
    const fr = await catalogue('FR');
    const without = new Map(fr);
    without.delete('document_images');
    expect(spaceTableProblems(without)).toContain('document_images: listed in space-tables.ts but not in the cell\'s database');
    const keyless = new Map(fr);
    keyless.set('files', { ...(fr.get('files') as TableInfo), primaryKey: [] });
    expect(spaceTableProblems(keyless).some((p) => p.startsWith('files: no primary key'))).toBe(true);
    const numbered = new Map(fr);
    const spaces = fr.get('spaces') as TableInfo;
    numbered.set('spaces', { ...spaces, columns: spaces.columns.map((c) => (c.name === 'id' ? { ...c, generated: 'identity' as const } : c)) });
    expect(spaceTableProblems(numbered)).toContain("spaces: id numbered by the cell's sequence");
    expect(Object.keys(OTHER_CELL_TABLES).every((name) => fr.has(name))).toBe(true);
  });
});
