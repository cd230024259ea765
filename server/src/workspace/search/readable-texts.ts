import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { notFound } from '../../platform/errors.ts';
import { findMemberships } from '../access.repo.ts';
import { documentForContent } from '../documents/documents.ts';
import { requireActor } from '../spaces/deps.ts';
import { readableHitsInCell } from './search.ts';
import './search.tables.ts';

/**
 * What the assistant's retrieval (assistant/retrieval/) may read of the workspace: the indexed
 * plain text of the documents an agent may read, never more. Same rules as `searchDocuments`
 * (README, « The query »): memberships read now from the control plane, spaces at the session's
 * level of assurance, the cell query's trash and restriction filter (`searchCell`, the very same
 * SQL), then every hit checked again with `effectiveRole` from a fresh read before its text leaves.
 */
export const READABLE_TEXTS_MAX = 200;

export interface ReadableText {
  documentId: string;
  spaceId: string;
  spaceName: string;
  jurisdiction: Jurisdiction;
  title: string;
  /** The indexed plain text (content/text.ts: blocks separated by a blank line), capped at 100,000 characters. */
  body: string;
  /** Full-text score in [0, 1), comparable across cells (search.repo.ts). */
  score: number;
}

/**
 * The `limit` best documents the agent may read for a `to_tsquery('entente_french', …)` text
 * (built by the caller from letters and digits only, as `toTsQuery` does), with their text.
 */
export async function readableTextsFor(
  stores: Stores,
  actorOrNull: Actor | null,
  params: { tsquery: string; spaceId?: string; limit: number },
): Promise<ReadableText[]> {
  const actor = requireActor(actorOrNull);
  const limit = Math.max(1, Math.min(params.limit, READABLE_TEXTS_MAX));
  const memberships = await findMemberships(stores.control.db, actor.principalId, params.spaceId ? [params.spaceId] : undefined);
  const perCell = await Promise.all(
    JURISDICTIONS.map(async (jurisdiction): Promise<ReadableText[]> => {
      const found = await readableHitsInCell(stores, actor, jurisdiction, memberships, { query: params.tsquery, limit });
      const kept = found.hits;
      if (kept.length === 0) return [];
      const db = stores.cells[jurisdiction].db;
      const bodies = await findBodies(db, kept.map((r) => r.document_id));
      const names = found.spaceNames;
      return kept.map((row) => ({
        documentId: row.document_id,
        spaceId: row.space_id,
        spaceName: names.get(row.space_id) ?? '',
        jurisdiction,
        title: row.title,
        body: bodies.get(row.document_id) ?? '',
        score: row.score,
      }));
    }),
  );
  return perCell
    .flat()
    .sort((a, b) => b.score - a.score || (a.documentId < b.documentId ? -1 : 1))
    .slice(0, limit);
}

/**
 * One document's indexed text, for an agent who may read it (documentForContent: members' rules,
 * share links, level of assurance; 404 otherwise) and not in the trash (404 too). The text is the
 * index's: it follows the live document within seconds (indexer.ts).
 */
export async function readableTextOf(
  stores: Stores,
  actorOrNull: Actor | null,
  documentId: string,
): Promise<Omit<ReadableText, 'score' | 'spaceName'> & { indexed: boolean }> {
  const access = await documentForContent(stores, actorOrNull, documentId);
  if (access.trashed) throw notFound();
  const db = stores.cells[access.jurisdiction].db;
  const row = await db
    .selectFrom('document_search')
    .innerJoin('documents', 'documents.id', 'document_search.document_id')
    .select(['documents.title as title', 'document_search.body as body'])
    .where('document_search.document_id', '=', access.documentId)
    .executeTakeFirst();
  const title = row?.title ?? (await db.selectFrom('documents').select('title').where('id', '=', access.documentId).executeTakeFirst())?.title ?? '';
  return { documentId: access.documentId, spaceId: access.spaceId, jurisdiction: access.jurisdiction, title, body: row?.body ?? '', indexed: row !== undefined };
}

async function findBodies(db: CellDb, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('document_search').select(['document_id', 'body']).where('document_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.document_id, r.body]));
}
