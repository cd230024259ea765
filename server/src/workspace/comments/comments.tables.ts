import type { Generated } from 'kysely';

/**
 * Comments anchored in documents, in the cell of the document's space (migration
 * 20261129200000_workspace_comments). Authors are principal ids only: names are read from each
 * author's home cell when shown, never copied here.
 */

/** The reactions offered: a fixed set (the table checks it too). */
export const REACTIONS = ['👍', '👎', '❤️', '🎉', '😄', '🤔', '👀', '✅'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** A comment's body: plain text, at most this many characters (the table checks it too). */
export const BODY_MAX = 10_000;
/** The text the thread was anchored to, as it was when the thread was opened (for display). */
export const QUOTE_MAX = 1_000;
/** base64 of one `Y.encodeRelativePosition`: a few dozen bytes in practice. */
export const ANCHOR_MAX = 512;

export interface CommentThreadsTable {
  id: string;
  space_id: string;
  document_id: string;
  /** base64 of `Y.encodeRelativePosition` of the range's start and end: they follow concurrent edits. */
  anchor_start: string;
  anchor_end: string;
  quote: string;
  created_by: string;
  created_at: Generated<Date>;
  resolved_at: Date | null;
  resolved_by: string | null;
}

export interface CommentsTable {
  id: string;
  thread_id: string;
  space_id: string;
  document_id: string;
  author_id: string;
  /** Plain text; a mention is the token `<@principal-id>`. Emptied when the comment is deleted. */
  body: string;
  created_at: Generated<Date>;
  edited_at: Date | null;
  deleted_at: Date | null;
  deleted_by: string | null;
}

export interface CommentReactionsTable {
  comment_id: string;
  space_id: string;
  document_id: string;
  principal_id: string;
  emoji: Reaction;
  created_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    comment_threads: CommentThreadsTable;
    comments: CommentsTable;
    comment_reactions: CommentReactionsTable;
  }
}
