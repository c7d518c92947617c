import { withPreferenceFooter } from '../../../src/templates/preference-footer';
import type { RenderedTemplate } from '../../../src/templates/template-types';

const URL = 'https://hub.example/p/abc.def';
const email = (html: string, locale = 'en'): RenderedTemplate => ({
  key: 'k',
  channel: 'email',
  locale,
  variant: null,
  version: 1,
  text: 'Hello',
  html,
});

describe(withPreferenceFooter.name, () => {
  it('adds the link before </body> and to the text when the template does not show it', () => {
    const r = withPreferenceFooter(email('<html><body><p>Hi</p></body></html>'), URL);
    expect(r.html).toBe(
      `<html><body><p>Hi</p><p style="font-size: 12px; color: #777;"><a href="${URL}">Choose how we reach you</a></p></body></html>`,
    );
    expect(r.text).toBe(`Hello\n\nChoose how we reach you: ${URL}`);
    expect(withPreferenceFooter(email('<p>Hi</p>', 'zh-CN'), URL).html).toContain(
      '选择我们联系您的方式',
    );
  });

  it('leaves an e-mail that already carries it, and every other channel, as they are', () => {
    const placed = email(`<p><a href="${URL}">prefs</a></p>`);
    expect(withPreferenceFooter(placed, URL)).toBe(placed);
    const sms: RenderedTemplate = { ...email(''), channel: 'sms', html: undefined };
    expect(withPreferenceFooter(sms, URL)).toBe(sms);
  });
});
