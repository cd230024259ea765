import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { effectiveRole, meetsAssurance } from '../access.ts';
import { findMemberships } from '../access.repo.ts';
import { requireActor } from '../spaces/deps.ts';
import { namesOf } from '../spaces/members.ts';
import type { SpaceRole } from '../workspace.tables.ts';
import { type Segment, segmentsOf, snippetSegments, toTsQuery } from './query.ts';
import { type CellSearch, findRecheckRows, findSearchableSpaces, type SearchHitRow, searchCell } from './search.repo.ts';

/**
 * One search over everything the agent may read: every space they are a member of, in both cells.
 * Each cell where they have spaces is asked in parallel (its own database: data stays in its
 * jurisdiction, only the hits travel), the answers are merged by score, then paginated.
 *
 * Who sees what (docs/security.md, « Search »): the spaces come from the control plane's
 * memberships at the moment of the query (a removed member finds nothing at once); a space under
 * the session's level of assurance is left out entirely (a match would reveal content); the cell
 * query applies the document rules of access.ts (trash, restricted subtrees); and every hit about
 * to leave is checked again with `effectiveRole`, from a fresh read, before its title or snippet
 * is returned. Shared links (sharing/) give no search access: search covers member spaces only.
 */
export const SEARCH_LIMIT_MAX = 50;
/** Deepest result reachable by paging (offset + limit): a search box is not an export. */
export const SEARCH_DEPTH_MAX = 500;

export interface SearchParams {
  q: string;
  spaceId?: string;
  authorId?: string;
  /** Changed on or after (UTC). */
  from?: Date;
  /** Changed before (UTC). */
  to?: Date;
  limit: number;
  offset: number;
}

export interface SearchHit {
  documentId: string;
  spaceId: string;
  spaceName: string;
  jurisdiction: Jurisdiction;
  title: string;
  titleHighlight: Segment[];
  snippet: Segment[];
  author: { id: string; name: string | null };
  changedAt: string;
  /** In [0, 1): comparable across cells (search.repo.ts). */
  score: number;
}

export interface SearchResults {
  results: SearchHit[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

interface CellHit extends SearchHitRow {
  jurisdiction: Jurisdiction;
  spaceName: string;
}

/**
 * One cell's hits the agent may read: their spaces there (at the session's level of assurance),
 * the cell query with its trash and restriction filter, then — defence in depth — every hit
 * checked again with the rule of documentAccessFor, from a fresh read. Search and the
 * assistant's retrieval (readable-texts.ts) both go through here, so they cannot drift apart.
 */
export async function readableHitsInCell(
  stores: Stores,
  actor: Actor,
  jurisdiction: Jurisdiction,
  memberships: readonly { space_id: string; jurisdiction: string; role: string }[],
  search: Omit<CellSearch, 'principalId' | 'ownedSpaceIds' | 'otherSpaceIds'>,
): Promise<{ hits: SearchHitRow[]; spaceNames: Map<string, string> }> {
  const roleOf = new Map(memberships.map((m) => [m.space_id, m.role as SpaceRole]));
  const ids = memberships.filter((m) => m.jurisdiction === jurisdiction).map((m) => m.space_id);
  if (ids.length === 0) return { hits: [], spaceNames: new Map() };
  const db = stores.cells[jurisdiction].db;
  const spaces = (await findSearchableSpaces(db, ids)).filter((s) => meetsAssurance(actor.assuranceLevel, s.min_assurance));
  if (spaces.length === 0) return { hits: [], spaceNames: new Map() };
  const rows = await searchCell(db, {
    ...search,
    principalId: actor.principalId,
    ownedSpaceIds: spaces.filter((s) => roleOf.get(s.id) === 'owner').map((s) => s.id),
    otherSpaceIds: spaces.filter((s) => roleOf.get(s.id) !== 'owner').map((s) => s.id),
  });
  const checks = new Map((await findRecheckRows(db, rows.map((r) => r.document_id), actor.principalId)).map((c) => [c.id, c]));
  const hits = rows.filter((row) => {
    const check = checks.get(row.document_id);
    const spaceRole = roleOf.get(row.space_id);
    if (!check || !spaceRole || check.trashed || check.space_id !== row.space_id) return false;
    return effectiveRole(spaceRole, check.restrictions) !== null;
  });
  return { hits, spaceNames: new Map(spaces.map((s) => [s.id, s.name])) };
}

export async function searchDocuments(stores: Stores, actorOrNull: Actor | null, params: SearchParams): Promise<SearchResults> {
  const actor = requireActor(actorOrNull);
  const query = toTsQuery(params.q);
  if (!query) return { results: [], nextCursor: null };
  const depth = Math.min(params.offset + params.limit, SEARCH_DEPTH_MAX);
  const memberships = await findMemberships(stores.control.db, actor.principalId, params.spaceId ? [params.spaceId] : undefined);
  const _roleOf = new Map(memberships.map((m) => [m.space_id, m.role as SpaceRole]));

  const perCell = await Promise.all(
    JURISDICTIONS.map(async (jurisdiction): Promise<CellHit[]> => {
      const found = await readableHitsInCell(stores, actor, jurisdiction, memberships, {
        query,
        authorId: params.authorId,
        from: params.from,
        to: params.to,
        limit: depth + 1,
      });
      return found.hits.map((row) => ({ ...row, jurisdiction, spaceName: found.spaceNames.get(row.space_id) ?? '' }));
    }),
  );

  const merged = perCell.flat().sort((a, b) => b.score - a.score || (a.document_id < b.document_id ? -1 : 1));
  const page = merged.slice(params.offset, depth);
  const authors = page.length > 0 ? await namesOf(stores, [...new Set(page.map((h) => h.author_id))]) : new Map<string, { givenName: string; familyName: string }>();
  return {
    results: page.map((h) => {
      const name = authors.get(h.author_id);
      return {
        documentId: h.document_id,
        spaceId: h.space_id,
        spaceName: h.spaceName,
        jurisdiction: h.jurisdiction,
        title: h.title,
        titleHighlight: segmentsOf(h.title_headline),
        snippet: snippetSegments(h.snippet),
        author: { id: h.author_id, name: name ? `${name.givenName} ${name.familyName}`.trim() : null },
        changedAt: new Date(h.changed_at).toISOString(),
        score: h.score,
      };
    }),
    nextCursor: merged.length > depth && depth < SEARCH_DEPTH_MAX ? encodeCursor(depth) : null,
  };
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

/** The offset a cursor stands for; null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  const match = /^o:(\d{1,4})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return null;
  const offset = Number(match[1]);
  return offset <= SEARCH_DEPTH_MAX ? offset : null;
}
