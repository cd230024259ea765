import type { Actor } from '../../identity/actor.ts';
import { notFound } from '../../platform/errors.ts';
import { documentAccessFor } from '../access.ts';
import { namesOf } from '../spaces/members.ts';
import { requireActor } from '../spaces/deps.ts';
import { countUnread, findDocumentTitles, listNotificationRows, markAllRead, markRead, type NotificationRow } from './notifications.repo.ts';
import type { NotificationPage, NotificationView } from '../../../../common/src/notifications.ts';
import type { NotificationsDeps } from './types.ts';

export const PAGE_MAX = 50;
export const EXCERPT_MAX = 200;

/** The web app's address of a comment thread in a document (helper C's anchor). */
export function documentPath(spaceId: string, documentId: string, anchorId: string | null): string {
  return `/espaces/${spaceId}/documents/${documentId}${anchorId ? `#commentaire-${anchorId}` : ''}`;
}

/** One line, at most EXCERPT_MAX characters (an ellipsis says it was cut). */
export function shortExcerpt(text: string | null | undefined): string | null {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!line) return null;
  return line.length > EXCERPT_MAX ? `${line.slice(0, EXCERPT_MAX - 1).trimEnd()}…` : line;
}

/**
 * What is shown of each notification, read at display time from the spaces' cells, with the
 * recipient's own access rules now: a document they can no longer reach shows as unavailable
 * (kind and date only). A comment's excerpt is content: it needs the session's level of
 * assurance for the space, like opening the document would.
 */
export async function presentNotifications(deps: NotificationsDeps, actor: Actor, rows: readonly NotificationRow[]): Promise<NotificationView[]> {
  const access = new Map<string, Awaited<ReturnType<typeof documentAccessFor>>>();
  for (const documentId of new Set(rows.map((r) => r.document_id))) {
    access.set(documentId, await documentAccessFor(deps.stores, actor, documentId));
  }
  const titles = new Map<string, string>();
  const byCell = new Map<string, { jurisdiction: 'FR' | 'QC'; ids: string[] }>();
  for (const a of access.values()) {
    if (!a || a.trashed) continue;
    const entry = byCell.get(a.jurisdiction) ?? { jurisdiction: a.jurisdiction, ids: [] };
    entry.ids.push(a.documentId);
    byCell.set(a.jurisdiction, entry);
  }
  for (const { jurisdiction, ids } of byCell.values()) {
    for (const [id, title] of await findDocumentTitles(deps.stores.cells[jurisdiction].db, ids)) titles.set(id, title);
  }
  const names = await namesOf(deps.stores, [...new Set(rows.map((r) => r.actor_id))]);
  const views: NotificationView[] = [];
  for (const row of rows) {
    const a = access.get(row.document_id);
    const available = Boolean(a && !a.trashed && a.spaceId === row.space_id && titles.has(row.document_id));
    let excerpt: string | null = null;
    if (available && a && !a.insufficientAssurance && row.comment_id && deps.commentExcerpt) {
      try {
        excerpt = shortExcerpt(
          await deps.commentExcerpt({ spaceId: row.space_id, documentId: row.document_id, commentId: row.comment_id, threadId: row.thread_id }),
        );
      } catch (error) {
        deps.logger.warn({ err: error }, 'a comment excerpt could not be read');
      }
    }
    const name = names.get(row.actor_id);
    views.push({
      id: row.id,
      kind: row.kind,
      createdAt: row.created_at.toISOString(),
      read: row.read_at !== null,
      actor: name ? { principalId: row.actor_id, givenName: name.givenName, familyName: name.familyName } : null,
      documentId: row.document_id,
      spaceId: row.space_id,
      threadId: row.thread_id,
      commentId: row.comment_id,
      available,
      title: available ? (titles.get(row.document_id) ?? null) : null,
      path: available ? documentPath(row.space_id, row.document_id, row.thread_id ?? row.comment_id) : null,
      excerpt,
    });
  }
  return views;
}

export async function listNotifications(
  deps: NotificationsDeps,
  actorOrNull: Actor | null,
  options: { limit?: number; before?: string } = {},
): Promise<NotificationPage> {
  const actor = requireActor(actorOrNull);
  const db = deps.stores.cells[actor.homeJurisdiction].db;
  const limit = Math.min(Math.max(options.limit ?? 20, 1), PAGE_MAX);
  const rows = await listNotificationRows(db, actor.principalId, { limit: limit + 1, before: options.before });
  const page = rows.slice(0, limit);
  return {
    notifications: await presentNotifications(deps, actor, page),
    unreadCount: await countUnread(db, actor.principalId),
    nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function unreadCount(deps: Pick<NotificationsDeps, 'stores'>, actorOrNull: Actor | null): Promise<number> {
  const actor = requireActor(actorOrNull);
  return countUnread(deps.stores.cells[actor.homeJurisdiction].db, actor.principalId);
}

/** 404 for an id that is not one of the agent's own notifications (another agent's included). */
export async function readNotification(deps: Pick<NotificationsDeps, 'stores'>, actorOrNull: Actor | null, id: string): Promise<number> {
  const actor = requireActor(actorOrNull);
  const db = deps.stores.cells[actor.homeJurisdiction].db;
  if (!(await markRead(db, actor.principalId, id, new Date()))) throw notFound();
  return countUnread(db, actor.principalId);
}

export async function readAllNotifications(deps: Pick<NotificationsDeps, 'stores'>, actorOrNull: Actor | null): Promise<number> {
  const actor = requireActor(actorOrNull);
  return markAllRead(deps.stores.cells[actor.homeJurisdiction].db, actor.principalId, new Date());
}
