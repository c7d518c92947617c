/** Short pages: an error (what went wrong, in plain words) or a confirmation, with a way back. */
import { t, type Language } from '../../customer-texts/catalog';
import { esc, pageShell } from './html';

export function renderMessagePage(options: {
  lang: Language;
  title: string;
  message: string;
  detail?: string;
  /** Where "back" leads (the preference page), in a given language; absent: no link. */
  backHref?: (l: Language) => string;
  backLabel?: string;
  error?: boolean;
}): string {
  const { lang, backHref } = options;
  const back = backHref
    ? `<p><a href="${esc(backHref(lang))}" data-testid="back">${esc(options.backLabel ?? t(lang, 'error.back'))}</a></p>`
    : '';
  const detail = options.detail ? `<p class="muted">${esc(options.detail)}</p>` : '';
  const body = `<p class="flash${options.error ? ' error' : ''}" role="${options.error ? 'alert' : 'status'}" data-testid="message">${esc(options.message)}</p>${detail}${back}`;
  return pageShell({
    lang,
    title: options.title,
    body,
    hrefOf: backHref && options.error ? backHref : (l) => `?lang=${l}`,
  });
}
