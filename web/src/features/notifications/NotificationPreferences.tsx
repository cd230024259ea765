import { useEffect, useState } from 'react';
import { fetchPreferences, KINDS, type NotificationKind, type NotificationPreference, savePreferences } from './api.ts';
import { useNotificationsText } from './text.ts';
import './notifications.css';
import { ScrollTable } from '../../ui/ScrollTable.tsx';

/** The two columns of checkboxes: in Entente, by mail. */
const CHANNELS = [
  { field: 'inApp', label: 'notifications.preferences.inAppOf' },
  { field: 'email', label: 'notifications.preferences.emailOf' },
] as const;

/**
 * The notification preferences on « Mon profil »: a table, one row per kind of event, a labelled
 * checkbox for « in Entente » and one for « by mail »; saved together with one button.
 */
export function NotificationPreferences() {
  const n = useNotificationsText();
  const [prefs, setPrefs] = useState<NotificationPreference[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    const abort = new AbortController();
    fetchPreferences(abort.signal)
      .then((body) => setPrefs(body.preferences))
      .catch(() => {
        if (!abort.signal.aborted) setFailed(true);
      });
    return () => abort.abort();
  }, []);

  if (failed) return null; // signed out or not deployed: the rest of the profile stays usable
  const set = (kind: NotificationKind, field: 'inApp' | 'email', value: boolean) => {
    setStatus('');
    setPrefs((current) => current?.map((p) => (p.kind === kind ? { ...p, [field]: value } : p)) ?? current);
  };

  async function save() {
    if (!prefs) return;
    setBusy(true);
    setStatus('');
    setError('');
    try {
      const saved = await savePreferences(prefs);
      if (saved) setPrefs(saved.preferences);
      setStatus(n('notifications.preferences.saved'));
    } catch {
      setError(n('notifications.preferences.failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="profile-notifications" className="notification-preferences">
      <h2 id="profile-notifications">{n('notifications.preferences.heading')}</h2>
      <p>{n('notifications.preferences.intro')}</p>
      {prefs && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <ScrollTable tableClassName="notification-preferences-table" caption={n('notifications.preferences.caption')}>
            <thead>
              <tr>
                <th scope="col">{n('notifications.preferences.column.kind')}</th>
                <th scope="col">{n('notifications.preferences.column.inApp')}</th>
                <th scope="col">{n('notifications.preferences.column.email')}</th>
              </tr>
            </thead>
            <tbody>
              {KINDS.map((kind) => {
                const pref = prefs.find((p) => p.kind === kind);
                if (!pref) return null;
                const label = n(`notifications.preferences.kind.${kind}`);
                return (
                  <tr key={kind}>
                    <th scope="row">{label}</th>
                    {CHANNELS.map(({ field, label: channel }) => (
                      <td key={field}>
                        <input
                          type="checkbox"
                          name={`${kind}-${field}`}
                          aria-label={n(channel, { kind: label })}
                          checked={pref[field]}
                          onChange={(e) => set(kind, field, e.target.checked)}
                        />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </ScrollTable>
          <p>
            <button type="submit" className="button" disabled={busy}>
              {n('notifications.preferences.save')}
            </button>
          </p>
        </form>
      )}
      <p aria-live="polite" aria-atomic="true">{status}</p>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
