import { pickLocale, translate, type Locale, type MessageKey } from './catalogs';

export type { Locale, MessageKey } from './catalogs';

/** localStorage 'hub.locale' when set, else the browser's languages. */
function browserLocale(): Locale {
  const stored = localStorage.getItem('hub.locale');
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  return pickLocale(stored ? [stored, ...langs] : langs);
}

export const locale: Locale = browserLocale();
document.documentElement.lang = locale;

/** The string for key in the app's locale; {name} placeholders are filled from params. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return translate(locale, key, params);
}

/** Keeps the choice in this browser and reloads, so every screen renders in it. */
export function setLocale(next: Locale): void {
  localStorage.setItem('hub.locale', next);
  location.reload();
}
