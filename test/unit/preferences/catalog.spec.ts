import {
  CATALOG,
  LANGUAGES,
  languageOf,
  pickLanguage,
  t,
} from '../../../src/customer-texts/catalog';
import { maskAddress } from '../../../src/preferences/address-mask';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the customer pages catalog', () => {
  it('has every key in both languages, none empty, with the same placeholders', () => {
    const keys = new Set(LANGUAGES.flatMap((l) => Object.keys(CATALOG[l])));
    expect(keys.size).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const key of keys)
      for (const lang of LANGUAGES) {
        const text = (CATALOG[lang] as Record<string, string | undefined>)[key];
        if (!text?.trim()) problems.push(`${lang} ${key}: missing`);
        else if (
          JSON.stringify(placeholders(text)) !==
          JSON.stringify(placeholders((CATALOG.en as Record<string, string>)[key] ?? ''))
        )
          problems.push(`${lang} ${key}: placeholders differ from en`);
      }
    expect(problems).toEqual([]);
  });

  it('fills placeholders, and picks the language from ?lang= or the locale', () => {
    expect(t('en', 'why.plain', { channel: 'SMS' })).toBe('Sent by SMS.');
    expect(languageOf('zh')).toBe('zh-CN');
    expect(languageOf('zh-TW')).toBe('zh-CN');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf('fr')).toBe('en');
    expect(languageOf(null)).toBe('en');
    expect(pickLanguage('en', 'zh-CN')).toBe('en');
    expect(pickLanguage('zh-CN', 'en')).toBe('zh-CN');
    expect(pickLanguage('de', 'zh-CN')).toBe('zh-CN');
    expect(pickLanguage(['en'], 'zh')).toBe('zh-CN');
  });
});

describe(maskAddress.name, () => {
  it.each([
    ['phone', '+8613812345678', '138****5678'],
    ['phone', '+14155550123', '+14****0123'],
    ['email', 'carol@example.com', 'c***@example.com'],
    ['wechat', 'wxid_abcdef123', 'wx****23'],
    ['livechat', 'v-1', '****'],
  ])('%s %s -> %s', (kind, address, masked) => {
    expect(maskAddress(kind, address)).toBe(masked);
  });
});
