import { sql } from 'kysely';
import type { AssuranceLevel } from '../../identity/federation/upstream.ts';
import type { CellDb } from '../../platform/db/types.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import { MARK_START, MARK_STOP, MARKERS } from './query.ts';
import './search.tables.ts';
import '../workspace.tables.ts';

/** Longest text indexed per document (characters): a tsvector is capped at 1 MiB, headlines slow down with length. */
export const BODY_MAX_CHARS = 100_000;

/**
 * `a || b` shifts b's positions just past a's last one, so a phrase could match across the end of
 * the title and the start of the text. Stop words take a position but leave no lexeme: a few of
 * them before the text leave a gap no « "quoted phrase" » bridges.
 */
const TITLE_BODY_GAP = 'le '.repeat(8);
// Both weights in one place: the indexer's INSERT and the sweep's INSERT … SELECT must agree.
export const vectorOf = (title: unknown, body: unknown) =>
  sql`setweight(to_tsvector('entente_french', ${title}), 'A') || setweight(to_tsvector('entente_french', ${TITLE_BODY_GAP} || ${body}), 'B')`;

const ON_CONFLICT = sql`
  on conflict (document_id) do update set
    space_id = excluded.space_id,
    title = excluded.title,
    body = excluded.body,
    search = excluded.search,
    author_id = excluded.author_id,
    changed_at = case when document_search.title is distinct from excluded.title or document_search.body is distinct from excluded.body
                      then excluded.changed_at else document_search.changed_at end,
    indexed_at = now()`;

export interface IndexedDocument {
  id: string;
  space_id: string;
  title: string;
  created_by: string;
}

/** What the indexer needs of a document (undefined: deleted for good). */
export async function findDocumentToIndex(db: CellDb, documentId: string): Promise<IndexedDocument | undefined> {
  return db.selectFrom('documents').select(['id', 'space_id', 'title', 'created_by']).where('id', '=', documentId).executeTakeFirst();
}

/** Writes a document's row (insert or replace); `body` is already without markers and capped. */
export async function upsertSearchRow(db: CellDb, doc: IndexedDocument, body: string): Promise<void> {
  await sql`
    insert into document_search (document_id, space_id, title, body, search, author_id, changed_at, indexed_at)
    values (${doc.id}, ${doc.space_id}, ${doc.title}, ${body}, ${vectorOf(sql`${doc.title}::text`, sql`${body}::text`)}, ${doc.created_by}, now(), now())
    ${ON_CONFLICT}`.execute(db);
}

export async function deleteSearchRow(db: CellDb, documentId: string): Promise<void> {
  await db.deleteFrom('document_search').where('document_id', '=', documentId).execute();
}

/**
 * Catches up, in one statement, with what the live path does not see: documents never indexed
 * (demo seed, import, a space moved in, a document created without content), renamed ones, and
 * those whose compacted text is newer than their row (content replaced wholesale, compactions on
 * another node). Reads the derived text of the snapshot; at most `limit` documents per call.
 */
export async function sweepCell(db: CellDb, limit: number, sinceSeconds: number | null = null): Promise<number> {
  // With `sinceSeconds`, only documents or snapshots changed that recently are looked at (two index
  // scans): the frequent pass. Without, every document of the cell: the full pass.
  const recent =
    sinceSeconds === null
      ? sql``
      : sql`join (select r.id from documents r where r.updated_at > now() - make_interval(secs => ${sinceSeconds})
                  union
                  select r.document_id from document_snapshots r where r.updated_at > now() - make_interval(secs => ${sinceSeconds})) recent
              on recent.id = d.id`;
  const result = await sql`
    insert into document_search (document_id, space_id, title, body, search, author_id, changed_at, indexed_at)
    select d.id, d.space_id, d.title, x.body, ${vectorOf(sql.ref('d.title'), sql.ref('x.body'))}, d.created_by,
           greatest(d.updated_at, coalesce(n.updated_at, d.updated_at)), now()
      from documents d
      ${recent}
      left join document_snapshots n on n.document_id = d.id
      left join document_search s on s.document_id = d.id
      cross join lateral (select left(translate(coalesce(n.content_text, ''), ${MARKERS}, ''), ${BODY_MAX_CHARS}) as body) x
     where s.document_id is null
        or s.title <> d.title
        or s.space_id <> d.space_id
        or n.updated_at > s.indexed_at
     limit ${limit}
    ${ON_CONFLICT}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface SearchableSpace {
  id: string;
  name: string;
  min_assurance: AssuranceLevel;
}

/** The spaces among `ids` that still exist in this cell (a deleted one is gone for everyone at once). */
export async function findSearchableSpaces(db: CellDb, ids: readonly string[]): Promise<SearchableSpace[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('spaces').select(['id', 'name', 'min_assurance']).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
}

export interface CellSearch {
  principalId: string;
  /** Text of the tsquery (query.ts), bound as a parameter. */
  query: string;
  /** Spaces where the searcher is an owner (restrictions do not apply to them). */
  ownedSpaceIds: readonly string[];
  /** Spaces where they are an editor, commenter or reader. */
  otherSpaceIds: readonly string[];
  authorId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export interface SearchHitRow {
  document_id: string;
  space_id: string;
  title: string;
  author_id: string;
  changed_at: Date;
  score: number;
  title_headline: string;
  snippet: string;
}

/**
 * Ranking reads each matching tsvector: a word found in most of a large cell's documents would
 * cost hundreds of milliseconds. Only this many readable matches are ranked (any others are not
 * returned); a query that broad is refined by its next word anyway.
 */
export const RANKED_CANDIDATES_MAX = 2_000;

const HEADLINE = `StartSel=${MARK_START}, StopSel=${MARK_STOP}`;
const TITLE_HEADLINE = `${HEADLINE}, HighlightAll=true`;
const BODY_HEADLINE = `${HEADLINE}, MaxFragments=2, MinWords=6, MaxWords=22, ShortWord=2, FragmentDelimiter=" … "`;

/**
 * The best `limit` documents of one cell matching the query among the given spaces, with what the
 * rules of access.ts require, in SQL: not in the trash, not under a restricted page the searcher is
 * not listed on (a restriction covers its subtree; owners pass). Scores are ts_rank_cd with
 * normalisation 1|32 — divided by 1 + log(length), then mapped to rank/(rank+1) in [0, 1) — which
 * uses no statistics of the cell's corpus, so two cells' scores compare as they are.
 * Headlines only for the returned rows (ts_headline re-parses the text: the expensive part).
 */
export async function searchCell(db: CellDb, p: CellSearch): Promise<SearchHitRow[]> {
  const spaces = [...p.ownedSpaceIds, ...p.otherSpaceIds];
  if (spaces.length === 0) return [];
  const blocked =
    p.otherSpaceIds.length === 0
      ? sql`select null::uuid, null::uuid, 0 where false`
      : sql`
        select d.id, d.space_id, 0 as depth from documents d
         where d.restricted and d.space_id in (${sql.join(p.otherSpaceIds)})
           and not exists (select 1 from document_access a where a.document_id = d.id and a.principal_id = ${p.principalId})
        union all
        select c.id, c.space_id, b.depth + 1 from documents c join blocked b on c.space_id = b.space_id and c.parent_id = b.id
         where b.depth < 200`;
  const filters = [
    p.authorId ? sql`and s.author_id = ${p.authorId}` : sql``,
    p.from ? sql`and s.changed_at >= ${p.from}` : sql``,
    p.to ? sql`and s.changed_at < ${p.to}` : sql``,
  ];
  const result = await sql<SearchHitRow>`
    with recursive blocked (id, space_id, depth) as (${blocked}),
    q as (select to_tsquery('entente_french', ${p.query}) as q),
    candidates as (
      select s.document_id, s.space_id, d.title, s.body, s.search, s.author_id, s.changed_at
        from document_search s
        cross join q
        join documents d on d.id = s.document_id and d.space_id = s.space_id
       where s.search @@ q.q
         and s.space_id in (${sql.join(spaces)})
         and d.trashed_at is null
         and s.document_id not in (select b.id from blocked b)
         ${sql.join(filters, sql` `)}
       limit ${RANKED_CANDIDATES_MAX}
    ),
    hits as (
      select c.document_id, c.space_id, c.title, c.body, c.author_id, c.changed_at, ts_rank_cd(c.search, q.q, 1|32) as score
        from candidates c cross join q
       order by score desc, c.document_id
       limit ${p.limit}
    )
    select h.document_id, h.space_id, h.title, h.author_id, h.changed_at, h.score,
           ts_headline('entente_french', h.title, q.q, ${TITLE_HEADLINE}) as title_headline,
           ts_headline('entente_french', h.body, q.q, ${BODY_HEADLINE}) as snippet
      from hits h cross join q
     order by h.score desc, h.document_id`.execute(db);
  return result.rows.map((r) => ({ ...r, score: Number(r.score) }));
}

export interface RecheckRow {
  id: string;
  space_id: string;
  trashed: boolean;
  /** The searcher's grant on each restricted page from the document up (null: not listed). */
  restrictions: (SpaceRole | null)[];
}

/**
 * Defence in depth, for the hits about to leave: each document's trash state and the restricted
 * pages on its path to the root with the searcher's grant there — exactly what `documentAccessFor`
 * reads, for all hits of a cell in one query.
 */
export async function findRecheckRows(db: CellDb, documentIds: readonly string[], principalId: string): Promise<RecheckRow[]> {
  if (documentIds.length === 0) return [];
  const result = await sql<{ id: string; space_id: string; trashed: boolean; restrictions: (SpaceRole | null)[] | null; restricted_count: number }>`
    with recursive chain (hit, id, parent_id, restricted, depth) as (
      select d.id, d.id, d.parent_id, d.restricted, 0 from documents d where d.id in (${sql.join(documentIds)})
      union all
      select c.hit, p.id, p.parent_id, p.restricted, c.depth + 1
        from documents p join chain c on p.id = c.parent_id
       where c.depth < 200
    )
    select d.id, d.space_id, d.trashed_at is not null as trashed,
           array(select a.role from chain c left join document_access a on a.document_id = c.id and a.principal_id = ${principalId}
                  where c.hit = d.id and c.restricted order by c.depth) as restrictions,
           (select count(*) from chain c where c.hit = d.id and c.restricted)::int as restricted_count
      from documents d where d.id in (${sql.join(documentIds)})`.execute(db);
  return result.rows.map((r) => ({
    id: r.id,
    space_id: r.space_id,
    trashed: r.trashed,
    // array() of a left join keeps nulls (not listed); normalise whatever the driver gives back.
    restrictions: parseRoles(r.restrictions, r.restricted_count),
  }));
}

function parseRoles(value: unknown, count: number): (SpaceRole | null)[] {
  let roles: (string | null)[];
  if (Array.isArray(value)) roles = value as (string | null)[];
  else if (typeof value === 'string') {
    roles = value
      .replace(/^\{|\}$/g, '')
      .split(',')
      .filter((v) => v !== '')
      .map((v) => (v.toUpperCase() === 'NULL' ? null : v.replace(/^"|"$/g, '')));
  } else roles = [];
  // Never fewer restrictions than there are restricted pages: a missing entry counts as « not listed ».
  while (roles.length < count) roles.push(null);
  return roles as (SpaceRole | null)[];
}
