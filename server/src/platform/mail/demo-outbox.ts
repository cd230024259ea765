import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import type { CellDb } from '../db/types.ts';
import { uuidv7 } from '../ids.ts';
import { deleteDemoMailBefore, insertDemoMail, listRecentDemoMail } from './demo-outbox.repo.ts';
import type { MailLogger, Mailer, MailMessage } from './mailer.ts';
import { assertRecipient } from './recipient.ts';
import { renderMail } from './render.ts';

/** The Kysely handle of each cell. */
export type MailCells = Readonly<Record<Jurisdiction, CellDb>>;

export interface DemoMail {
  id: string;
  /** The cell it is kept in: the recipient's home jurisdiction. */
  jurisdiction: Jurisdiction;
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: Locale;
  createdAt: Date;
}

/**
 * The mailer of demo mode: renders the mail exactly as the SMTP mailer would, and keeps it in
 * the recipient's home cell instead of sending it (an address is personal data: it stays in its
 * cell). GET /demo/outbox shows them.
 */
export class DemoOutboxMailer implements Mailer {
  readonly #cells: MailCells;
  readonly #publicUrl: URL;
  readonly #logger: MailLogger;

  constructor(options: { cells: MailCells; publicUrl: URL; logger: MailLogger }) {
    this.#cells = options.cells;
    this.#publicUrl = options.publicUrl;
    this.#logger = options.logger;
  }

  async send(message: MailMessage): Promise<void> {
    assertRecipient(message.to);
    const rendered = renderMail(message.template, message.locale, message.params, { publicUrl: this.#publicUrl });
    const row = await insertDemoMail(this.#cells[message.jurisdiction], {
      id: uuidv7(),
      to: message.to,
      locale: message.locale,
      ...rendered,
    });
    this.#logger.info({ mailId: row.id, template: message.template, cell: message.jurisdiction }, 'Mail kept in the demo outbox');
  }
}

/** The newest demo mails of both cells, merged, newest first. */
export async function listDemoOutbox(cells: MailCells, options: { limit?: number } = {}): Promise<DemoMail[]> {
  const limit = options.limit ?? 100;
  const perCell = await Promise.all(
    JURISDICTIONS.map(async (jurisdiction) =>
      (await listRecentDemoMail(cells[jurisdiction], limit)).map(
        (row): DemoMail => ({
          id: row.id,
          jurisdiction,
          to: row.to,
          subject: row.subject,
          text: row.text,
          html: row.html,
          locale: row.locale,
          createdAt: row.created_at,
        }),
      ),
    ),
  );
  return perCell
    .flat()
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, limit);
}

/** The demo outbox keeps a week of mails; an hourly job calls this. */
export const DEMO_OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;

export async function purgeDemoOutbox(cells: MailCells, now = new Date()): Promise<number> {
  let deleted = 0;
  for (const cell of Object.values(cells)) {
    deleted += await deleteDemoMailBefore(cell, new Date(now.getTime() - DEMO_OUTBOX_RETENTION_MS));
  }
  return deleted;
}
