import { type Kysely, sql } from 'kysely';
import { MARK_START, MARK_STOP } from '../../workspace/index.ts';
import type { PassageTerms } from './rank.ts';

/**
 * The SQL of retrieval: PostgreSQL's text search functions applied to passages the caller already
 * holds (read through the workspace's interface, after its access checks). No table is read here,
 * so any handle of the right cell will do; both statements are the same on PGlite and PostgreSQL 15.
 */
// biome-ignore lint/suspicious/noExplicitAny: only functions are called, no table is typed
type AnyDb = Kysely<any>;

/** The lexemes of the question's words, as `entente_french` stems them (stop words gone). */
export async function questionLexemes(db: AnyDb, words: readonly string[]): Promise<string[]> {
  if (words.length === 0) return [];
  const result = await sql<{ lexeme: string }>`select u.lexeme from unnest(to_tsvector('entente_french', ${words.join(' ')})) u`.execute(db);
  return [...new Set(result.rows.map((r) => r.lexeme))];
}

/**
 * For each text: how many times each of `lexemes` occurs in it, and its length in non-stop-word
 * tokens — what BM25 needs (rank.ts). One statement for all candidate passages.
 */
export async function passageTerms(db: AnyDb, texts: readonly string[], lexemes: readonly string[]): Promise<PassageTerms[]> {
  if (texts.length === 0) return [];
  if (lexemes.length === 0) return texts.map(() => ({ counts: {}, length: 1 }));
  const result = await sql<{ i: number; length: number; counts: string }>`
    with p (t, i) as (select * from unnest(array[${sql.join(texts)}]::text[]) with ordinality),
         v as (select p.i, to_tsvector('entente_french', p.t) as v from p)
    select v.i::int as i,
           coalesce((select sum(coalesce(array_length(u.positions, 1), 1)) from unnest(v.v) u), 0)::int as length,
           coalesce((select json_object_agg(u.lexeme, coalesce(array_length(u.positions, 1), 1))
                       from unnest(v.v) u
                      where u.lexeme in (${sql.join(lexemes)})), '{}'::json)::text as counts
      from v
     order by v.i`.execute(db);
  return result.rows.map((r) => ({ counts: JSON.parse(r.counts) as Record<string, number>, length: Math.max(1, Number(r.length)) }));
}

const HIGHLIGHT = `StartSel=${MARK_START}, StopSel=${MARK_STOP}, HighlightAll=true`;

/** Each text whole, with the words matching the OR query between the highlight markers. */
export async function highlightAll(db: AnyDb, texts: readonly string[], tsquery: string): Promise<string[]> {
  if (texts.length === 0) return [];
  const result = await sql<{ h: string }>`
    select ts_headline('entente_french', p.t, to_tsquery('entente_french', ${tsquery}), ${HIGHLIGHT}) as h
      from unnest(array[${sql.join(texts)}]::text[]) with ordinality as p (t, i)
     order by p.i`.execute(db);
  return result.rows.map((r) => r.h);
}
