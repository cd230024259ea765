import type { ColumnType } from 'kysely';
import type { Locale } from '../../../../common/src/i18n/locales.ts';

/**
 * The demo mail outbox of a cell (migration 20261128191500_platform_mail_outbox): mails kept
 * instead of sent in demo mode, in the recipient's home cell.
 */
export interface MailOutboxTable {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: Locale;
  created_at: ColumnType<Date, never, never>;
}

declare module '../db/types.ts' {
  interface CellTables {
    mail_outbox: MailOutboxTable;
  }
}
