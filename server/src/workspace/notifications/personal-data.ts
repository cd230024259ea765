import type { Stores } from '../../platform/db/stores.ts';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import { listAllNotificationRows } from './notifications.repo.ts';
import { type NotificationPreference, preferencesIn } from './preferences.ts';

export interface NotificationsPersonalData {
  notifications: {
    id: string;
    kind: string;
    spaceId: string;
    documentId: string;
    threadId: string | null;
    commentId: string | null;
    inApp: boolean;
    emailStatus: string | null;
    createdAt: string;
    readAt: string | null;
  }[];
  notificationPreferences: NotificationPreference[];
}

/**
 * An agent's notifications and preferences, from their home cell, for « Télécharger mes données ».
 * Ids and kinds, as stored: no title or comment (the spaces' content), and not who acted (another
 * person's pseudonymous id).
 */
export async function notificationsPersonalData(stores: Stores, principalId: string, homeJurisdiction: Jurisdiction): Promise<NotificationsPersonalData> {
  const db = stores.cells[homeJurisdiction].db;
  const rows = await listAllNotificationRows(db, principalId);
  return {
    notifications: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      spaceId: r.space_id,
      documentId: r.document_id,
      threadId: r.thread_id,
      commentId: r.comment_id,
      inApp: r.in_app,
      emailStatus: r.email_status,
      createdAt: r.created_at.toISOString(),
      readAt: r.read_at ? r.read_at.toISOString() : null,
    })),
    notificationPreferences: await preferencesIn(db, principalId),
  };
}
