import type { Selectable } from 'kysely';
import type { CellDb } from '../db/types.ts';
import type { MailOutboxTable } from './demo-outbox.tables.ts';

/** All SQL of the demo mail outbox. */

export type DemoMailRow = Selectable<MailOutboxTable>;

const COLUMNS = ['id', 'to', 'subject', 'text', 'html', 'locale', 'created_at'] as const;

export async function insertDemoMail(cell: CellDb, mail: Omit<DemoMailRow, 'created_at'>): Promise<DemoMailRow> {
  return cell
    .insertInto('mail_outbox')
    .values({ id: mail.id, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, locale: mail.locale })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

/** The newest mails first (ids are UUID v7: they break ties in creation order). */
export async function listRecentDemoMail(cell: CellDb, limit: number): Promise<DemoMailRow[]> {
  return cell.selectFrom('mail_outbox').select(COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Demo mails older than `before`: gone (they hold addresses, and later sign-in links). */
export async function deleteDemoMailBefore(cell: CellDb, before: Date): Promise<number> {
  const result = await cell.deleteFrom('mail_outbox').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
