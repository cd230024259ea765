import { type RawBuilder, sql } from 'kysely';

/**
 * Every cell table that holds something of a space, how each relates to the space, and how a
 * move (`entente spaces move`) carries it to the other cell. This list is the move's only source
 * of truth: a table missing here would be left behind in the old cell, so `space-tables.int.test.ts`
 * fails — and a move refuses to start — when a cell table with a `space_id` or `document_id`
 * column, or a foreign key to one of the tables below, is in neither list.
 *
 * Columns are not listed: the move reads them from the database's catalogue, so a column added
 * later moves without anyone remembering this file.
 *
 * Order matters: rows are copied in this order (a table after the tables it references) and
 * deleted from the old cell in the reverse order.
 */
export type SpaceScope =
  /** `column` holds the space's id. */
  | { column: string }
  /** `column` holds the key (`id`) of a row of `parent`, itself of the space. */
  | { column: string; parent: string }
  /** Rows matched by an SQL condition on the table's own columns (the table is not aliased). */
  | { where: (spaceId: string) => RawBuilder<boolean> };

export type SpaceTable =
  /** Copied row for row (the same primary key in both cells), then deleted from the old cell. */
  | { table: string; how: 'rows'; scope: SpaceScope; what: string }
  /**
   * A document's content: its snapshot and its log, copied together per document from one
   * consistent read. The log's ids are the cell's own sequence (bigint identity): they are given
   * new ones in the new cell, and the snapshot's `upto_update_id` is set back to 0 so that every
   * copied entry counts as after it (entries already absorbed are not copied).
   */
  | { table: string; how: 'document-content'; scope: SpaceScope; what: string }
  /** The space's data keys (`keyring`, owner `space`): unwrapped with the old cell's KEK, wrapped with the new one's. */
  | { table: string; how: 'keys'; what: string };

const documentsOfSpace = { column: 'document_id', parent: 'documents' } as const;

export const SPACE_TABLES: readonly SpaceTable[] = [
  { table: 'spaces', how: 'rows', scope: { column: 'id' }, what: 'the space: name, description, level of assurance, classification' },
  { table: 'space_invitations', how: 'rows', scope: { column: 'space_id' }, what: 'invitations, with the invited addresses' },
  { table: 'documents', how: 'rows', scope: { column: 'space_id' }, what: 'the documents tree (copied parents first)' },
  { table: 'document_access', how: 'rows', scope: documentsOfSpace, what: 'access lists of restricted documents' },
  // ── share links (helper S) ──
  { table: 'share_links', how: 'rows', scope: { column: 'space_id' }, what: 'share links of documents (token hashes; redemptions in the control plane follow the directory)' },
  // ── end share links ──
  { table: 'document_versions', how: 'rows', scope: documentsOfSpace, what: 'versions, sealed with the space key (ciphertext copied as is)' },
  { table: 'document_snapshots', how: 'document-content', scope: documentsOfSpace, what: 'compacted content and its derived copies' },
  { table: 'document_updates', how: 'document-content', scope: documentsOfSpace, what: 'the encrypted log of Yjs updates' },
  // ── full-text search (helper Q) ──
  { table: 'document_search', how: 'rows', scope: { column: 'space_id' }, what: 'the search index: titles and derived plain text of the documents, with their tsvector' },
  // ── end search ──
  // ── hybrid retrieval: passage embeddings, derived from the documents' text (their vectors are content) ──
  { table: 'assistant_embedded_documents', how: 'rows', scope: documentsOfSpace, what: 'which version of each document’s text was embedded, by which model (or refused by the policy)' },
  { table: 'assistant_passage_embeddings', how: 'rows', scope: documentsOfSpace, what: 'embeddings of the documents’ passages (real[]; a pgvector copy where the extension exists in both cells)' },
  // ── end hybrid retrieval ──
  { table: 'document_images', how: 'rows', scope: { column: 'space_id' }, what: 'images of documents (their bytes are objects under spaces/<id>/images/)' },
  // ── comments (helper C) ──
  { table: 'comment_threads', how: 'rows', scope: { column: 'space_id' }, what: 'comment threads: anchors (Yjs relative positions), quoted text, resolution' },
  { table: 'comments', how: 'rows', scope: { column: 'space_id' }, what: 'comments of the threads (plain text with mention tokens; tombstones)' },
  { table: 'comment_reactions', how: 'rows', scope: { column: 'space_id' }, what: 'reactions to comments' },
  // ── end comments ──
  { table: 'files', how: 'rows', scope: { column: 'space_id' }, what: 'the files area’s tree of folders and files (copied parents first)' },
  { table: 'file_versions', how: 'rows', scope: { column: 'space_id' }, what: 'versions of files: size, type, hash, scan status (bytes under spaces/<id>/files/)' },
  { table: 'file_uploads', how: 'rows', scope: { column: 'space_id' }, what: 'tus uploads in progress or finished' },
  { table: 'file_upload_parts', how: 'rows', scope: { column: 'upload_id', parent: 'file_uploads' }, what: 'parts received of each upload (bytes under spaces/<id>/uploads/)' },
  { table: 'file_object_deletions', how: 'rows', scope: { column: 'space_id' }, what: 'objects of the space waiting to be deleted (deleted from the new cell’s store when due)' },
  { table: 'space_imports', how: 'rows', scope: { column: 'space_id' }, what: 'the import a space came from (entente import): origin, id mapping, report' },
  // ── document imports (helper I) ──
  { table: 'document_imports', how: 'rows', scope: { column: 'space_id' }, what: 'imports of Markdown, HTML and DOCX files: progress, per-file report, documents and images created' },
  // ── end document imports ──
  // ── assistant conversations (helper D1) ──
  { table: 'assistant_conversations', how: 'rows', scope: { column: 'space_id' }, what: 'the agents’ assistant conversations about the space (titles sealed with the space key)' },
  { table: 'assistant_messages', how: 'rows', scope: { column: 'space_id' }, what: 'their messages and citations, sealed with the space key (ciphertext copied as is)' },
  // ── end assistant conversations ──
  {
    table: 'outbox',
    how: 'rows',
    // Entries name the space, or one of its invitations (a revocation names only the invitation).
    scope: {
      where: (spaceId) =>
        sql<boolean>`(payload->>'spaceId' = ${spaceId} or payload->>'invitationId' in (select i.id::text from space_invitations i where i.space_id = ${spaceId}))`,
    },
    what: 'pending and done outbox entries about the space (ids only): pending ones are reconciled from the new cell',
  },
  { table: 'keyring', how: 'keys', what: 'the space’s data keys, every version' },
];

/**
 * Cell tables that are not the space's, with why: they stay where they are. Listing a table here
 * is a decision someone reviews, not a way to silence the test.
 */
export const OTHER_CELL_TABLES: Readonly<Record<string, string>> = {
  audit_events:
    'append-only and hash-chained per organisation: moving or deleting entries would break the old cell’s chain. They hold ids, never content; the move itself is recorded in both cells and the control plane.',
  mail_outbox: 'the demo mailbox (mails already sent to agents, in production they are in their mail servers)',
  agent_profiles: 'agents’ personal data: in each agent’s home cell, whatever spaces they are in',
  session_details: 'agents’ sessions: in each agent’s home cell',
  // ── notifications (helper N) ──
  notifications:
    'agents’ notifications: in each recipient’s home cell, whatever cell the space is in; ids only, resolved through the control plane when shown (deleting the space purges those in its own cell; elsewhere they show as no longer available)',
  // ── end notifications ──
  kysely_migration: 'the schema’s migration history',
  kysely_migration_lock: 'the schema’s migration lock',
};

/** The key owner of a space's data keys (contract: everything of a space is encrypted with it). */
export const spaceKeyOwner = (spaceId: string) => ({ type: 'space', id: spaceId });

/** Every object of a space in a cell's store is under this prefix (contract 3 of the data plane). */
export const spaceObjectPrefix = (spaceId: string) => `spaces/${spaceId}/`;

/** Columns whose presence makes a table a space's unless it is classified otherwise. */
export const SPACE_COLUMNS = ['space_id', 'document_id'] as const;
