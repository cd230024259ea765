import type { Generated } from 'kysely';
import type { NotificationKind } from './types.ts';

/** A notification, in the recipient's home cell: ids and kind only (see the migration). */
export interface NotificationsTable {
  id: string;
  recipient_id: string;
  kind: NotificationKind;
  actor_id: string;
  space_id: string;
  document_id: string;
  thread_id: string | null;
  comment_id: string | null;
  in_app: boolean;
  email_status: 'pending' | 'sent' | 'skipped' | null;
  created_at: Generated<Date>;
  read_at: Date | null;
}

/** An agent's choice for one kind; absent rows mean the defaults (preferences.ts). */
export interface NotificationPreferencesTable {
  principal_id: string;
  kind: NotificationKind;
  in_app: boolean;
  email: boolean;
  updated_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    notifications: NotificationsTable;
    notification_preferences: NotificationPreferencesTable;
  }
}
