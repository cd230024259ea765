import { useI18n } from './i18n.tsx';
import { useSession } from './session.ts';

/** Who is signed in. Sign-in itself is not built yet: a plain note says so, not a dead link. */
export function SessionStatus() {
  const { t } = useI18n();
  const session = useSession();
  return (
    <p className="session" data-session={session.state}>
      {session.state === 'loading' && t('ui.session.loading')}
      {session.state === 'signedIn' && t('ui.session.signedIn', { name: session.name })}
      {session.state === 'signedOut' && (
        <>
          <span className="session-state">{t('ui.session.signedOut')}</span>{' '}
          <span className="session-note">{t('ui.session.comingSoon')}</span>
        </>
      )}
    </p>
  );
}
