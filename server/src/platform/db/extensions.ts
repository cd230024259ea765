import { sql } from "kysely";
import type { AnyDb } from "./types.ts";
import { extensionAvailable } from './database.ts';

/**
 * unaccent and a French text-search configuration that ignores accents (`entente_french`), in
 * every store; pgvector where the server offers it (not on every PostgreSQL: embeddings are kept
 * as real[] and compared in the application when it is absent). Extensions go to `public` so
 * that every store's schema sees them; the text-search configuration goes to the store's schema.
 */
export async function setUpExtensions(db: AnyDb): Promise<void> {
  await sql`create extension if not exists unaccent schema public`.execute(db);
  if (await extensionAvailable(db, 'vector')) {
    await sql`create extension if not exists vector schema public`.execute(db);
  }
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from pg_ts_config
    where cfgname = 'entente_french' and cfgnamespace = current_schema()::regnamespace`.execute(db);
  if ((rows[0]?.n ?? 0) === 0) {
    await sql`create text search configuration entente_french (copy = pg_catalog.french)`.execute(db);
    await sql`alter text search configuration entente_french
      alter mapping for hword, hword_part, word with public.unaccent, french_stem`.execute(db);
  }
}

/** What doctor reports: are unaccent and the French search configuration installed here? */
export async function describeSearchSetup(db: AnyDb): Promise<{ unaccent: boolean; french: boolean }> {
  const { rows } = await sql<{ unaccent: number; french: number }>`
    select (select count(*) from pg_extension where extname = 'unaccent') as unaccent,
           (select count(*) from pg_ts_config where cfgname = 'entente_french') as french`.execute(db);
  return { unaccent: (rows[0]?.unaccent ?? 0) > 0, french: (rows[0]?.french ?? 0) > 0 };
}
