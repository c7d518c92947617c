/**
 * Every marketing e-mail carries the recipient's preference-centre link (API.md: "Marketing
 * messages carry its link"). A template that shows `{{preferencesUrl}}` places it itself; one
 * that does not (a marketer's own version) gets a footer line before </body>, in its locale.
 */
import type { RenderedTemplate } from './template-types';

const LABEL: Readonly<Record<string, string>> = {
  en: 'Choose how we reach you',
  zh: '选择我们联系您的方式',
};

const escapeAttribute = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function withPreferenceFooter<T extends RenderedTemplate>(rendered: T, url: string): T {
  if (rendered.channel !== 'email' || rendered.html === undefined) return rendered;
  const href = escapeAttribute(url);
  if (rendered.html.includes(href) || rendered.html.includes(url)) return rendered;
  const label = LABEL[rendered.locale.slice(0, 2).toLowerCase()] ?? LABEL.en;
  const footer = `<p style="font-size: 12px; color: #777;"><a href="${href}">${label}</a></p>`;
  const at = rendered.html.lastIndexOf('</body>');
  const html =
    at < 0 ? rendered.html + footer : rendered.html.slice(0, at) + footer + rendered.html.slice(at);
  return { ...rendered, html, text: `${rendered.text.trimEnd()}\n\n${label}: ${url}` };
}
