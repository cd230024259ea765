import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { AnyDb } from './types.ts';
import pg from 'pg';
import { PgliteDialect } from './pglite-dialect.ts';

/**
 * One open store (the control plane or a cell): its Kysely handle and what the platform needs to
 * know about it. `kind` says whether the data is embedded (PGlite, one process) or on PostgreSQL.
 */
export interface Database<Tables> {
  readonly name: string;
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<Tables>;
  /** Where it is, without any credential: a folder, or host/database/schema. */
  readonly location: string;
  /** Schema holding this store's tables and migration history. */
  readonly schema: string;
  /** Whether pgvector is installed in this database (it is optional on PostgreSQL). */
  hasVector(): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// int8 (count(*), sums) as JS numbers and bytea as Buffer on both drivers, so repositories see the
// same values on PGlite and on PostgreSQL.
const INT8 = 20;
const BYTEA = 17;
pg.types.setTypeParser(INT8, (value: string) => Number(value));

/**
 * PostgreSQL's default 128 MB of shared buffers, allocated by each of the three embedded
 * instances, made a start weigh 1.2 GiB; 32 MB each halves it and opens twice as fast, and is
 * plenty for an embedded (single-process, small) deployment. Measured in bench/README.md.
 */
const EMBEDDED_POSTGRES_CONF = ['shared_buffers=32MB'];

export async function openPglite<Tables>(name: string, dir: string | null): Promise<Database<Tables>> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create({
    ...(dir ? { dataDir: dir } : {}),
    extensions: { unaccent, vector },
    postgresqlconf: EMBEDDED_POSTGRES_CONF,
    parsers: {
      [INT8]: (value: string) => Number(value),
      [BYTEA]: (value: string) => Buffer.from(value.startsWith('\\x') ? value.slice(2) : value, 'hex'),
    },
  });
  const db = new Kysely<Tables>({ dialect: new PgliteDialect(pglite) });
  return {
    name,
    kind: 'pglite',
    db,
    location: dir ?? '(memory)',
    schema: 'public',
    hasVector: () => hasVector(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

export interface PostgresOptions {
  /** A schema to use as the first entry of the search_path (created if missing). */
  schema?: string | null;
  poolSize?: number;
  /** Create the schema when missing (false for read-only callers such as doctor). */
  createSchema?: boolean;
}

export async function openPostgres<Tables>(
  name: string,
  url: string,
  options: PostgresOptions = {},
): Promise<Database<Tables>> {
  const schema = options.schema ?? null;
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Extensions (unaccent, vector) live in public; the store's own tables in its schema.
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  // A database that goes away at run time must not crash the process: the pool reports it here
  // and the next query fails cleanly (readyz turns 503 until it is back).
  pool.on('error', () => {});
  // A checked-out client whose connection drops between two queries emits 'error' on itself,
  // which would be an uncaught exception; the next query on it fails cleanly instead, and the
  // pool discards it when it is released (it is no longer queryable).
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const target = new URL(url);
  const location = `${target.hostname}:${target.port || 5432}${target.pathname}${schema ? ` (schema ${schema})` : ''}`;
  if (schema && options.createSchema !== false) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  return {
    name,
    kind: 'postgres',
    db,
    location,
    schema: schema ?? 'public',
    hasVector: () => hasVector(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function hasVector(db: AnyDb): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from pg_extension where extname = 'vector'`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}

/** Whether the server offers an extension (installed or installable). */
export async function extensionAvailable(db: AnyDb, name: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from pg_available_extensions where name = ${name}`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}
