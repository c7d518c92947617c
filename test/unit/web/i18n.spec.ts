import { en } from '../../../web/src/i18n/en';
import { CATALOGS, pickLocale, translate } from '../../../web/src/i18n/catalogs';

describe('web app i18n catalogs', () => {
  it('has every key in both languages, none left empty', () => {
    const keys = Object.keys(en).sort();
    for (const catalog of Object.values(CATALOGS)) {
      expect(Object.keys(catalog).sort()).toEqual(keys);
      for (const k of keys) expect(catalog[k as keyof typeof en].trim()).not.toBe('');
    }
  });

  it('keeps the same {placeholders} in each translation', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [k, s] of Object.entries(en))
      expect(holes(CATALOGS['zh-CN'][k as keyof typeof en])).toEqual(holes(s));
  });

  it('picks zh-CN for any Chinese browser language, else English', () => {
    expect(pickLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLocale(['zh'])).toBe('zh-CN');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale(['fr-FR'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it('translates a key in each language', () => {
    expect(translate('en', 'email.loadRemote')).toBe('Load remote content');
    expect(translate('zh-CN', 'email.loadRemote')).toBe('加载远程内容');
  });
});
