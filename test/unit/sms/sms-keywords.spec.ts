import {
  detectSmsKeyword,
  keywordFromOptOutType,
  readInboundSmsKeyword,
  readSmsKeyword,
  type SmsKeywordReading,
} from '../../../channel-adapters/sms/sms-keywords';

/** Every keyword with its meaning and language: each is tried in every form below. */
const KEYWORDS: Array<[string, SmsKeywordReading]> = [
  ['STOP', { keyword: 'optout', language: 'en' }],
  ['STOPALL', { keyword: 'optout', language: 'en' }],
  ['UNSUBSCRIBE', { keyword: 'optout', language: 'en' }],
  ['CANCEL', { keyword: 'optout', language: 'en' }],
  ['END', { keyword: 'optout', language: 'en' }],
  ['QUIT', { keyword: 'optout', language: 'en' }],
  ['OPTOUT', { keyword: 'optout', language: 'en' }],
  ['REVOKE', { keyword: 'optout', language: 'en' }],
  ['T', { keyword: 'optout', language: 'zh' }],
  ['TD', { keyword: 'optout', language: 'zh' }],
  ['N', { keyword: 'optout', language: 'zh' }],
  ['退订', { keyword: 'optout', language: 'zh' }],
  ['取消', { keyword: 'optout', language: 'zh' }],
  ['退出', { keyword: 'optout', language: 'zh' }],
  ['START', { keyword: 'optin', language: 'en' }],
  ['YES', { keyword: 'optin', language: 'en' }],
  ['UNSTOP', { keyword: 'optin', language: 'en' }],
  ['订阅', { keyword: 'optin', language: 'zh' }],
  ['HELP', { keyword: 'help', language: 'en' }],
  ['INFO', { keyword: 'help', language: 'en' }],
  ['帮助', { keyword: 'help', language: 'zh' }],
];

/** ASCII letters -> their full-width forms (Ｕ+FF21...), as Chinese input methods type them. */
const fullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01));
const capitalized = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

/** The forms a customer writes a keyword in; all must read the same. */
const FORMS: Array<[string, (k: string) => string]> = [
  ['as listed', (k) => k],
  ['lower case', (k) => k.toLowerCase()],
  ['capitalized', capitalized],
  ['full-width', fullWidth],
  ['full-width lower case', (k) => fullWidth(k.toLowerCase())],
  ['with spaces and new lines around', (k) => `  \n${k}\t `],
  ['with an ideographic space around', (k) => `\u3000${k}\u3000`],
  ['with a full stop', (k) => `${k}.`],
  ['with a Chinese full stop', (k) => `${k}。`],
  ['with a full-width question mark', (k) => `${k}？`],
  ['quoted with an exclamation mark', (k) => `"${k}!"`],
  ['in Chinese brackets', (k) => `【${k}】`],
  ['with an emoji', (k) => `${k} 🙏`],
  ['with a zero-width space', (k) => `\u200b${k}\u200b`],
];

describe(readSmsKeyword.name, () => {
  describe.each(KEYWORDS)('%s', (keyword, reading) => {
    it.each(FORMS)('%s', (_form, write) => {
      expect(readSmsKeyword(write(keyword))).toEqual(reading);
    });
  });

  it.each([
    // More than the keyword: for an agent to read.
    'STOP please',
    'please stop',
    'stop it',
    'STOP ALL',
    'S T O P',
    'Yes I would like that',
    'TDD',
    'TD退订',
    'NO',
    'No',
    'OK',
    'stopp',
    'HELPER',
    'OPT OUT',
    'OPT-OUT',
    // A Chinese question particle or word is part of the body: a question, not an opt-out.
    '退订吗?',
    '退订吗？',
    '怎么退订',
    '我要退订',
    '退订吗好',
    '退 订',
    '取消订单',
    '取消了吗',
    '订阅号',
    // Not standard enough to grant consent: 开通 also means "activate a paid service".
    '开通',
    '恢复',
    '',
    '   ',
    '!!!',
  ])('does not read %j as a keyword', (body) => {
    expect(readSmsKeyword(body)).toBeNull();
  });

  it('treats a missing body as no keyword', () => {
    expect(readSmsKeyword(undefined)).toBeNull();
    expect(readSmsKeyword(null)).toBeNull();
  });

  it('does not take inherited object keys for keywords', () => {
    expect(readSmsKeyword('constructor')).toBeNull();
    expect(readSmsKeyword('__proto__')).toBeNull();
  });
});

describe(detectSmsKeyword.name, () => {
  it('gives the keyword alone', () => {
    expect(detectSmsKeyword('ＴＤ')).toBe('optout');
    expect(detectSmsKeyword('订阅')).toBe('optin');
    expect(detectSmsKeyword('STOP please')).toBeNull();
  });
});

describe(keywordFromOptOutType.name, () => {
  it('maps Twilio Advanced Opt-Out types', () => {
    expect(keywordFromOptOutType('STOP')).toBe('optout');
    expect(keywordFromOptOutType('START')).toBe('optin');
    expect(keywordFromOptOutType('HELP')).toBe('help');
    expect(keywordFromOptOutType(undefined)).toBeNull();
  });
});

describe(readInboundSmsKeyword.name, () => {
  it('reads the body first', () => {
    expect(readInboundSmsKeyword('退订', 'START')).toEqual({ keyword: 'optout', language: 'zh' });
  });

  it("takes Twilio's OptOutType for a keyword of its own, in the body's script", () => {
    expect(readInboundSmsKeyword('不要再发了', 'STOP')).toEqual({
      keyword: 'optout',
      language: 'zh',
    });
    expect(readInboundSmsKeyword('ARRET', 'STOP')).toEqual({ keyword: 'optout', language: 'en' });
    expect(readInboundSmsKeyword('hello', undefined)).toBeNull();
  });
});
