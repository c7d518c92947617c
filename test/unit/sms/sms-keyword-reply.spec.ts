import {
  smsKeywordReply,
  smsReplyLanguage,
  type SmsKeywordTexts,
} from '../../../src/twilio/sms-keyword-reply';

const TEXTS: SmsKeywordTexts = {
  SMS_HELP_TEXT: 'help',
  SMS_HELP_TEXT_ZH: '帮助',
  SMS_OPTOUT_TEXT: 'unsubscribed',
  SMS_OPTOUT_TEXT_ZH: '已退订',
  SMS_OPTIN_TEXT: 'subscribed',
  SMS_OPTIN_TEXT_ZH: '已订阅',
};

describe(smsReplyLanguage.name, () => {
  it.each([
    // A zh* locale answers in Chinese whatever the keyword.
    ['zh-CN', 'en', 'zh'],
    ['zh-TW', 'en', 'zh'],
    ['ZH', 'zh', 'zh'],
    // No customer yet: the keyword's language.
    [null, 'zh', 'zh'],
    [null, 'en', 'en'],
    // 'en' is every customer's default: it does not overrule a keyword written in Chinese.
    ['en', 'zh', 'zh'],
    ['en', 'en', 'en'],
    ['fr', 'en', 'en'],
  ] as const)('locale %j, keyword in %s -> %s', (locale, keywordLanguage, expected) => {
    expect(smsReplyLanguage(locale, keywordLanguage)).toBe(expected);
  });
});

describe(smsKeywordReply.name, () => {
  it.each([
    ['optout', 'en', 'unsubscribed'],
    ['optout', 'zh', '已退订'],
    ['optin', 'en', 'subscribed'],
    ['optin', 'zh', '已订阅'],
    ['help', 'en', 'help'],
    ['help', 'zh', '帮助'],
  ] as const)('%s in %s', (keyword, language, expected) => {
    expect(smsKeywordReply({ keyword, language: 'en' }, language, TEXTS)).toBe(expected);
  });

  it('sends nothing for a text configured empty', () => {
    expect(
      smsKeywordReply({ keyword: 'optout', language: 'zh' }, 'zh', {
        ...TEXTS,
        SMS_OPTOUT_TEXT_ZH: '',
      }),
    ).toBeUndefined();
  });
});
