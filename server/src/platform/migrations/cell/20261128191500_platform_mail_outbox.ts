import { type Kysely, sql } from 'kysely';

/**
 * The demo mail outbox: in demo mode, mails are stored here instead of being sent, in the cell of
 * the recipient's home jurisdiction (an address is personal data: it never leaves its cell).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mail_outbox (
      id uuid primary key,
      "to" text not null,
      subject text not null,
      text text not null,
      html text not null,
      locale text not null check (locale in ('fr-FR', 'fr-CA', 'en')),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index mail_outbox_created_idx on mail_outbox (created_at desc, id desc)`.execute(db);
}
