import type { Stores } from '../../platform/db/stores.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from '../../platform/mail/index.ts';

import type { NotificationKind } from '../../../../common/src/notifications.ts';

/** What happened, to whom: the four kinds an agent can be told about (common/src/notifications.ts). */
export { NOTIFICATION_KINDS, type NotificationKind } from '../../../../common/src/notifications.ts';

/**
 * One notification to record (and maybe mail). Only ids: the title of the document and the text
 * of the comment are the space's content and stay in the space's cell; they are read when the
 * notification is shown or mailed, and only if the recipient can still read the document.
 */
export interface NotificationEvent {
  kind: NotificationKind;
  /** Principal told. */
  recipientId: string;
  /** Principal who acted (never told of their own action). */
  actorId: string;
  spaceId: string;
  documentId: string;
  commentId?: string;
  threadId?: string;
}

/**
 * What notify() and the notification routes need: a subset of WorkspaceDeps (entente.ts), so
 * the workspace's deps object can be passed as is.
 */
export interface NotificationsDeps {
  stores: Stores;
  mailer: Mailer;
  logger: Logger;
  publicUrl: () => URL;
  /**
   * Optional: a short plain-text excerpt of a comment, read from the space's cell (the comments
   * part provides it). Without it, mails and the list show the document's title only.
   */
  commentExcerpt?: (ref: { spaceId: string; documentId: string; commentId: string; threadId: string | null }) => Promise<string | null>;
}

/** What notify() did: null id when the recipient's preferences ask for nothing, or it was refused. */
export interface NotifyResult {
  notificationId: string | null;
  inApp: boolean;
  email: boolean;
  /** Why nothing was recorded, when nothing was. */
  skipped?: 'self' | 'unknown_recipient' | 'no_access' | 'preferences' | 'invalid' | 'error';
}
