import type { Selectable } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { CommentReactionsTable, CommentsTable, CommentThreadsTable, Reaction } from './comments.tables.ts';
import './comments.tables.ts';
import '../workspace.tables.ts';

/** All SQL of comments (cell of the document's space). Every lookup is scoped to the document. */

export type ThreadRow = Selectable<CommentThreadsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type ReactionRow = Pick<Selectable<CommentReactionsTable>, 'comment_id' | 'principal_id' | 'emoji'>;

const THREAD_COLUMNS = ['id', 'space_id', 'document_id', 'anchor_start', 'anchor_end', 'quote', 'created_by', 'created_at', 'resolved_at', 'resolved_by'] as const;
const COMMENT_COLUMNS = ['id', 'thread_id', 'space_id', 'document_id', 'author_id', 'body', 'created_at', 'edited_at', 'deleted_at', 'deleted_by'] as const;

export async function insertThread(db: CellDb, row: Omit<ThreadRow, 'created_at' | 'resolved_at' | 'resolved_by'>): Promise<ThreadRow> {
  return db
    .insertInto('comment_threads')
    .values({
      id: row.id,
      space_id: row.space_id,
      document_id: row.document_id,
      anchor_start: row.anchor_start,
      anchor_end: row.anchor_end,
      quote: row.quote,
      created_by: row.created_by,
    })
    .returning(THREAD_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function insertComment(db: CellDb, row: Pick<CommentRow, 'id' | 'thread_id' | 'space_id' | 'document_id' | 'author_id' | 'body'>): Promise<CommentRow> {
  return db
    .insertInto('comments')
    .values({ id: row.id, thread_id: row.thread_id, space_id: row.space_id, document_id: row.document_id, author_id: row.author_id, body: row.body })
    .returning(COMMENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** The document's threads, oldest first (the panel sorts them by place in the text). */
export async function listThreads(db: CellDb, documentId: string): Promise<ThreadRow[]> {
  return db.selectFrom('comment_threads').select(THREAD_COLUMNS).where('document_id', '=', documentId).orderBy('created_at').orderBy('id').execute();
}

export async function listComments(db: CellDb, documentId: string): Promise<CommentRow[]> {
  return db.selectFrom('comments').select(COMMENT_COLUMNS).where('document_id', '=', documentId).orderBy('created_at').orderBy('id').execute();
}

export async function listReactions(db: CellDb, documentId: string): Promise<ReactionRow[]> {
  return db
    .selectFrom('comment_reactions')
    .select(['comment_id', 'principal_id', 'emoji'])
    .where('document_id', '=', documentId)
    .orderBy('created_at')
    .execute();
}

/** A thread of this document (an id of another document or space is not found). */
export async function findThread(db: CellDb, documentId: string, threadId: string, lock = false): Promise<ThreadRow | undefined> {
  let query = db.selectFrom('comment_threads').select(THREAD_COLUMNS).where('id', '=', threadId).where('document_id', '=', documentId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** A comment, wherever it is: the caller then checks the reader reaches its document. */
export async function findCommentAnywhere(db: CellDb, commentId: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').select(COMMENT_COLUMNS).where('id', '=', commentId).executeTakeFirst();
}

export async function findThreadAnywhere(db: CellDb, threadId: string): Promise<ThreadRow | undefined> {
  return db.selectFrom('comment_threads').select(THREAD_COLUMNS).where('id', '=', threadId).executeTakeFirst();
}

export async function lockComment(db: CellDb, commentId: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').select(COMMENT_COLUMNS).where('id', '=', commentId).forUpdate().executeTakeFirst();
}

export async function listThreadComments(db: CellDb, threadId: string): Promise<CommentRow[]> {
  return db.selectFrom('comments').select(COMMENT_COLUMNS).where('thread_id', '=', threadId).orderBy('created_at').orderBy('id').execute();
}

export async function updateCommentBody(db: CellDb, commentId: string, body: string, at: Date): Promise<CommentRow> {
  return db.updateTable('comments').set({ body, edited_at: at }).where('id', '=', commentId).returning(COMMENT_COLUMNS).executeTakeFirstOrThrow();
}

/** The tombstone: the text goes (it may be what had to be removed), the place in the thread stays. */
export async function tombstoneComment(db: CellDb, commentId: string, by: string, at: Date): Promise<CommentRow> {
  await db.deleteFrom('comment_reactions').where('comment_id', '=', commentId).execute();
  return db
    .updateTable('comments')
    .set({ body: '', deleted_at: at, deleted_by: by })
    .where('id', '=', commentId)
    .returning(COMMENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function setResolved(db: CellDb, threadId: string, resolved: { at: Date; by: string } | null): Promise<ThreadRow> {
  return db
    .updateTable('comment_threads')
    .set({ resolved_at: resolved?.at ?? null, resolved_by: resolved?.by ?? null })
    .where('id', '=', threadId)
    .returning(THREAD_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Adds the reaction (true) or, when the agent already gave it, takes it back (false). */
export async function toggleReaction(db: CellDb, row: { comment_id: string; space_id: string; document_id: string; principal_id: string; emoji: Reaction }): Promise<boolean> {
  const removed = await db
    .deleteFrom('comment_reactions')
    .where('comment_id', '=', row.comment_id)
    .where('principal_id', '=', row.principal_id)
    .where('emoji', '=', row.emoji)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) > 0) return false;
  await db
    .insertInto('comment_reactions')
    .values({ comment_id: row.comment_id, space_id: row.space_id, document_id: row.document_id, principal_id: row.principal_id, emoji: row.emoji })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return true;
}

/** Who created the document (the recipient of « new comment » notices). */
export async function documentCreator(db: CellDb, documentId: string): Promise<string | undefined> {
  return (await db.selectFrom('documents').select('created_by').where('id', '=', documentId).executeTakeFirst())?.created_by;
}

// ── export and import of a space (workspace/export) ──

export async function listSpaceThreads(db: CellDb, spaceId: string): Promise<ThreadRow[]> {
  return db.selectFrom('comment_threads').select(THREAD_COLUMNS).where('space_id', '=', spaceId).orderBy('created_at').orderBy('id').execute();
}

export async function listSpaceComments(db: CellDb, spaceId: string): Promise<CommentRow[]> {
  return db.selectFrom('comments').select(COMMENT_COLUMNS).where('space_id', '=', spaceId).orderBy('created_at').orderBy('id').execute();
}

export async function listSpaceReactions(db: CellDb, spaceId: string): Promise<ReactionRow[]> {
  return db.selectFrom('comment_reactions').select(['comment_id', 'principal_id', 'emoji']).where('space_id', '=', spaceId).orderBy('created_at').execute();
}

export async function insertImportedThreads(
  db: CellDb,
  threads: readonly ThreadRow[],
  comments: readonly CommentRow[],
  reactions: readonly (ReactionRow & { space_id: string; document_id: string })[],
): Promise<void> {
  if (threads.length > 0) await db.insertInto('comment_threads').values([...threads]).execute();
  if (comments.length > 0) await db.insertInto('comments').values([...comments]).execute();
  if (reactions.length > 0) await db.insertInto('comment_reactions').values([...reactions]).onConflict((oc) => oc.doNothing()).execute();
}
