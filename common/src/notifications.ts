/**
 * Notifications as the API shows them (server/src/workspace/notifications, web/src/features/
 * notifications): shared so that the server's answer and the web app's reading cannot drift.
 */
export const NOTIFICATION_KINDS = ['mention', 'reply', 'comment', 'share'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A notification as its recipient sees it: the space's content is read now, if still readable. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  createdAt: string;
  read: boolean;
  actor: { principalId: string; givenName: string; familyName: string } | null;
  documentId: string;
  spaceId: string;
  threadId: string | null;
  commentId: string | null;
  /** False when the recipient can no longer read the document (access withdrawn, trashed, deleted): no title, no link. */
  available: boolean;
  title: string | null;
  /** The web app's page of the document (and the thread's anchor), when available. */
  path: string | null;
  excerpt: string | null;
}

export interface NotificationPage {
  notifications: NotificationView[];
  unreadCount: number;
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

export interface NotificationPreference {
  kind: NotificationKind;
  inApp: boolean;
  email: boolean;
}
