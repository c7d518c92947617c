import { createInstance, type i18n as I18n } from 'i18next';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey } from './en';
export type Locale = 'en' | 'zh-CN';

export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The first of the browser's languages we have a catalog for (any zh-* reads as zh-CN), else en. */
export function pickLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

let engine: I18n | null = null;

/**
 * The i18next instance holding both catalogs (created on first use, synchronously: the catalogs
 * are bundled). Placeholders are written `{name}`; values are not HTML-escaped here because
 * Preact escapes text it renders.
 */
function i18n(): I18n {
  if (engine !== null) return engine;
  engine = createInstance();
  void engine.init({
    initAsync: false,
    resources: { en: { translation: en }, 'zh-CN': { translation: CATALOGS['zh-CN'] } },
    lng: 'en',
    fallbackLng: 'en',
    keySeparator: false,
    nsSeparator: false,
    interpolation: { prefix: '{', suffix: '}', escapeValue: false },
    returnNull: false,
  });
  return engine;
}

/** The string for key in that locale; {name} placeholders are filled from params. */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return i18n().t(key, { ...params, lng: locale });
}
