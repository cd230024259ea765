import { useI18n } from '../i18n.tsx';
import { Page } from '../Page.tsx';

/** Legal notice and personal data (GDPR in France, Law 25 in Québec). */
export function LegalPage() {
  const { t } = useI18n();
  return (
    <Page title={t('ui.legal.title')} className="prose">
      <h2>{t('ui.legal.publisher.heading')}</h2>
      <p>{t('ui.legal.publisher.body')}</p>

      <h2>{t('ui.legal.hosting.heading')}</h2>
      <p>{t('ui.legal.hosting.body')}</p>

      <h2>{t('ui.legal.data.heading')}</h2>
      <p>{t('ui.legal.data.intro')}</p>
      <ul>
        <li>{t('ui.legal.data.identity')}</li>
        <li>{t('ui.legal.data.sessions')}</li>
        <li>{t('ui.legal.data.content')}</li>
        <li>{t('ui.legal.data.skills')}</li>
      </ul>
      <p>{t('ui.legal.data.cell')}</p>
      <p>{t('ui.legal.data.purpose')}</p>

      <h2>{t('ui.legal.rights.heading')}</h2>
      <p>{t('ui.legal.rights.gdpr')}</p>
      <p>{t('ui.legal.rights.law25')}</p>

      <h2>{t('ui.legal.cookies.heading')}</h2>
      <p>{t('ui.legal.cookies.intro')}</p>
      <ul>
        <li>{t('ui.legal.cookies.session')}</li>
        <li>{t('ui.legal.cookies.lang')}</li>
      </ul>
      <p>{t('ui.legal.cookies.consent')}</p>
    </Page>
  );
}
