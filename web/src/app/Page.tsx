import { type ReactNode, useEffect } from 'react';
import { useI18n } from './i18n.tsx';

interface PageProps {
  /** The page's name, in the tab title (« {title} — Entente »). */
  title: string;
  /** The visible main heading, when it differs from the title. */
  heading?: string;
  /** The heading's language when it is not the interface's (a document's title: its own). */
  headingLang?: string;
  /** Shown under the heading, e.g. the domain's position or status. */
  meta?: ReactNode;
  className?: string;
  children: ReactNode;
}

/**
 * One page of the app: its title in the browser tab and its single <h1>. The heading takes focus
 * (tabIndex −1) after each in-app navigation, so a screen reader announces the new page.
 */
export function Page({ title, heading, headingLang, meta, className, children }: PageProps) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('ui.title.template', { page: title });
  }, [t, title]);
  return (
    <div className={className ? `page ${className}` : 'page'}>
      <div className="page-header">
        <h1 tabIndex={-1} lang={headingLang}>
          {heading ?? title}
        </h1>
        {meta}
      </div>
      {children}
    </div>
  );
}
