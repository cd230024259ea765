import { sql } from 'kysely';
import type { AnyDb } from '../db/types.ts';

/**
 * What backup and restore read from PostgreSQL's own catalog about a store's tables (those of
 * the connection's current schema: `public` on PGlite, the store's schema on PostgreSQL), so that
 * they copy whatever tables the migrations made, without a list to keep up to date.
 */
export interface ColumnInfo {
  name: string;
  /** Its SQL type as `format_type` writes it (`timestamp with time zone`, `real[]`…): values are cast back to it. */
  type: string;
  /** A generated column: computed by the database, never inserted. */
  generated: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
}

export interface ForeignKeyInfo {
  name: string;
  child: string;
  parent: string;
  deferrable: boolean;
}

export async function listTables(db: AnyDb): Promise<TableInfo[]> {
  const { rows } = await sql<{ table_name: string; column_name: string; type: string; generated: boolean }>`
    select c.relname::text as table_name, a.attname::text as column_name, format_type(a.atttypid, a.atttypmod) as type,
           (a.attgenerated <> '') as generated
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname = current_schema() and c.relkind in ('r', 'p')
     order by c.relname, a.attnum`.execute(db);
  const tables = new Map<string, TableInfo>();
  for (const row of rows) {
    const table = tables.get(row.table_name) ?? { name: row.table_name, columns: [] };
    table.columns.push({ name: row.column_name, type: row.type, generated: row.generated });
    tables.set(row.table_name, table);
  }
  return [...tables.values()];
}

export async function listForeignKeys(db: AnyDb): Promise<ForeignKeyInfo[]> {
  const { rows } = await sql<{ name: string; child: string; parent: string; deferrable: boolean }>`
    select con.conname::text as name, ch.relname::text as child, pa.relname::text as parent, con.condeferrable as deferrable
      from pg_constraint con
      join pg_class ch on ch.oid = con.conrelid
      join pg_class pa on pa.oid = con.confrelid
      join pg_namespace n on n.oid = ch.relnamespace
     where con.contype = 'f' and n.nspname = current_schema()
     order by 1`.execute(db);
  return rows;
}

/** Orders tables so that a table comes after the tables it references (cycles keep their order). */
export function parentsFirst(tables: readonly string[], keys: readonly ForeignKeyInfo[]): string[] {
  const parents = new Map<string, Set<string>>();
  for (const t of tables) parents.set(t, new Set());
  for (const fk of keys) if (fk.child !== fk.parent && parents.has(fk.child) && parents.has(fk.parent)) parents.get(fk.child)?.add(fk.parent);
  const ordered: string[] = [];
  const done = new Set<string>();
  const remaining = [...tables].sort();
  while (remaining.length > 0) {
    const index = remaining.findIndex((t) => [...(parents.get(t) ?? [])].every((p) => done.has(p)));
    const [next] = remaining.splice(index === -1 ? 0 : index, 1);
    if (next === undefined) break;
    ordered.push(next);
    done.add(next);
  }
  return ordered;
}

/** The sequences behind identity and serial columns, to set after rows are loaded. */
export async function listSequences(db: AnyDb, table: string, columns: readonly string[]): Promise<{ column: string; sequence: string }[]> {
  const found: { column: string; sequence: string }[] = [];
  for (const column of columns) {
    const { rows } = await sql<{ seq: string | null }>`select pg_get_serial_sequence(quote_ident(${table}), ${column}) as seq`.execute(db);
    const seq = rows[0]?.seq;
    if (seq) found.push({ column, sequence: seq });
  }
  return found;
}

/** The applied migrations of the store (names, in order), from Kysely's history table. */
export async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const exists = await sql<{ n: number }>`
    select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relname = 'kysely_migration'`.execute(db);
  if (Number(exists.rows[0]?.n ?? 0) === 0) return [];
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** Whether the connected role may set `session_replication_role` (a superuser: PGlite's, or a PostgreSQL admin). */
export async function isSuperuser(db: AnyDb): Promise<boolean> {
  const { rows } = await sql<{ s: boolean }>`select rolsuper as s from pg_roles where rolname = current_user`.execute(db);
  return rows[0]?.s === true;
}

export async function countRows(db: AnyDb, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Text forms that read back to the same values on any server: bytea in hex, ISO dates in UTC,
 * intervals in PostgreSQL's style, floats with the shortest exact digits. Set in the transactions
 * of both backup and restore, so neither depends on the server's or the role's settings.
 */
export async function setExactTextForms(db: AnyDb): Promise<void> {
  await sql`set local bytea_output = 'hex'`.execute(db);
  await sql`set local datestyle = 'ISO, YMD'`.execute(db);
  await sql`set local intervalstyle = 'postgres'`.execute(db);
  await sql`set local timezone = 'UTC'`.execute(db);
  await sql`set local extra_float_digits = 1`.execute(db);
}
