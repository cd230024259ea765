import { Link } from 'react-router';
import { useI18n } from '../i18n.tsx';
import { Page } from '../Page.tsx';
import { DOMAINS, type Domain, PATHS } from '../routes.ts';

/** A domain of Entente that is being built: what it will offer, said plainly. */
export function AreaPage({ domain, index }: { domain: Domain; index: number }) {
  const { t } = useI18n();
  return (
    <Page
      title={t(domain.title)}
      className="area"
      meta={
        <p className="page-meta">
          <span>{t('ui.area.position', { index: index + 1, total: DOMAINS.length })}</span>
          <span className="badge badge-building">{t('ui.area.status')}</span>
        </p>
      }
    >
      <p className="lead">{t(domain.summary)}</p>
      <p className="notice">{t('ui.area.intro')}</p>
      <h2>{t('ui.area.offersHeading')}</h2>
      <ul className="offers">
        {domain.offers.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>
      <p className="back">
        <Link to={PATHS.home}>{t('ui.common.backHome')}</Link>
      </p>
    </Page>
  );
}
