import { Link } from 'react-router';
import { useI18n } from '../i18n.tsx';
import { Page } from '../Page.tsx';
import { PATHS } from '../routes.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t('ui.notFound.title')} className="not-found" meta={<p className="page-meta">{t('ui.notFound.code')}</p>}>
      <p className="lead">{t('ui.notFound.body')}</p>
      <p className="back">
        <Link to={PATHS.home} className="button">
          {t('ui.common.backHome')}
        </Link>
      </p>
    </Page>
  );
}
