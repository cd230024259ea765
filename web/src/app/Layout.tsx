import { type RefObject, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { useI18n } from './i18n.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { API_DOCS_URL, DOMAINS, PATHS } from './routes.ts';
import { SessionStatus } from './SessionStatus.tsx';
import { AdminLinks } from '../features/organisations/AdminLinks.tsx';
import { formatMessage } from '@entente/common/i18n/format.ts';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx'; // notifications (helper N)
import { HeaderSearch } from '../features/search/HeaderSearch.tsx'; // full-text search (helper Q)

/** Entente's mark: three bars, the colours of the two states' public services. */
function Mark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" width="40" height="40" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="4" className="brand-mark-bg" />
      <rect x="8" y="7" width="16" height="4" className="brand-mark-bar" />
      <rect x="8" y="14" width="11" height="4" className="brand-mark-bar brand-mark-bar-qc" />
      <rect x="8" y="21" width="16" height="4" className="brand-mark-bar" />
    </svg>
  );
}

/** Moves focus to the new page's heading after an in-app navigation (not on first load). */
function useFocusOnNavigation(main: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    window.scrollTo(0, 0);
    const heading = main.current?.querySelector<HTMLElement>('h1');
    (heading ?? main.current)?.focus();
  }, [pathname, main]);
}

export function Layout() {
  const { t, locale } = useI18n();
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigation(main);

  return (
    <>
      {/* Following #main focuses <main> (tabIndex −1), so the next Tab continues from the content. */}
      <a className="skip-link" href="#main">
        {t('ui.shell.skipLink')}
      </a>
      <header className="site-header">
        <div className="container site-header-top">
          <Link to={PATHS.home} className="brand">
            <Mark />
            <span className="brand-text">
              <span className="brand-name">{t('ui.app.name')}</span>
              <span className="brand-tagline">{t('ui.app.tagline')}</span>
            </span>
          </Link>
          <div className="site-header-tools">
            {/* notifications (helper N) */}
            <NotificationBell />
            <SessionStatus />
            <AdminLinks />
            <LanguageSwitch />
            <HeaderSearch /> {/* full-text search (helper Q) */}
          </div>
        </div>
        <nav className="main-nav" aria-label={t('ui.nav.label')}>
          <ul className="container main-nav-list">
            <li>
              <NavLink to={PATHS.home} end className="main-nav-link">
                {t('ui.nav.home')}
              </NavLink>
            </li>
            <li>
              <NavLink to={PATHS.spaces} className="main-nav-link">
                {formatMessage(locale, 'workspace.nav.spaces')}
              </NavLink>
            </li>
            {DOMAINS.map((domain) => (
              <li key={domain.id}>
                <NavLink to={domain.path} className="main-nav-link">
                  {t(domain.short)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="site-main">
        <div className="container">
          <Outlet />
        </div>
      </main>
      <footer className="site-footer">
        <div className="container">
          <p className="site-footer-brand">
            <Mark />
            <span>{t('ui.app.name')}</span>
          </p>
          <p className="site-footer-about">{t('ui.footer.about')}</p>
          <nav aria-label={t('ui.footer.label')}>
            <ul className="site-footer-links">
              <li>
                <Link to={PATHS.accessibility}>{t('ui.footer.accessibility')}</Link>
              </li>
              <li>
                <Link to={PATHS.legal}>{t('ui.footer.legal')}</Link>
              </li>
              <li>
                <a href={API_DOCS_URL}>{t('ui.footer.api')}</a>
              </li>
            </ul>
          </nav>
        </div>
      </footer>
    </>
  );
}
