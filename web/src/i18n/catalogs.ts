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

/** The string for key in that locale; {name} placeholders are filled from params. */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const s = CATALOGS[locale][key] ?? en[key];
  return s.replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] === undefined ? m : String(params[name]),
  );
}
