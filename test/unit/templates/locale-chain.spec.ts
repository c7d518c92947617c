import { localeChain } from '../../../src/templates/locale-chain';

describe('localeChain', () => {
  it.each<[string | undefined, string[]]>([
    ['zh-CN', ['zh-CN', 'zh', 'en']],
    ['zh_cn', ['zh-CN', 'zh', 'en']],
    ['zh', ['zh', 'zh-CN', 'en']],
    ['zh-Hans', ['zh-Hans', 'zh', 'zh-CN', 'en']],
    ['zh-SG', ['zh-SG', 'zh', 'zh-CN', 'en']],
    ['zh-TW', ['zh-TW', 'zh', 'en']],
    ['zh-Hant-HK', ['zh-Hant-HK', 'zh-Hant', 'zh', 'en']],
    ['en-GB', ['en-GB', 'en']],
    [undefined, ['en']],
  ])('%s -> %j', (locale, chain) => {
    expect(localeChain(locale, 'en')).toEqual(chain);
  });
});
