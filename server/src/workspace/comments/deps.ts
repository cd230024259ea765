import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { Logger } from '../../platform/logger.ts';

/**
 * What the comments use cases need. `notify` is how they tell agents about mentions, replies and
 * new threads: the composition root wires it to the notifications part
 * (workspace/notifications, `notify(deps, event)`); absent, nobody is told (tests, tools).
 */
export interface CommentNotification {
  kind: 'mention' | 'reply' | 'comment';
  recipientId: string;
  actorId: string;
  spaceId: string;
  documentId: string;
  commentId: string;
  threadId: string;
}

export type CommentNotifier = (event: CommentNotification) => Promise<void>;

export interface CommentsDeps {
  stores: Stores;
  audit: AuditLog;
  logger: Logger;
  notify?: CommentNotifier;
  now?: () => Date;
}
