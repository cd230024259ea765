import type { Generated } from 'kysely';

/**
 * The search index of a cell (migration 20261129203000_workspace_search): one row per document,
 * derived from its title and content, rebuilt by the indexer (indexer.ts). Holds plain text: the
 * documented exception to content encryption (docs/security.md, « Derived search text »).
 */
export interface DocumentSearchTable {
  document_id: string;
  space_id: string;
  title: string;
  /** The document's plain text (content/text.ts), without the highlight markers, capped. */
  body: string;
  /** setweight(title, 'A') || setweight(body, 'B') with `entente_french`; written by SQL only. */
  search: unknown;
  /** The document's creator: the « author » filter. */
  author_id: string;
  changed_at: Generated<Date>;
  indexed_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    document_search: DocumentSearchTable;
  }
}
