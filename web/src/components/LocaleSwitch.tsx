import { locale, setLocale, t, type Locale } from '../i18n';

const CHOICES: Array<[Locale, string]> = [
  ['zh-CN', '简体中文'],
  ['en', 'English'],
];

/** The language switch: stored in this browser, applied by reloading the app. */
export function LocaleSwitch() {
  return (
    <label class="locale-switch">
      <span class="sr-only">{t('locale.label')}</span>
      <select
        value={locale}
        aria-label={t('locale.label')}
        data-testid="locale-switch"
        onChange={(e) => setLocale(e.currentTarget.value as Locale)}
      >
        {CHOICES.map(([value, label]) => (
          <option value={value}>{label}</option>
        ))}
      </select>
    </label>
  );
}
