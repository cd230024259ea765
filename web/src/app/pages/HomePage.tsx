import { Link } from 'react-router';
import { useI18n } from '../i18n.tsx';
import { Page } from '../Page.tsx';
import { DOMAINS } from '../routes.ts';

const VALUES = [
  'ui.home.values.useful',
  'ui.home.values.accessible',
  'ui.home.values.secure',
  'ui.home.values.sovereign',
  'ui.home.values.french',
] as const;

export function HomePage() {
  const { t } = useI18n();
  return (
    <Page
      title={t('ui.home.title')}
      heading={t('ui.home.heading')}
      className="home"
      meta={<p className="lead">{t('ui.home.lead')}</p>}
    >
      <p className="home-origin">{t('ui.home.origin')}</p>

      <section aria-labelledby="domains-heading" className="section">
        <h2 id="domains-heading">{t('ui.home.domains.heading')}</h2>
        <ul className="cards">
          {DOMAINS.map((domain, index) => (
            <li key={domain.id} className="card">
              <h3 className="card-title">
                <Link to={domain.path} className="card-link">
                  {t(domain.title)}
                </Link>
              </h3>
              <p className="card-kicker">{t('ui.area.position', { index: index + 1, total: DOMAINS.length })}</p>
              <p className="card-body">{t(domain.summary)}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="values-heading" className="section">
        <h2 id="values-heading">{t('ui.home.values.heading')}</h2>
        <ul className="values">
          {VALUES.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
