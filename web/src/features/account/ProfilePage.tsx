import { useSearchParams } from 'react-router';
import { getJson } from '../../app/api.ts';
import { fetchMe } from '../../app/me.ts';
import { useI18n } from '../../app/i18n.tsx';
import { PATHS } from '../../app/routes.ts';
import { AccountPage } from './AccountPage.tsx';
import { PersonalDataDownload } from './PersonalDataDownload.tsx';
import { NotificationPreferences } from '../notifications/NotificationPreferences.tsx'; // notifications (helper N)
import type { CurrentSession, Me, Provider } from './api.ts';
import { type AccountText, useAccountText } from './text.ts';
import { useLoad } from './useLoad.ts';

interface ProfileData {
  me: Me;
  session: CurrentSession;
  providers: Provider[];
  /** The federations linked to this account (`/api/me/federations`). */
  federations: { upstream: string; linkedAt: string }[];
}

async function loadProfile(signal: AbortSignal): Promise<ProfileData> {
  const [me, session, providers, federations] = await Promise.all([
    fetchMe<Me>(signal),
    getJson<CurrentSession>('/api/session', signal),
    // The federations' labels; without them the profile still shows the federation's name.
    getJson<{ providers: Provider[] }>('/api/auth/providers', signal).then(
      (body) => body.providers,
      () => [],
    ),
    getJson<{ federations: ProfileData['federations'] }>('/api/me/federations', signal).then(
      (body) => body.federations,
      () => [],
    ),
  ]);
  return { me, session, providers, federations };
}

const KNOWN_ROLES = new Set(['member', 'admin', 'trainer', 'manager', 'operator']);

function roleName(text: AccountText, role: string): string {
  return KNOWN_ROLES.has(role) ? text.a(`account.role.${role as 'member'}`) : role;
}

/** « Mon profil »: who the agent is, where they belong, and how this session was vouched for. */
export function ProfilePage() {
  const text = useAccountText();
  const { t } = useI18n();
  const { a } = text;
  const { loaded } = useLoad(loadProfile);
  // Back from linking a federation (`/profil?lie=<upstream>`, see /auth/link).
  const [params] = useSearchParams();
  const justLinked = params.get('lie');

  return (
    <AccountPage title={a('account.profile.title')} loaded={loaded}>
      {({ me, session, providers, federations }) => {
        const labelOf = (name: string) => {
          const known = providers.find((p) => p.name === name);
          return known ? (known.label[text.locale] ?? known.label['fr-FR'] ?? name) : name;
        };
        const federation = session.upstream ? labelOf(session.upstream) : null;
        // Only a federation of the account's own jurisdiction can be linked (a profile lives in one cell).
        const linkable = providers.filter((p) => p.jurisdiction === me.jurisdiction && !federations.some((f) => f.upstream === p.name));
        const level = session.assuranceLevel;
        const canStepUp = session.upstream !== null && (level === null || level === 'low');
        const stepUp = `/auth/login?${new URLSearchParams({ upstream: session.upstream ?? '', level: 'substantial', returnTo: PATHS.profile })}`;
        return (
          <>
            <section aria-labelledby="profile-identity">
              <h2 id="profile-identity">{a('account.profile.identity')}</h2>
              <dl className="account-facts">
                <div>
                  <dt>{a('account.profile.name')}</dt>
                  <dd>{`${me.givenName} ${me.familyName}`.trim()}</dd>
                </div>
                <div>
                  <dt>{a('account.profile.email')}</dt>
                  <dd>{me.email}</dd>
                </div>
                <div>
                  <dt>{a('account.profile.jurisdiction')}</dt>
                  <dd data-jurisdiction={me.jurisdiction}>{a(`account.jurisdiction.${me.jurisdiction}`)}</dd>
                </div>
                <div>
                  <dt>{a('account.profile.language')}</dt>
                  <dd>
                    <span lang={me.preferredLanguage}>{t(`ui.lang.name.${me.preferredLanguage}`)}</span>
                    <span className="hint account-fact-hint">{a('account.profile.languageHint')}</span>
                  </dd>
                </div>
              </dl>
            </section>

            <section aria-labelledby="profile-organisations">
              <h2 id="profile-organisations">{a('account.profile.organisations')}</h2>
              {me.organisations.length === 0 ? (
                <p>{a('account.profile.noOrganisation')}</p>
              ) : (
                <ul className="account-list">
                  {me.organisations.map((organisation) => (
                    <li key={organisation.id}>
                      <strong>{organisation.name}</strong> ({a(`account.jurisdiction.${organisation.jurisdiction}`)})
                      <br />
                      {a('account.profile.roles', { roles: organisation.roles.map((r) => roleName(text, r)).join(', ') })}
                    </li>
                  ))}
                </ul>
              )}
              {me.platformRoles.length > 0 && (
                <p>{a('account.profile.platformRoles', { roles: me.platformRoles.map((r) => roleName(text, r)).join(', ') })}</p>
              )}
            </section>

            <section aria-labelledby="profile-sign-in">
              <h2 id="profile-sign-in">{a('account.profile.signIn')}</h2>
              <dl className="account-facts">
                <div>
                  <dt>{a('account.profile.federation')}</dt>
                  <dd data-upstream={session.upstream ?? ''}>{federation ?? a('account.profile.noFederation')}</dd>
                </div>
                <div>
                  <dt>{a('account.profile.method')}</dt>
                  <dd>{a(session.upstream ? 'account.profile.method.federation' : 'account.profile.method.other')}</dd>
                </div>
                <div>
                  <dt>{a('account.profile.level')}</dt>
                  <dd data-level={level ?? ''}>
                    {level ? (
                      <>
                        <strong>{a(`account.level.${level}`)}</strong> — {a(`account.level.${level}.hint`)}
                      </>
                    ) : (
                      a('account.profile.level.unknown')
                    )}
                  </dd>
                </div>
              </dl>
              {canStepUp && (
                <>
                  <p className="hint" id="profile-step-up-hint">
                    {a('account.profile.stepUpHint')}
                  </p>
                  <p>
                    <a className="button button-secondary" href={stepUp} aria-describedby="profile-step-up-hint">
                      {a('account.profile.stepUp')}
                    </a>
                  </p>
                </>
              )}
            </section>

            <section aria-labelledby="profile-federations">
              <h2 id="profile-federations">{a('account.profile.federations')}</h2>
              {justLinked && federations.some((f) => f.upstream === justLinked) && (
                <p role="status" className="notice">
                  {a('account.profile.federations.linked', { federation: labelOf(justLinked) })}
                </p>
              )}
              <p>{a('account.profile.federations.intro')}</p>
              <ul className="account-list">
                {federations.map((f) => (
                  <li key={f.upstream} data-linked-upstream={f.upstream}>
                    <strong>{labelOf(f.upstream)}</strong> — {a('account.profile.federations.since', { date: text.date(f.linkedAt) })}
                  </li>
                ))}
              </ul>
              {session.upstream !== null && linkable.length > 0 && (
                <>
                  <p className="hint" id="profile-link-hint">
                    {a('account.profile.federations.linkHint')}
                  </p>
                  <ul className="account-list">
                    {linkable.map((p) => (
                      <li key={p.name}>
                        <a
                          href={`/auth/link?${new URLSearchParams({ upstream: p.name, returnTo: PATHS.profile })}`}
                          aria-describedby="profile-link-hint"
                        >
                          {a('account.profile.federations.link', { federation: labelOf(p.name) })}
                        </a>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>

            {/* notifications (helper N) */}
            <NotificationPreferences />
            <PersonalDataDownload />
          </>
        );
      }}
    </AccountPage>
  );
}
