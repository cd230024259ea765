import { z } from 'zod';
import { findPrincipal } from '../../identity/principals.repo.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { documentAccessFor } from '../access.ts';
import { enqueueNotificationEmail } from './email.ts';
import { insertNotification } from './notifications.repo.ts';
import { preferencesIn } from './preferences.ts';
import { NOTIFICATION_KINDS, type NotificationEvent, type NotificationsDeps, type NotifyResult } from './types.ts';

const eventSchema = z
  .object({
    kind: z.enum(NOTIFICATION_KINDS),
    recipientId: z.uuid(),
    actorId: z.uuid(),
    spaceId: z.uuid(),
    documentId: z.uuid(),
    commentId: z.uuid().optional(),
    threadId: z.uuid().optional(),
  })
  .strict();

/**
 * Tells an agent that something happened on a document they can read: a row in their home cell
 * (in-app, when their preferences keep it) and, when they asked for it by mail, a job that sends
 * the mail off the request path. Call it after the change is committed.
 *
 * Refuses quietly — nothing recorded, a reason in the result — an event about the actor
 * themself, for an unknown or disabled agent, or for someone who cannot read the document (or
 * not in that space, or in the trash): a notification must not tell anyone that a document
 * exists. Never throws: the caller's change stands whatever happens here (the failure is logged).
 */
export async function notify(deps: NotificationsDeps, event: NotificationEvent): Promise<NotifyResult> {
  try {
    return await record(deps, event);
  } catch (error) {
    deps.logger.warn({ err: error, kind: event.kind }, 'a notification could not be recorded');
    return { notificationId: null, inApp: false, email: false, skipped: 'error' };
  }
}

async function record(deps: NotificationsDeps, input: NotificationEvent): Promise<NotifyResult> {
  const nothing = (skipped: NonNullable<NotifyResult['skipped']>): NotifyResult => ({ notificationId: null, inApp: false, email: false, skipped });
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) return nothing('invalid');
  const event = parsed.data;
  if (event.recipientId === event.actorId) return nothing('self');
  const principal = await findPrincipal(deps.stores.control.db, event.recipientId);
  if (principal?.status !== 'active') return nothing('unknown_recipient');
  // The level of assurance is the session's business (checked when the content is opened), not
  // the notification's: a member who can read the document is told of it.
  const access = await documentAccessFor(deps.stores, { principalId: event.recipientId, assuranceLevel: null }, event.documentId);
  if (!access || access.spaceId !== event.spaceId || access.trashed) return nothing('no_access');

  const home = deps.stores.cells[principal.home_jurisdiction].db;
  const preference = (await preferencesIn(home, event.recipientId)).find((p) => p.kind === event.kind);
  if (!preference || (!preference.inApp && !preference.email)) return nothing('preferences');

  const id = uuidv7();
  await insertNotification(home, {
    id,
    recipient_id: event.recipientId,
    kind: event.kind,
    actor_id: event.actorId,
    space_id: event.spaceId,
    document_id: event.documentId,
    thread_id: event.threadId ?? null,
    comment_id: event.commentId ?? null,
    in_app: preference.inApp,
    email_status: preference.email ? 'pending' : null,
  });
  if (preference.email) {
    // Cell first, then the control plane's queue: if this enqueue fails, the sweep finds the
    // pending row and enqueues it again (the idempotency key makes that harmless).
    try {
      await enqueueNotificationEmail(deps.stores.control.db, principal.home_jurisdiction, id);
    } catch (error) {
      deps.logger.warn({ err: error }, 'the notification mail will be enqueued by the sweep');
    }
  }
  return { notificationId: id, inApp: preference.inApp, email: preference.email };
}
