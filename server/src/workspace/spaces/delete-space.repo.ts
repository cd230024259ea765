import { type RawBuilder, sql } from 'kysely';
import type { AnyDb, CellDb, ControlDb } from '../../platform/db/types.ts';
import '../workspace.tables.ts';

/**
 * All SQL of deleting a space (delete-space.ts): the mark in its cell, the control-plane rows, and
 * the purge of every row of the space in its cell, in small batches.
 *
 * Which tables hold a space's rows is read from the database's own catalog rather than listed by
 * hand, so that a table a module adds later is purged too:
 *  - a table with a `space_id` column: its rows of the space;
 *  - a table with a `document_id` column (and none of the above): rows of the space's documents;
 *  - a table whose foreign key points at one of those: rows whose parent is purged.
 * Audit tables are never purged (the log is append-only and hash-chained); the keyring is emptied
 * by Keyring.destroyOwnerKeys; `spaces` itself goes last.
 */

/** Tables a purge never touches: the audit log, the outbox, the keyring, the migration history. */
const NEVER_PURGED = /^(audit_.*|outbox|keyring|keyring_tombstones|kysely_migration.*|mail_outbox|jobs)$/;

// ── cell: the mark ───────────────────────────────────────────────────────────────────────────
/** Marks a live space deleted; false when there is none (already deleted, or never existed). */
export async function markSpaceDeleted(db: CellDb, spaceId: string, by: string | null): Promise<boolean> {
  const result = await db
    .updateTable('spaces')
    .set({ deleted_at: new Date(), deleted_by: by })
    .where('id', '=', spaceId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Where a space stands in its cell: live, marked deleted (purge pending), or absent. */
export async function spaceDeletionState(db: CellDb, spaceId: string): Promise<'live' | 'deleted' | 'absent'> {
  const row = await db.selectFrom('spaces').select(['id', 'deleted_at']).where('id', '=', spaceId).executeTakeFirst();
  if (!row) return 'absent';
  return row.deleted_at ? 'deleted' : 'live';
}

/** Spaces marked deleted whose purge has not finished (their row goes last). */
export async function listMarkedSpaces(db: CellDb, limit = 1000): Promise<string[]> {
  const rows = await db.selectFrom('spaces').select('id').where('deleted_at', 'is not', null).orderBy('deleted_at').limit(limit).execute();
  return rows.map((r) => r.id);
}

export async function countSpaceDocuments(db: CellDb, spaceId: string): Promise<number> {
  const row = await db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where('space_id', '=', spaceId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The last step of a purge: the space's row (and, by cascade, anything still pointing at it). */
export async function deleteSpaceRow(db: CellDb, spaceId: string): Promise<boolean> {
  const result = await db.deleteFrom('spaces').where('id', '=', spaceId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// ── control plane ────────────────────────────────────────────────────────────────────────────
/**
 * Removes the space from the control plane: rows of any table with a `space_id` column (members,
 * invitation index, and whatever a module adds), then its directory entry. True when the entry
 * existed (the first time).
 */
export async function removeSpaceFromControlPlane(db: ControlDb, spaceId: string): Promise<boolean> {
  const tables = await tablesWithColumn(db as AnyDb, 'space_id');
  for (const table of tables.filter((t) => !NEVER_PURGED.test(t))) {
    await sql`delete from ${sql.id(table)} where space_id = ${spaceId}`.execute(db);
  }
  const result = await db.deleteFrom('space_directory').where('id', '=', spaceId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function directoryHasSpace(db: ControlDb, spaceId: string): Promise<boolean> {
  return (await db.selectFrom('space_directory').select('id').where('id', '=', spaceId).executeTakeFirst()) !== undefined;
}

// ── cell: the purge plan ─────────────────────────────────────────────────────────────────────
export interface PurgeStep {
  table: string;
  /** Selects the table's rows of the space, the table being aliased `alias`. */
  where: (spaceId: string, alias: string) => RawBuilder<unknown>;
}

interface ForeignKey {
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
}

/**
 * The tables holding a space's rows, in an order that deletes children before parents (and rows
 * whose selection reads another table before that table's rows). Read from the catalog of the
 * connection's current schema, so it follows the migrations.
 */
export async function spacePurgePlan(db: CellDb): Promise<PurgeStep[]> {
  const any = db as AnyDb;
  const columns = await columnsByTable(any);
  const keys = await foreignKeys(any);
  const steps = new Map<string, { where: PurgeStep['where']; reads: Set<string> }>();
  for (const [table, cols] of columns) {
    if (table === 'spaces' || NEVER_PURGED.test(table)) continue;
    if (cols.has('space_id')) {
      steps.set(table, { where: (id, a) => sql`${sql.ref(`${a}.space_id`)} = ${id}`, reads: new Set() });
    } else if (cols.has('document_id') && table !== 'documents') {
      steps.set(table, {
        where: (id, a) => sql`${sql.ref(`${a}.document_id`)} in (select d.id from documents d where d.space_id = ${id})`,
        reads: new Set(['documents']),
      });
    }
  }
  // Tables that hold a space's rows only through a foreign key (e.g. the versions of a file).
  for (let round = 0; round < 10; round++) {
    let added = false;
    for (const fk of keys) {
      if (steps.has(fk.child) || fk.child === 'spaces' || NEVER_PURGED.test(fk.child)) continue;
      const parent = steps.get(fk.parent);
      if (!parent) continue;
      const parentWhere = parent.where;
      steps.set(fk.child, {
        where: (id, a) => {
          const p = `${a}_p`; // unique at each level of nesting
          const childCols = sql.join(fk.childColumns.map((c) => sql.ref(`${a}.${c}`)));
          const parentCols = sql.join(fk.parentColumns.map((c) => sql.ref(`${p}.${c}`)));
          return sql`(${childCols}) in (select ${parentCols} from ${sql.table(fk.parent)} as ${sql.id(p)} where ${parentWhere(id, p)})`;
        },
        reads: new Set([fk.parent]),
      });
      added = true;
    }
    if (!added) break;
  }
  // Order: a table goes before every table it reads or references (children first).
  const before = new Map<string, Set<string>>(); // table → tables that must go after it
  for (const [table, step] of steps) before.set(table, new Set([...step.reads].filter((t) => t !== table && steps.has(t))));
  for (const fk of keys) {
    if (fk.child !== fk.parent && steps.has(fk.child) && steps.has(fk.parent)) before.get(fk.child)?.add(fk.parent);
  }
  const ordered: string[] = [];
  const remaining = new Set(steps.keys());
  while (remaining.size > 0) {
    // Next: a table no remaining table has to precede (nobody still to delete reads or references it).
    const ready = [...remaining].filter((t) => ![...remaining].some((other) => other !== t && before.get(other)?.has(t))).sort();
    const next = ready[0] ?? [...remaining].sort()[0]; // a cycle: break it, the final cascade finishes
    if (next === undefined) break;
    ordered.push(next);
    remaining.delete(next);
  }
  return ordered.map((table) => ({ table, where: (steps.get(table) as { where: PurgeStep['where'] }).where }));
}

/**
 * Deletes at most `limit` rows of the table selected by the step (the cascade of foreign keys may
 * take more); returns how many the statement deleted. Small statements: a purge never holds a
 * long transaction, and on PGlite never holds the one connection for long.
 */
export async function purgeBatch(db: CellDb, step: PurgeStep, spaceId: string, limit: number): Promise<number> {
  const table = sql.table(step.table);
  const result = await sql`
    delete from ${table} where ctid = any(array(select t.ctid from ${table} t where ${step.where(spaceId, 't')} limit ${limit}))`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Rows of the space left in each table of the plan (tests, and the restore's report). */
export async function countSpaceRows(db: CellDb, spaceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const step of await spacePurgePlan(db)) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(step.table)} t where ${step.where(spaceId, 't')}`.execute(db);
    counts[step.table] = Number(rows[0]?.n ?? 0);
  }
  const { rows } = await sql<{ n: number }>`select count(*) as n from spaces where id = ${spaceId}`.execute(db);
  counts.spaces = Number(rows[0]?.n ?? 0);
  return counts;
}

// ── catalog ──────────────────────────────────────────────────────────────────────────────────
async function columnsByTable(db: AnyDb): Promise<Map<string, Set<string>>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.relname::text as table_name, a.attname::text as column_name
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname = current_schema() and c.relkind in ('r', 'p')`.execute(db);
  const map = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = map.get(row.table_name) ?? new Set<string>();
    set.add(row.column_name);
    map.set(row.table_name, set);
  }
  return map;
}

async function tablesWithColumn(db: AnyDb, column: string): Promise<string[]> {
  const tables: string[] = [];
  for (const [table, cols] of await columnsByTable(db)) if (cols.has(column)) tables.push(table);
  return tables.sort();
}

async function foreignKeys(db: AnyDb): Promise<ForeignKey[]> {
  const { rows } = await sql<{ child: string; parent: string; child_columns: string[]; parent_columns: string[] }>`
    select ch.relname::text as child, pa.relname::text as parent,
           array(select a.attname from unnest(con.conkey) with ordinality k(attnum, i)
                   join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i)::text[] as child_columns,
           array(select a.attname from unnest(con.confkey) with ordinality k(attnum, i)
                   join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i)::text[] as parent_columns
      from pg_constraint con
      join pg_class ch on ch.oid = con.conrelid
      join pg_class pa on pa.oid = con.confrelid
      join pg_namespace n on n.oid = ch.relnamespace
     where con.contype = 'f' and n.nspname = current_schema()`.execute(db);
  return rows.map((r) => ({ child: r.child, parent: r.parent, childColumns: r.child_columns, parentColumns: r.parent_columns }));
}

// ── after a restore ──────────────────────────────────────────────────────────────────────────
/**
 * Live spaces of the cell whose keys are gone: a keyring tombstone (deleted after the backup was
 * taken), or no data key while holding encrypted content (its key was destroyed and the tombstone
 * lost, or the keyring restored is older than the space). A space that never had a key and holds
 * nothing encrypted (no document content, no image yet) is left alone: nothing of it is lost.
 */
export async function findSpacesWithoutKeys(db: CellDb): Promise<{ id: string; reason: 'tombstone' | 'no_key' }[]> {
  const { rows } = await sql<{ id: string; tombstone: boolean; has_key: boolean; encrypted: boolean }>`
    select s.id,
           exists (select 1 from keyring_tombstones t where t.owner_type = 'space' and t.owner_id = s.id::text) as tombstone,
           exists (select 1 from keyring k where k.owner_type = 'space' and k.owner_id = s.id::text) as has_key,
           (exists (select 1 from documents d join document_updates u on u.document_id = d.id where d.space_id = s.id)
            or exists (select 1 from documents d join document_snapshots n on n.document_id = d.id where d.space_id = s.id)
            or exists (select 1 from documents d join document_versions v on v.document_id = d.id where d.space_id = s.id)
            or exists (select 1 from document_images i where i.space_id = s.id)) as encrypted
      from spaces s
     where s.deleted_at is null`.execute(db);
  return rows
    .filter((r) => r.tombstone || !r.has_key)
    .map((r) => ({ id: r.id, reason: r.tombstone ? ('tombstone' as const) : ('no_key' as const), encrypted: r.encrypted }))
    .filter((r) => r.reason === 'tombstone' || r.encrypted)
    .map(({ id, reason }) => ({ id, reason }));
}

/** Live spaces of the cell with no data key and no tombstone (candidates whose objects are checked). */
export async function findSpacesWithNoKeyNorTombstone(db: CellDb): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select s.id from spaces s
     where s.deleted_at is null
       and not exists (select 1 from keyring k where k.owner_type = 'space' and k.owner_id = s.id::text)
       and not exists (select 1 from keyring_tombstones t where t.owner_type = 'space' and t.owner_id = s.id::text)`.execute(db);
  return rows.map((r) => r.id);
}

/** Documents with content of the cell's live spaces, by id (pages of `limit`): their epochs are renewed after a restore. */
export async function listDocumentsWithContent(db: CellDb, after: string | null, limit: number): Promise<{ id: string; space_id: string }[]> {
  let query = db
    .selectFrom('documents as d')
    .innerJoin('spaces as s', 's.id', 'd.space_id')
    .select(['d.id', 'd.space_id'])
    .where('s.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('document_snapshots as n').select('n.document_id').whereRef('n.document_id', '=', 'd.id')),
        eb.exists(eb.selectFrom('document_updates as u').select('u.document_id').whereRef('u.document_id', '=', 'd.id')),
      ]),
    );
  if (after) query = query.where('d.id', '>', after);
  return query.orderBy('d.id').limit(limit).execute();
}
