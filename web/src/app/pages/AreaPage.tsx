import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../i18n.tsx';
import { Page } from '../Page.tsx';
import { DOMAINS, type Domain, PATHS } from '../routes.ts';
import { SkillsAreaLinks } from '../../features/skills/SkillsAreaLinks.tsx'; // digital skills (helper W)
import { CredentialsAreaLinks } from '../../features/credentials/Links.tsx'; // verifiable attestations (issue 9)

/** Domains whose pages exist: their area page leads to them instead of saying « en construction ». */
const LIVE_DOMAINS: Readonly<Record<string, () => ReactNode>> = {
  skills: () => <SkillsAreaLinks />, // digital skills (helper W)
  identity: () => <CredentialsAreaLinks />, // verifiable attestations (issue 9)
};

/** A domain of Entente: what it offers, said plainly, and its pages once they exist. */
export function AreaPage({ domain, index }: { domain: Domain; index: number }) {
  const { t } = useI18n();
  const live = LIVE_DOMAINS[domain.id];
  return (
    <Page
      title={t(domain.title)}
      className="area"
      meta={
        <p className="page-meta">
          <span>{t('ui.area.position', { index: index + 1, total: DOMAINS.length })}</span>
          {!live && <span className="badge badge-building">{t('ui.area.status')}</span>}
        </p>
      }
    >
      <p className="lead">{t(domain.summary)}</p>
      {live ? live() : <p className="notice">{t('ui.area.intro')}</p>}
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
