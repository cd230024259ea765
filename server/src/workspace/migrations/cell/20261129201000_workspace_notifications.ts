import { type Kysely, sql } from 'kysely';

/**
 * Notifications and notification preferences (workspace/notifications), in the RECIPIENT's home
 * cell: they are the agent's personal data. A notification holds ids and its kind only — never
 * the document's title or the comment's text (the space's content, in the space's cell, read when
 * shown and only if the recipient may still read it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('recipient_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mention', 'reply', 'comment', 'share')`))
    .addColumn('actor_id', 'uuid', (c) => c.notNull())
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .addColumn('document_id', 'uuid', (c) => c.notNull())
    .addColumn('thread_id', 'uuid')
    .addColumn('comment_id', 'uuid')
    // false: the agent asked for this kind by mail only; the row drives the mail and is not listed.
    .addColumn('in_app', 'boolean', (c) => c.notNull())
    // pending → sent | skipped (access withdrawn, no address…) | null (no mail asked for).
    .addColumn('email_status', 'text', (c) => c.check(sql`email_status in ('pending', 'sent', 'skipped')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .execute();
  // The list (newest first, by id: UUID v7 sorts by time) and the unread count.
  await sql`create index notifications_recipient on notifications (recipient_id, id desc) where in_app`.execute(db);
  await sql`create index notifications_unread on notifications (recipient_id) where in_app and read_at is null`.execute(db);
  // The sweep that enqueues mails again after a failed enqueue.
  await sql`create index notifications_email_pending on notifications (created_at) where email_status = 'pending'`.execute(db);

  await db.schema
    .createTable('notification_preferences')
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mention', 'reply', 'comment', 'share')`))
    .addColumn('in_app', 'boolean', (c) => c.notNull())
    .addColumn('email', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('notification_preferences_pk', ['principal_id', 'kind'])
    .execute();
}
