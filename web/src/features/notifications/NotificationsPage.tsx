import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Problem } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';
import { Page } from '../../app/Page.tsx';
import { BELL_REFRESH_MS } from './NotificationBell.tsx';
import { announceChange, fetchNotifications, markAllRead, markRead, type NotificationItem } from './api.ts';
import { useNotificationsText } from './text.ts';
import './notifications.css';
import { longDateFormat } from '@entente/common/i18n/long-date.ts';

type State = { state: 'loading' } | { state: 'signedOut' } | { state: 'failed' } | { state: 'ready'; items: NotificationItem[]; unread: number; nextBefore: string | null };

/**
 * « Notifications »: the agent's notifications, newest first. Each says who did what on which
 * document and links to it (the comment thread's anchor); one whose document can no longer be
 * read says so, without title or link. Mark one or all as read; older ones on demand. Read again
 * every 20 s and when the window regains focus.
 */
export function NotificationsPage() {
  const n = useNotificationsText();
  const { locale } = useI18n();
  const [state, setState] = useState<State>({ state: 'loading' });
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const dateTime = useMemo(() => longDateFormat(locale, { timeStyle: 'short' }), [locale]);
  const shown = useRef(1); // pages shown, kept when the list is read again

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      let page = await fetchNotifications(null, signal);
      const items = [...page.notifications];
      for (let i = 1; i < shown.current && page.nextBefore; i++) {
        page = await fetchNotifications(page.nextBefore, signal);
        items.push(...page.notifications);
      }
      if (!signal?.aborted) setState({ state: 'ready', items, unread: page.unreadCount, nextBefore: page.nextBefore });
    } catch (caught) {
      if (signal?.aborted) return;
      setState(caught instanceof Problem && caught.status === 401 ? { state: 'signedOut' } : { state: 'failed' });
    }
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    const timer = window.setInterval(onFocus, BELL_REFRESH_MS);
    return () => {
      abort.abort();
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [load]);

  const summaryOf = (item: NotificationItem) => {
    const actor = item.actor ? `${item.actor.givenName} ${item.actor.familyName}`.trim() : n('notifications.someone');
    return item.available ? n(`notifications.kind.${item.kind}`, { actor, title: item.title ?? '' }) : `${n(`notifications.kindName.${item.kind}`)} — ${n('notifications.unavailable')}`;
  };

  async function readOne(item: NotificationItem) {
    setError('');
    try {
      const answer = await markRead(item.id);
      setState((s) =>
        s.state === 'ready' ? { ...s, unread: answer?.unreadCount ?? s.unread, items: s.items.map((i) => (i.id === item.id ? { ...i, read: true } : i)) } : s,
      );
      announceChange();
    } catch {
      setError(n('notifications.failed'));
    }
  }

  async function readAll() {
    setError('');
    try {
      await markAllRead();
      setState((s) => (s.state === 'ready' ? { ...s, unread: 0, items: s.items.map((i) => ({ ...i, read: true })) } : s));
      setStatus(n('notifications.markedAllRead'));
      announceChange();
    } catch {
      setError(n('notifications.failed'));
    }
  }

  async function more(before: string) {
    try {
      const page = await fetchNotifications(before);
      shown.current += 1;
      setState((s) => (s.state === 'ready' ? { ...s, items: [...s.items, ...page.notifications], unread: page.unreadCount, nextBefore: page.nextBefore } : s));
    } catch {
      setError(n('notifications.failed'));
    }
  }

  return (
    <Page title={n('notifications.title')} heading={n('notifications.heading')} className="notifications-page">
      <p>{n('notifications.intro')}</p>
      {state.state === 'loading' && <p role="status">{n('notifications.loading')}</p>}
      {state.state === 'signedOut' && (
        <p>
          <Link to={`/connexion?retour=${encodeURIComponent('/notifications')}`}>{n('notifications.signInFirst')}</Link>
        </p>
      )}
      {state.state === 'failed' && <p role="alert">{n('notifications.failed')}</p>}
      {state.state === 'ready' && (
        <>
          <div className="notifications-toolbar">
            <p className="notifications-summary">{n('notifications.unreadSummary', { count: state.unread })}</p>
            <button type="button" className="button button-secondary" onClick={() => void readAll()} disabled={state.unread === 0}>
              {n('notifications.markAllRead')}
            </button>
          </div>
          <p role="status" className="notifications-status">
            {status}
          </p>
          {error && <p role="alert">{error}</p>}
          {state.items.length === 0 ? (
            <p>{n('notifications.empty')}</p>
          ) : (
            <ol className="notifications-list" aria-label={n('notifications.listLabel')}>
              {state.items.map((item) => {
                const summary = summaryOf(item);
                return (
                  <li key={item.id} className={item.read ? 'notification' : 'notification notification-unread'} id={`notification-${item.id}`}>
                    <div className="notification-main">
                      {!item.read && <span className="notification-unread-tag">{n('notifications.unread')}</span>}
                      {item.available && item.path ? (
                        <Link to={item.path} className="notification-link" onClick={() => (item.read ? undefined : void readOne(item))}>
                          {summary}
                        </Link>
                      ) : (
                        <span className="notification-link notification-gone">
                          {summary}
                          <span className="notification-gone-detail">{n('notifications.unavailableDetail')}</span>
                        </span>
                      )}
                      {item.excerpt && <p className="notification-excerpt">{item.excerpt}</p>}
                      <time dateTime={item.createdAt} className="notification-date">
                        {dateTime.format(new Date(item.createdAt))}
                      </time>
                    </div>
                    {!item.read && (
                      <button type="button" className="button button-secondary button-small" aria-label={n('notifications.markReadOf', { summary })} onClick={() => void readOne(item)}>
                        {n('notifications.markRead')}
                      </button>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
          {state.nextBefore && (
            <p>
              <button type="button" className="button button-secondary" onClick={() => void more(state.nextBefore as string)}>
                {n('notifications.more')}
              </button>
            </p>
          )}
        </>
      )}
    </Page>
  );
}
