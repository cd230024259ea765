import type { Selectable } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import type { NotificationPreferencesTable, NotificationsTable } from './notifications.tables.ts';
import './notifications.tables.ts';
import type { NotificationKind } from './types.ts';

/** All SQL of notifications. Every statement names the recipient: nobody reads another's rows. */

export type NotificationRow = Selectable<NotificationsTable>;
const COLUMNS = [
  'id',
  'recipient_id',
  'kind',
  'actor_id',
  'space_id',
  'document_id',
  'thread_id',
  'comment_id',
  'in_app',
  'email_status',
  'created_at',
  'read_at',
] as const;

export async function insertNotification(db: CellDb, row: Omit<NotificationRow, 'created_at' | 'read_at'>): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

/** Newest first (ids are UUID v7: they sort by time), strictly before `before` when given. */
export async function listNotificationRows(db: CellDb, recipientId: string, options: { limit: number; before?: string }): Promise<NotificationRow[]> {
  let query = db.selectFrom('notifications').select(COLUMNS).where('recipient_id', '=', recipientId).where('in_app', '=', true);
  if (options.before) query = query.where('id', '<', options.before);
  return query.orderBy('id', 'desc').limit(options.limit).execute();
}

export async function countUnread(db: CellDb, recipientId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('recipient_id', '=', recipientId)
    .where('in_app', '=', true)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** False when the recipient has no such notification (someone else's id answers the same). */
export async function markRead(db: CellDb, recipientId: string, id: string, now: Date): Promise<boolean> {
  const found = await db
    .selectFrom('notifications')
    .select('id')
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .where('in_app', '=', true)
    .executeTakeFirst();
  if (!found) return false;
  await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .execute();
  return true;
}

export async function markAllRead(db: CellDb, recipientId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('recipient_id', '=', recipientId)
    .where('in_app', '=', true)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findNotification(db: CellDb, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Sets the mail's outcome once: a job run again finds it no longer pending. */
export async function settleEmail(db: CellDb, id: string, status: 'sent' | 'skipped'): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ email_status: status })
    .where('id', '=', id)
    .where('email_status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Every notification of an agent (personal-data export), mails-only ones included. */
export async function listAllNotificationRows(db: CellDb, recipientId: string): Promise<NotificationRow[]> {
  return db.selectFrom('notifications').select(COLUMNS).where('recipient_id', '=', recipientId).orderBy('id', 'desc').execute();
}

/** Erases an agent's notifications and preferences (when the agent's personal data is erased). */
export async function deleteAgentNotifications(db: CellDb, principalId: string): Promise<number> {
  const a = await db.deleteFrom('notifications').where('recipient_id', '=', principalId).executeTakeFirst();
  const b = await db.deleteFrom('notification_preferences').where('principal_id', '=', principalId).executeTakeFirst();
  return Number(a.numDeletedRows) + Number(b.numDeletedRows);
}

// ── preferences ──
export type PreferenceRow = Pick<Selectable<NotificationPreferencesTable>, 'kind' | 'in_app' | 'email'>;

export async function findPreferences(db: CellDb, principalId: string): Promise<PreferenceRow[]> {
  return db.selectFrom('notification_preferences').select(['kind', 'in_app', 'email']).where('principal_id', '=', principalId).execute();
}

export async function upsertPreferences(db: CellDb, principalId: string, rows: readonly { kind: NotificationKind; in_app: boolean; email: boolean }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('notification_preferences')
    .values(rows.map((r) => ({ principal_id: principalId, kind: r.kind, in_app: r.in_app, email: r.email, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(['principal_id', 'kind']).doUpdateSet((eb) => ({
        in_app: eb.ref('excluded.in_app'),
        email: eb.ref('excluded.email'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

// ── the space's cell: titles, read at display ──
export async function findDocumentTitles(db: CellDb, documentIds: readonly string[]): Promise<Map<string, string>> {
  if (documentIds.length === 0) return new Map();
  const rows = await db.selectFrom('documents').select(['id', 'title']).where('id', 'in', [...documentIds]).execute();
  return new Map(rows.map((r) => [r.id, r.title]));
}

/** Mails still pending since before `before` (the sweep enqueues them again). */
export async function listPendingEmails(db: CellDb, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where('email_status', '=', 'pending')
    .where('created_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
