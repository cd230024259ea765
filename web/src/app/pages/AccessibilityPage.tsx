import { useI18n } from '../i18n.tsx';
import { Page } from '../Page.tsx';

/** When this statement was last established (noon UTC: the same calendar day on both sides). */
const STATEMENT_DATE = new Date(Date.UTC(2026, 10, 28, 12));

const DEFENSEUR_FORM = 'https://formulaire.defenseurdesdroits.fr/';
const DEFENSEUR_DELEGATES = 'https://www.defenseurdesdroits.fr/carte-des-delegues';

/** RGAA 4.1 accessibility statement (« déclaration d’accessibilité »), following its model. */
export function AccessibilityPage() {
  const { t } = useI18n();
  return (
    <Page title={t('ui.a11y.title')} className="prose">
      <p className="lead">{t('ui.a11y.intro')}</p>
      <p>{t('ui.a11y.scope')}</p>

      <h2>{t('ui.a11y.status.heading')}</h2>
      <p className="notice">{t('ui.a11y.status.body')}</p>
      <p>{t('ui.a11y.status.meaning')}</p>

      <h2>{t('ui.a11y.tests.heading')}</h2>
      <p>{t('ui.a11y.tests.intro')}</p>
      <ul>
        <li>{t('ui.a11y.tests.axe')}</li>
        <li>{t('ui.a11y.tests.keyboard')}</li>
        <li>{t('ui.a11y.tests.language')}</li>
      </ul>
      <p>{t('ui.a11y.tests.limits')}</p>

      <h2>{t('ui.a11y.nonAccessible.heading')}</h2>
      <p>{t('ui.a11y.nonAccessible.body')}</p>

      <h2>{t('ui.a11y.establishment.heading')}</h2>
      <p>{t('ui.a11y.establishment.date', { date: STATEMENT_DATE })}</p>
      <ul>
        <li>{t('ui.a11y.establishment.tech')}</li>
        <li>{t('ui.a11y.establishment.tools')}</li>
      </ul>

      <h2>{t('ui.a11y.contact.heading')}</h2>
      <p>{t('ui.a11y.contact.body')}</p>
      <ul>
        <li>{t('ui.a11y.contact.fr')}</li>
        <li>{t('ui.a11y.contact.qc')}</li>
      </ul>

      <h2>{t('ui.a11y.recourse.heading')}</h2>
      <p>{t('ui.a11y.recourse.intro')}</p>
      <ul>
        <li>
          <a href={DEFENSEUR_FORM} rel="noopener noreferrer">
            {t('ui.a11y.recourse.form')}
          </a>
        </li>
        <li>
          <a href={DEFENSEUR_DELEGATES} rel="noopener noreferrer">
            {t('ui.a11y.recourse.delegate')}
          </a>
        </li>
        <li>{t('ui.a11y.recourse.post')}</li>
      </ul>
      <p>{t('ui.a11y.recourse.qc')}</p>
    </Page>
  );
}
