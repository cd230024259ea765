/**
 * Notifications (workspace): in-app and by mail, per-agent preferences. What other parts use:
 * `notify(deps, event)` after a mention, a reply, a new comment or a share is committed.
 * It never throws (a notification that cannot be recorded is logged; the comment stays).
 */
export { notify } from './notify.ts';
export {
  NOTIFICATION_KINDS,
  type NotificationEvent,
  type NotificationKind,
  type NotificationsDeps,
  type NotifyResult,
} from './types.ts';
export { notificationRoutes } from './routes.ts';
export { NOTIFICATION_EMAIL_JOB, registerNotificationJobs } from './email.ts';
export { notificationsPersonalData } from './personal-data.ts';
