import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import { findPrincipal } from '../../identity/principals.repo.ts';
import { findProfile } from '../../identity/profiles.repo.ts';
import type { ControlDb } from '../../platform/db/types.ts';
import { enqueue, type JobRunner } from '../../platform/jobs/index.ts';
import { documentAccessFor } from '../access.ts';
import { namesOf } from '../spaces/members.ts';
import { documentPath, shortExcerpt } from './list.ts';
import { findDocumentTitles, findNotification, listPendingEmails, settleEmail } from './notifications.repo.ts';
import type { NotificationKind, NotificationsDeps } from './types.ts';

export const NOTIFICATION_EMAIL_JOB = 'workspace.notification.email';
export const NOTIFICATION_EMAIL_SWEEP_JOB = 'workspace.notification.email_sweep';
const SWEEP_EVERY_MS = 10 * 60_000;
/** A pending mail older than this whose job was lost is enqueued again. */
const SWEEP_AFTER_MS = 2 * 60_000;

/** The mail template of each kind (platform/mail/templates.ts). */
export const MAIL_TEMPLATE_OF: Readonly<Record<NotificationKind, string>> = {
  mention: 'notificationMention',
  reply: 'notificationReply',
  comment: 'notificationComment',
  share: 'notificationShare',
};

/** The job carries ids only (the queue is in the control plane): the cell and the notification. */
export async function enqueueNotificationEmail(control: ControlDb, jurisdiction: Jurisdiction, notificationId: string): Promise<void> {
  await enqueue(control, {
    type: NOTIFICATION_EMAIL_JOB,
    payload: { jurisdiction, notificationId },
    idempotencyKey: `${NOTIFICATION_EMAIL_JOB}:${notificationId}`,
  });
}

/**
 * Sends the mail of one notification, if it is still pending: in the recipient's language, to
 * the address of their home cell, with the document's title, a short excerpt of the comment and
 * a link — read now, and only if the recipient can still read the document (otherwise nothing is
 * sent). The excerpt is left out for spaces that require more than the basic level of assurance:
 * a mail is read outside any session. Throwing (SMTP down) lets the job retry.
 */
export async function sendNotificationEmail(deps: NotificationsDeps, jurisdiction: Jurisdiction, notificationId: string): Promise<'sent' | 'skipped' | 'done'> {
  const home = deps.stores.cells[jurisdiction].db;
  const row = await findNotification(home, notificationId);
  if (row?.email_status !== 'pending') return 'done';
  const skip = async () => {
    await settleEmail(home, row.id, 'skipped');
    return 'skipped' as const;
  };
  const principal = await findPrincipal(deps.stores.control.db, row.recipient_id);
  if (principal?.status !== 'active') return skip();
  const access = await documentAccessFor(deps.stores, { principalId: row.recipient_id, assuranceLevel: null }, row.document_id);
  if (!access || access.trashed || access.spaceId !== row.space_id) return skip();
  const profile = await findProfile(home, row.recipient_id);
  if (!profile) return skip();
  const title = (await findDocumentTitles(deps.stores.cells[access.jurisdiction].db, [row.document_id])).get(row.document_id);
  if (title === undefined) return skip();
  const name = (await namesOf(deps.stores, [row.actor_id])).get(row.actor_id);
  let excerpt: string | null = null;
  if (access.minAssurance === 'low' && row.comment_id && deps.commentExcerpt) {
    excerpt = shortExcerpt(
      await deps.commentExcerpt({ spaceId: row.space_id, documentId: row.document_id, commentId: row.comment_id, threadId: row.thread_id }),
    );
  }
  const url = new URL(documentPath(row.space_id, row.document_id, row.thread_id ?? row.comment_id), deps.publicUrl());
  await deps.mailer.send({
    jurisdiction,
    to: profile.email,
    locale: profile.preferred_language,
    template: MAIL_TEMPLATE_OF[row.kind],
    params: {
      actor: name ? `${name.givenName} ${name.familyName}` : 'Entente',
      title,
      excerpt: excerpt ?? '',
      url: url.href,
    },
  });
  await settleEmail(home, row.id, 'sent');
  deps.logger.info({ notificationId: row.id, kind: row.kind, cell: jurisdiction }, 'notification mail sent');
  return 'sent';
}

/** Enqueues again the mails whose job was never enqueued (a crash between the cell and the queue). */
export async function sweepPendingEmails(deps: NotificationsDeps, now = new Date()): Promise<number> {
  let count = 0;
  for (const jurisdiction of JURISDICTIONS) {
    for (const id of await listPendingEmails(deps.stores.cells[jurisdiction].db, new Date(now.getTime() - SWEEP_AFTER_MS), 500)) {
      await enqueueNotificationEmail(deps.stores.control.db, jurisdiction, id);
      count++;
    }
  }
  return count;
}

export function registerNotificationJobs(jobs: JobRunner, deps: NotificationsDeps): void {
  jobs.register(NOTIFICATION_EMAIL_JOB, async ({ payload }) => {
    const p = payload as { jurisdiction: Jurisdiction; notificationId: string };
    if (!JURISDICTIONS.includes(p.jurisdiction)) return;
    await sendNotificationEmail(deps, p.jurisdiction, p.notificationId);
  });
  jobs.register(NOTIFICATION_EMAIL_SWEEP_JOB, async () => {
    await sweepPendingEmails(deps);
  });
  jobs.every(NOTIFICATION_EMAIL_SWEEP_JOB, SWEEP_EVERY_MS);
}
