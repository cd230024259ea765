import * as Y from 'yjs';
import type { Actor } from '../../identity/actor.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type DocumentAccess, documentAccessFor, requireNotMoving, roleAtLeast } from '../access.ts';
import { documentForContent } from '../documents/documents.ts';
import { auditLinkUse } from '../sharing/link-audit.ts';
import type { AuditTrx, RequestMeta } from '../spaces/deps.ts';
import { namesOf } from '../spaces/members.ts';
import { findDirectoryEntry, listMemberRows } from '../spaces/spaces.repo.ts';
import {
  type CommentRow,
  documentCreator,
  findCommentAnywhere,
  findThread,
  insertComment,
  insertThread,
  listComments,
  listReactions,
  listThreadComments,
  listThreads,
  lockComment,
  type ReactionRow,
  setResolved,
  type ThreadRow,
  toggleReaction,
  tombstoneComment,
  updateCommentBody,
} from './comments.repo.ts';
import { ANCHOR_MAX, type Reaction } from './comments.tables.ts';
import type { CommentNotification, CommentsDeps } from './deps.ts';

/**
 * Comments anchored in documents: threads on a text range, replies, edit and delete one's own,
 * resolve and reopen, reactions, mentions.
 *
 * - Who: whoever reaches the document reads its comments (readers too); commenters, editors and
 *   owners write them. Only the author edits a comment; the author or an owner of the space
 *   deletes it (an owner deleting someone else's is moderation, audited as such). Everything goes
 *   through access.ts's rules: a non-member or an agent outside a restricted document gets 404,
 *   a session below the space's level 403 `insufficient_assurance`; a trashed document or a space
 *   being moved is read-only.
 * - Anchors: the client sends two Yjs relative positions (base64 of `Y.encodeRelativePosition`)
 *   taken in the document's `default` fragment. They name an item of the shared text, not an
 *   offset, so the range follows concurrent edits; the server only checks they decode.
 * - Mentions are `<@principal-id>` tokens in the plain-text body. Mentioned agents who reach the
 *   document are notified; the others are returned as `unreachableMentions`, so the UI can offer
 *   to share the document with them (never notified: they could not open it).
 * - Ids are always looked up within the document named in the path: a comment of another
 *   document, space or cell is not found.
 */

export interface Person {
  principalId: string;
  givenName: string | null;
  familyName: string | null;
}

export interface ReactionView {
  emoji: Reaction;
  count: number;
  mine: boolean;
}

export interface CommentView {
  id: string;
  threadId: string;
  authorId: string;
  /** Empty once deleted (the UI shows « message supprimé »). */
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  reactions: ReactionView[];
  canEdit: boolean;
  canDelete: boolean;
}

export interface ThreadView {
  id: string;
  documentId: string;
  anchor: { start: string; end: string };
  quote: string;
  createdBy: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  comments: CommentView[];
}

export interface CommentsListing {
  /** What the reader may do here: the UI shows the composer only when true. */
  canComment: boolean;
  threads: ThreadView[];
  /** Names of every author, resolver and mentioned agent, read from their home cells now. */
  people: Person[];
}

const MENTION = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The body with each mention token written as `replace` says (by the mentioned principal id, lower case). */
export function replaceMentions(body: string, replace: (principalId: string) => string): string {
  return body.replace(MENTION, (_m, id: string) => replace(id.toLowerCase()));
}

/** The principals a body mentions, each once, in order. */
export function mentionsIn(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((m) => (m[1] as string).toLowerCase()))];
}

const commentGone = () => new AppError('conflict', { status: 409 });
const inTrash = () => new AppError('document_in_trash', { status: 409 });

/** May this access write comments here (role, trash, move)? Throws the answer the agent gets. */
function requireCommenter(access: DocumentAccess): void {
  if (!roleAtLeast(access.role, 'commenter')) throw forbidden();
  if (access.trashed) throw inTrash();
  requireNotMoving(access);
}

/** The document as the actor may write comments in it (404, 403, 409 or 423 otherwise). */
async function loadForWriting(deps: Pick<CommentsDeps, 'stores'>, actorOrNull: Actor | null, documentId: string): Promise<{ access: DocumentAccess; actor: Actor }> {
  const access = await documentForContent(deps.stores, actorOrNull, documentId);
  requireCommenter(access);
  return { access, actor: actorOrNull as Actor };
}

function canWrite(access: DocumentAccess): boolean {
  return roleAtLeast(access.role, 'commenter') && !access.trashed && !access.moving;
}

/** Relative positions are opaque to the server, but they must at least be relative positions. */
function checkAnchor(anchor: { start: string; end: string }): void {
  for (const [key, value] of Object.entries(anchor)) {
    let ok = value.length <= ANCHOR_MAX && value.length % 4 === 0 && BASE64.test(value);
    if (ok) {
      try {
        // It must read back exactly as it was written: trailing or truncated bytes are refused.
        const bytes = Buffer.from(value, 'base64');
        ok = Buffer.from(Y.encodeRelativePosition(Y.decodeRelativePosition(bytes))).equals(bytes);
      } catch {
        ok = false;
      }
    }
    if (!ok) throw invalid([{ path: `body.anchor.${key}`, message: 'not a Yjs relative position', code: 'invalid_anchor' }]);
  }
}

function auditEvent(actor: Actor, access: DocumentAccess, action: string, id: string, meta: RequestMeta, details: Record<string, string | null> = {}) {
  return {
    action,
    outcome: 'success' as const,
    actorId: actor.principalId,
    jurisdiction: access.jurisdiction,
    resource: { type: 'comment', id },
    ip: meta.ip,
    requestId: meta.requestId,
    // Ids only: a comment's text is the space's content, never the audit log's.
    details: { documentId: access.documentId, spaceId: access.spaceId, ...details },
  };
}

function reactionViews(rows: readonly ReactionRow[], viewer: string): ReactionView[] {
  const byEmoji = new Map<Reaction, ReactionView>();
  for (const row of rows) {
    const view = byEmoji.get(row.emoji) ?? { emoji: row.emoji, count: 0, mine: false };
    view.count += 1;
    if (row.principal_id === viewer) view.mine = true;
    byEmoji.set(row.emoji, view);
  }
  return [...byEmoji.values()];
}

function commentView(row: CommentRow, reactions: readonly ReactionRow[], actor: Actor, access: DocumentAccess): CommentView {
  const deleted = row.deleted_at !== null;
  const writable = canWrite(access);
  const own = row.author_id === actor.principalId;
  return {
    id: row.id,
    threadId: row.thread_id,
    authorId: row.author_id,
    body: deleted ? '' : row.body,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    deleted,
    reactions: deleted ? [] : reactionViews(reactions, actor.principalId),
    canEdit: writable && own && !deleted,
    canDelete: writable && !deleted && (own || access.role === 'owner'),
  };
}

function threadView(row: ThreadRow, comments: CommentView[]): ThreadView {
  return {
    id: row.id,
    documentId: row.document_id,
    anchor: { start: row.anchor_start, end: row.anchor_end },
    quote: row.quote,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    comments,
  };
}

async function namedPeople(deps: Pick<CommentsDeps, 'stores'>, ids: readonly string[]): Promise<Person[]> {
  const names = await namesOf(deps.stores, [...ids]);
  return ids.map((principalId) => ({ principalId, givenName: names.get(principalId)?.givenName ?? null, familyName: names.get(principalId)?.familyName ?? null }));
}

/**
 * Names for display, read from each one's home cell — only for those the reader could know here:
 * the space's members, and whoever wrote in the document's comments (`known`). Anyone else a
 * comment names by id (a mention typed by hand through the API with any principal id) stays
 * nameless: a comment box must not be a directory of every agent of both states.
 */
async function people(deps: Pick<CommentsDeps, 'stores'>, spaceId: string, ids: Iterable<string>, known: Iterable<string> = []): Promise<Person[]> {
  const unique = [...new Set(ids)];
  const nameable = new Set([...(await listMemberRows(deps.stores.control.db, spaceId)).map((m) => m.principal_id), ...known]);
  const named = new Map((await namedPeople(deps, unique.filter((id) => nameable.has(id)))).map((p) => [p.principalId, p]));
  return unique.map((principalId) => named.get(principalId) ?? { principalId, givenName: null, familyName: null });
}

const cellOf = (deps: Pick<CommentsDeps, 'stores'>, access: DocumentAccess) => deps.stores.cells[access.jurisdiction].db;

export async function listDocumentComments(deps: Pick<CommentsDeps, 'stores'>, actorOrNull: Actor | null, documentId: string): Promise<CommentsListing> {
  const access = await documentForContent(deps.stores, actorOrNull, documentId);
  const actor = actorOrNull as Actor;
  const db = cellOf(deps, access);
  const [threads, comments, reactions] = await Promise.all([listThreads(db, documentId), listComments(db, documentId), listReactions(db, documentId)]);
  const reactionsOf = Map.groupBy(reactions, (r) => r.comment_id);
  const commentsOf = Map.groupBy(comments, (c) => c.thread_id);
  const ids = new Set<string>();
  // Who wrote or resolved here: named even after leaving the space (their words stay signed).
  const writers = new Set<string>();
  const views: ThreadView[] = [];
  for (const thread of threads) {
    const rows = commentsOf.get(thread.id) ?? [];
    // A thread whose every comment was deleted is gone for the reader.
    if (!rows.some((c) => c.deleted_at === null)) continue;
    views.push(threadView(thread, rows.map((c) => commentView(c, reactionsOf.get(c.id) ?? [], actor, access))));
    writers.add(thread.created_by);
    if (thread.resolved_by) writers.add(thread.resolved_by);
    for (const c of rows) {
      writers.add(c.author_id);
      if (c.deleted_at === null) for (const id of mentionsIn(c.body)) ids.add(id);
    }
  }
  for (const id of writers) ids.add(id);
  return { canComment: canWrite(access), threads: views, people: await people(deps, access.spaceId, ids, writers) };
}

export interface Written {
  thread: ThreadView;
  comment: CommentView;
  /** Mentioned agents who cannot read the document: not notified; the UI may offer to share. */
  unreachableMentions: Person[];
}

export async function createThread(
  deps: CommentsDeps,
  actorOrNull: Actor | null,
  documentId: string,
  input: { anchor: { start: string; end: string }; quote: string; body: string },
  meta: RequestMeta,
): Promise<Written> {
  const { access, actor } = await loadForWriting(deps, actorOrNull, documentId);
  checkAnchor(input.anchor);
  const { thread, comment } = await cellOf(deps, access)
    .transaction()
    .execute(async (trx) => {
      const thread = await insertThread(trx, {
        id: uuidv7(),
        space_id: access.spaceId,
        document_id: documentId,
        anchor_start: input.anchor.start,
        anchor_end: input.anchor.end,
        quote: input.quote,
        created_by: actor.principalId,
      });
      const comment = await insertComment(trx, { id: uuidv7(), thread_id: thread.id, space_id: access.spaceId, document_id: documentId, author_id: actor.principalId, body: input.body });
      await deps.audit.record(auditEvent(actor, access, 'workspace.comment.thread_created', thread.id, meta, { commentId: comment.id }), trx as unknown as AuditTrx);
      await auditLinkUse(deps.audit, actor, access, 'comment', meta, { commentId: comment.id }, trx as unknown as AuditTrx);
      return { thread, comment };
    });
  const creator = await documentCreator(cellOf(deps, access), documentId);
  const unreachable = await tell(deps, actor, access, comment, { mentions: mentionsIn(input.body), others: creator ? [creator] : [], kind: 'comment' });
  const view = commentView(comment, [], actor, access);
  return { thread: threadView(thread, [view]), comment: view, unreachableMentions: await people(deps, access.spaceId, unreachable) };
}

export async function replyToThread(
  deps: CommentsDeps,
  actorOrNull: Actor | null,
  documentId: string,
  threadId: string,
  input: { body: string },
  meta: RequestMeta,
): Promise<Written> {
  const { access, actor } = await loadForWriting(deps, actorOrNull, documentId);
  const { thread, comment, earlier } = await cellOf(deps, access)
    .transaction()
    .execute(async (trx) => {
      const thread = await findThread(trx, documentId, threadId, true);
      if (!thread) throw notFound();
      const earlier = await listThreadComments(trx, threadId);
      if (!earlier.some((c) => c.deleted_at === null)) throw notFound();
      const comment = await insertComment(trx, { id: uuidv7(), thread_id: threadId, space_id: access.spaceId, document_id: documentId, author_id: actor.principalId, body: input.body });
      await deps.audit.record(auditEvent(actor, access, 'workspace.comment.created', comment.id, meta, { threadId }), trx as unknown as AuditTrx);
      await auditLinkUse(deps.audit, actor, access, 'comment', meta, { commentId: comment.id }, trx as unknown as AuditTrx);
      return { thread, comment, earlier };
    });
  // Earlier participants: whoever opened the thread or wrote in it (deleted comments included:
  // they took part), told once each.
  const participants = [thread.created_by, ...earlier.map((c) => c.author_id)];
  const unreachable = await tell(deps, actor, access, comment, { mentions: mentionsIn(input.body), others: participants, kind: 'reply' });
  const view = commentView(comment, [], actor, access);
  return { thread: threadView(thread, [view]), comment: view, unreachableMentions: await people(deps, access.spaceId, unreachable) };
}

/**
 * Notifies mentioned agents (`mention`) and `others` (`kind`), never the actor, never anyone who
 * cannot read the document now, each at most once (a mention wins). Returns the mentioned agents
 * who cannot read it. A failed notification is logged: the comment is written either way.
 */
async function tell(
  deps: CommentsDeps,
  actor: Actor,
  access: DocumentAccess,
  comment: CommentRow,
  who: { mentions: string[]; others: string[]; kind: 'reply' | 'comment' },
): Promise<string[]> {
  const told = new Set<string>([actor.principalId]);
  const unreachable: string[] = [];
  const send = async (recipientId: string, kind: CommentNotification['kind']): Promise<boolean> => {
    if (told.has(recipientId)) return true;
    told.add(recipientId);
    const theirs = await documentAccessFor(deps.stores, { principalId: recipientId, assuranceLevel: null }, access.documentId);
    if (!theirs || theirs.trashed) return false;
    if (!deps.notify) return true;
    try {
      await deps.notify({
        kind,
        recipientId,
        actorId: actor.principalId,
        spaceId: access.spaceId,
        documentId: access.documentId,
        commentId: comment.id,
        threadId: comment.thread_id,
      });
    } catch (error) {
      deps.logger.warn({ err: error, commentId: comment.id, kind }, 'notifying about a comment failed');
    }
    return true;
  };
  for (const id of who.mentions.slice(0, 50)) {
    if (id !== actor.principalId && !(await send(id, 'mention'))) unreachable.push(id);
  }
  for (const id of who.others) await send(id, who.kind);
  return unreachable;
}

export async function editComment(
  deps: CommentsDeps,
  actorOrNull: Actor | null,
  documentId: string,
  commentId: string,
  input: { body: string },
  meta: RequestMeta,
): Promise<CommentView> {
  const { access, actor } = await loadForWriting(deps, actorOrNull, documentId);
  const { updated, before } = await cellOf(deps, access)
    .transaction()
    .execute(async (trx) => {
      const before = await lockComment(trx, commentId);
      if (!before || before.document_id !== documentId) throw notFound();
      // Only the author changes what they wrote: an owner may remove it, never reword it.
      if (before.author_id !== actor.principalId) throw forbidden();
      if (before.deleted_at) throw commentGone();
      const updated = await updateCommentBody(trx, commentId, input.body, deps.now?.() ?? new Date());
      await deps.audit.record(auditEvent(actor, access, 'workspace.comment.edited', commentId, meta, { threadId: before.thread_id }), trx as unknown as AuditTrx);
      await auditLinkUse(deps.audit, actor, access, 'comment', meta, { commentId }, trx as unknown as AuditTrx);
      return { updated, before };
    });
  // Only agents newly mentioned by the edit are told.
  const already = new Set(mentionsIn(before.body));
  await tell(deps, actor, access, updated, { mentions: mentionsIn(input.body).filter((id) => !already.has(id)), others: [], kind: 'reply' });
  const reactions = (await listReactions(cellOf(deps, access), documentId)).filter((r) => r.comment_id === commentId);
  return commentView(updated, reactions, actor, access);
}

export async function deleteComment(deps: CommentsDeps, actorOrNull: Actor | null, documentId: string, commentId: string, meta: RequestMeta): Promise<void> {
  const { access, actor } = await loadForWriting(deps, actorOrNull, documentId);
  await cellOf(deps, access)
    .transaction()
    .execute(async (trx) => {
      const before = await lockComment(trx, commentId);
      if (!before || before.document_id !== documentId) throw notFound();
      const own = before.author_id === actor.principalId;
      if (!own && access.role !== 'owner') throw forbidden();
      if (before.deleted_at) throw commentGone();
      await tombstoneComment(trx, commentId, actor.principalId, deps.now?.() ?? new Date());
      // An owner removing someone else's words is moderation: said so, with whose they were.
      const action = own ? 'workspace.comment.deleted' : 'workspace.comment.moderated';
      await deps.audit.record(auditEvent(actor, access, action, commentId, meta, { threadId: before.thread_id, authorId: before.author_id }), trx as unknown as AuditTrx);
      await auditLinkUse(deps.audit, actor, access, 'comment', meta, { commentId }, trx as unknown as AuditTrx);
    });
}

export async function setThreadResolved(
  deps: CommentsDeps,
  actorOrNull: Actor | null,
  documentId: string,
  threadId: string,
  resolved: boolean,
  meta: RequestMeta,
): Promise<ThreadView> {
  const { access, actor } = await loadForWriting(deps, actorOrNull, documentId);
  const db = cellOf(deps, access);
  const thread = await db.transaction().execute(async (trx) => {
    const current = await findThread(trx, documentId, threadId, true);
    if (!current) throw notFound();
    // Already as asked: nothing changes, nothing is recorded (a double click, two agents at once).
    if ((current.resolved_at !== null) === resolved) return current;
    const updated = await setResolved(trx, threadId, resolved ? { at: deps.now?.() ?? new Date(), by: actor.principalId } : null);
    await deps.audit.record(auditEvent(actor, access, resolved ? 'workspace.comment.resolved' : 'workspace.comment.reopened', threadId, meta), trx as unknown as AuditTrx);
    await auditLinkUse(deps.audit, actor, access, 'comment', meta, { threadId }, trx as unknown as AuditTrx);
    return updated;
  });
  const reactionsOf = Map.groupBy(await listReactions(db, documentId), (r) => r.comment_id);
  const comments = await listThreadComments(db, threadId);
  return threadView(
    thread,
    comments.map((c) => commentView(c, reactionsOf.get(c.id) ?? [], actor, access)),
  );
}

/**
 * Adds or takes back the agent's reaction. Not audited: a reaction says nothing about access or
 * content, and the audit log is for security-relevant actions.
 */
export async function setReaction(
  deps: CommentsDeps,
  actorOrNull: Actor | null,
  documentId: string,
  commentId: string,
  emoji: Reaction,
  on: boolean,
): Promise<ReactionView[]> {
  const { access, actor } = await loadForWriting(deps, actorOrNull, documentId);
  const db = cellOf(deps, access);
  await db.transaction().execute(async (trx) => {
    const comment = await lockComment(trx, commentId);
    if (!comment || comment.document_id !== documentId) throw notFound();
    if (comment.deleted_at) throw commentGone();
    const row = { comment_id: commentId, space_id: access.spaceId, document_id: documentId, principal_id: actor.principalId, emoji };
    // Set, not toggled: PUT twice keeps it, DELETE twice leaves none.
    const added = await toggleReaction(trx, row);
    if (added !== on) await toggleReaction(trx, row);
  });
  return reactionViews(
    (await listReactions(db, documentId)).filter((r) => r.comment_id === commentId),
    actor.principalId,
  );
}

export interface MentionCandidate extends Person {
  /** False: a member of the space outside this restricted document (the UI offers to share). */
  canRead: boolean;
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/**
 * Agents one may mention here: the space's members whose name matches `q` (accents and case
 * ignored), those who reach the document first. Only to those who may comment.
 *
 * `canInvite` tells the panel whether the actor may invite someone typed as an address
 * (`spaces/invitations.ts`: owners of the space). It depends on the actor's role only: `q` is never
 * looked up as an address here, so typing addresses tells nobody whether an agent holds one — and
 * there is no search of other agents by name (their profiles are their home cells' data).
 */
export async function mentionCandidates(
  deps: Pick<CommentsDeps, 'stores'>,
  actorOrNull: Actor | null,
  documentId: string,
  q: string,
): Promise<{ agents: MentionCandidate[]; canShare: boolean; canInvite: boolean }> {
  const { access, actor } = await loadForWriting(deps, actorOrNull, documentId);
  const members = await listMemberRows(deps.stores.control.db, access.spaceId);
  const mine = members.find((m) => m.principal_id === actor.principalId);
  // A share link's holder who is no member of the space does not get its member list (attack review).
  if (!mine) return { agents: [], canShare: false, canInvite: false };
  const named = await namedPeople(
    deps,
    members.map((m) => m.principal_id),
  );
  const wanted = fold(q.trim());
  const matching = named
    .filter((p) => p.principalId !== actor.principalId)
    .filter((p) => !wanted || fold(`${p.givenName ?? ''} ${p.familyName ?? ''}`).includes(wanted) || fold(`${p.familyName ?? ''} ${p.givenName ?? ''}`).includes(wanted))
    .slice(0, 20);
  const agents = await Promise.all(
    matching.map(async (p) => ({ ...p, canRead: (await documentAccessFor(deps.stores, { principalId: p.principalId, assuranceLevel: null }, documentId)) !== null })),
  );
  agents.sort((a, b) => Number(b.canRead) - Number(a.canRead) || `${a.familyName} ${a.givenName}`.localeCompare(`${b.familyName} ${b.givenName}`, 'fr'));
  // Owners set a restricted document's access list (document-access.ts): they are offered to share.
  // Owners of the space invite into it (the same rule as POST /api/spaces/:id/invitations; a space
  // being moved takes no invitation, but then no comment either: loadForWriting refused already).
  return { agents, canShare: access.role === 'owner', canInvite: mine.role === 'owner' };
}

/**
 * A short plain-text excerpt of a comment, for the notifications part (its `commentExcerpt`):
 * mentions shown as `@Given Family`, null once the comment is deleted or not in that document.
 */
export function commentExcerpt(stores: CommentsDeps['stores']) {
  return async (ref: { spaceId: string; documentId: string; commentId: string }): Promise<string | null> => {
    const jurisdiction = (await findDirectoryEntry(stores.control.db, ref.spaceId))?.jurisdiction;
    if (!jurisdiction) return null;
    const row = await findCommentAnywhere(stores.cells[jurisdiction].db, ref.commentId);
    if (!row || row.document_id !== ref.documentId || row.space_id !== ref.spaceId || row.deleted_at) return null;
    const names = new Map((await people({ stores }, ref.spaceId, mentionsIn(row.body))).map((p) => [p.principalId, [p.givenName, p.familyName].filter(Boolean).join(' ')]));
    const text = replaceMentions(row.body, (id) => `@${names.get(id) || '?'}`).replace(/\s+/g, ' ').trim();
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
  };
}
