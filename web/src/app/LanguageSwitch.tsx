import { LOCALES } from '@entente/common/i18n/locales.ts';
import { useI18n } from './i18n.tsx';

/**
 * The language switch: one button per language, each labelled in its own language (and marked
 * with `lang`), the current one pressed. Plain buttons: operable with Tab, Enter and Space.
 */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <fieldset className="lang-switch">
      <legend className="lang-switch-legend">{t('ui.lang.label')}</legend>
      <ul className="lang-switch-list">
        {LOCALES.map((option) => (
          <li key={option}>
            <button
              type="button"
              className="lang-switch-button"
              lang={option}
              aria-pressed={option === locale}
              onClick={() => setLocale(option)}
            >
              {t(`ui.lang.name.${option}`)}
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
