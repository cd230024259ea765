import type { CellDb } from '../../platform/db/types.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { CommentThreadEntry } from '../export/archive-format.ts';
import { type CommentRow, insertImportedThreads, listSpaceComments, listSpaceReactions, listSpaceThreads, type ThreadRow } from './comments.repo.ts';

/**
 * Comments in the space export archive (docs/export-format.md): each document's threads in its
 * entry of documents.json, and back into a new space at import, with new ids. Anchors are kept as
 * they are: the import loads each document's exact Yjs state, so they still resolve.
 */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Every thread of the space, by document, oldest first. */
export async function commentsForExport(db: CellDb, spaceId: string): Promise<Map<string, CommentThreadEntry[]>> {
  const [threads, comments, reactions] = await Promise.all([listSpaceThreads(db, spaceId), listSpaceComments(db, spaceId), listSpaceReactions(db, spaceId)]);
  const reactionsOf = Map.groupBy(reactions, (r) => r.comment_id);
  const commentsOf = Map.groupBy(comments, (c) => c.thread_id);
  const out = new Map<string, CommentThreadEntry[]>();
  for (const t of threads) {
    const entry: CommentThreadEntry = {
      id: t.id,
      anchor: { start: t.anchor_start, end: t.anchor_end },
      quote: t.quote,
      createdBy: t.created_by,
      createdAt: t.created_at.toISOString(),
      resolvedAt: iso(t.resolved_at),
      resolvedBy: t.resolved_by,
      comments: (commentsOf.get(t.id) ?? []).map((c) => ({
        id: c.id,
        authorId: c.author_id,
        body: c.deleted_at ? '' : c.body,
        createdAt: c.created_at.toISOString(),
        editedAt: iso(c.edited_at),
        deletedAt: iso(c.deleted_at),
        deletedBy: c.deleted_by,
        reactions: (reactionsOf.get(c.id) ?? []).map((r) => ({ principalId: r.principal_id, emoji: r.emoji })),
      })),
    };
    out.set(t.document_id, [...(out.get(t.document_id) ?? []), entry]);
  }
  return out;
}

/** Writes a document's threads into the new space (new ids; authors and anchors as in the archive). */
export async function importComments(db: CellDb, target: { spaceId: string; documentId: string }, threads: readonly CommentThreadEntry[]): Promise<number> {
  const threadRows: ThreadRow[] = [];
  const commentRows: CommentRow[] = [];
  const reactionRows: { comment_id: string; principal_id: string; emoji: CommentThreadEntry['comments'][number]['reactions'][number]['emoji']; space_id: string; document_id: string }[] = [];
  const date = (value: string | null) => (value ? new Date(value) : null);
  for (const t of threads) {
    const threadId = uuidv7();
    threadRows.push({
      id: threadId,
      space_id: target.spaceId,
      document_id: target.documentId,
      anchor_start: t.anchor.start,
      anchor_end: t.anchor.end,
      quote: t.quote,
      created_by: t.createdBy,
      created_at: new Date(t.createdAt),
      resolved_at: date(t.resolvedAt),
      resolved_by: t.resolvedBy,
    });
    for (const c of t.comments) {
      const commentId = uuidv7();
      commentRows.push({
        id: commentId,
        thread_id: threadId,
        space_id: target.spaceId,
        document_id: target.documentId,
        author_id: c.authorId,
        body: c.deletedAt ? '' : c.body,
        created_at: new Date(c.createdAt),
        edited_at: date(c.editedAt),
        deleted_at: date(c.deletedAt),
        deleted_by: c.deletedBy,
      });
      for (const r of c.reactions) reactionRows.push({ comment_id: commentId, principal_id: r.principalId, emoji: r.emoji, space_id: target.spaceId, document_id: target.documentId });
    }
  }
  await db.transaction().execute((trx) => insertImportedThreads(trx, threadRows, commentRows, reactionRows));
  return threadRows.length;
}
