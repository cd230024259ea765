import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useSession } from '../../app/session.ts';
import { fetchUnreadCount, NOTIFICATIONS_CHANGED } from './api.ts';
import { NOTIFICATIONS_PATH } from './paths.ts';
import { useNotificationsText } from './text.ts';
import './notifications.css';

/** How often the count is asked again while the page is open (also on focus and after a change). */
export const BELL_REFRESH_MS = 20_000;

/**
 * The bell in the header: a link to « Notifications » whose accessible name says how many are
 * unread (« Notifications, 3 non lues »); the badge shows the figure. Nothing is shown, and
 * nothing asked, for a visitor who is not signed in. Polling (every 20 s, on focus, on a page's
 * change) is enough here: notifications are not a conversation.
 */
export function NotificationBell() {
  const n = useNotificationsText();
  const session = useSession();
  const signedIn = session.state === 'signedIn';
  const [count, setCount] = useState<number | null>(null);
  const { pathname } = useLocation();

  useEffect(() => {
    if (!signedIn) return;
    let abort = new AbortController();
    let stopped = false;
    const refresh = () => {
      abort.abort();
      abort = new AbortController();
      fetchUnreadCount(abort.signal)
        .then((body) => {
          if (!stopped) setCount(body.unreadCount);
        })
        .catch((error: unknown) => {
          // Signed out (401): no bell. A passing failure keeps the last figure.
          if (!stopped && (error as { status?: number }).status === 401) setCount(null);
        });
    };
    refresh();
    const timer = window.setInterval(refresh, BELL_REFRESH_MS);
    const onFocus = () => refresh();
    window.addEventListener('focus', onFocus);
    window.addEventListener(NOTIFICATIONS_CHANGED, onFocus);
    return () => {
      stopped = true;
      abort.abort();
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener(NOTIFICATIONS_CHANGED, onFocus);
    };
    // A new page asks again.
  }, [pathname, signedIn]);

  if (!signedIn || count === null) return null;
  return (
    <Link
      to={NOTIFICATIONS_PATH}
      className="notification-bell"
      aria-label={n('notifications.bell.label', { count })}
      aria-current={pathname === NOTIFICATIONS_PATH ? 'page' : undefined}
      data-unread={count}
    >
      <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
        <path
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"
          fill="currentColor"
        />
      </svg>
      {count > 0 && (
        <span className="notification-bell-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
