import { getJson, send } from '../../app/api.ts';

/** The notifications API (server/src/workspace/notifications/routes.ts); its shapes are in common/. */
import { NOTIFICATION_KINDS, type NotificationKind, type NotificationPage, type NotificationPreference, type NotificationView } from '@entente/common/notifications.ts';

export type { NotificationKind, NotificationPage, NotificationPreference };
export type NotificationItem = NotificationView;
export const KINDS: readonly NotificationKind[] = NOTIFICATION_KINDS;

/** Told by the page when it marks something read, so the bell updates at once. */
export const NOTIFICATIONS_CHANGED = 'entente:notifications-changed';
export const announceChange = () => window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));

export const fetchUnreadCount = (signal?: AbortSignal) => getJson<{ unreadCount: number }>('/api/notifications/unread-count', signal);

export function fetchNotifications(before: string | null, signal?: AbortSignal): Promise<NotificationPage> {
  const query = new URLSearchParams({ limit: '20', ...(before ? { before } : {}) });
  return getJson<NotificationPage>(`/api/notifications?${query}`, signal);
}

export const markRead = (id: string) => send<{ unreadCount: number }>('POST', `/api/notifications/${encodeURIComponent(id)}/read`);
export const markAllRead = () => send<{ marked: number; unreadCount: number }>('POST', '/api/notifications/read-all');

export const fetchPreferences = (signal?: AbortSignal) => getJson<{ preferences: NotificationPreference[] }>('/api/me/notification-preferences', signal);
export const savePreferences = (preferences: NotificationPreference[]) =>
  send<{ preferences: NotificationPreference[] }>('PUT', '/api/me/notification-preferences', { preferences });
