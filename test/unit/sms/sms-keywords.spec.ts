import {
  detectSmsKeyword,
  keywordFromOptOutType,
} from '../../../channel-adapters/sms/sms-keywords';

describe(detectSmsKeyword.name, () => {
  it.each([
    ['STOP', 'optout'],
    ['stop', 'optout'],
    ['Stop', 'optout'],
    ['  STOP  ', 'optout'],
    ['STOP.', 'optout'],
    ['"stop!"', 'optout'],
    ['StopAll', 'optout'],
    ['unsubscribe', 'optout'],
    ['CANCEL', 'optout'],
    ['end', 'optout'],
    ['Quit', 'optout'],
    ['退订', 'optout'],
    [' 退订。', 'optout'],
    ['【退订】', 'optout'],
    ['ＳＴＯＰ', 'optout'],
    ['START', 'optin'],
    ['yes', 'optin'],
    ['Unstop!', 'optin'],
    ['HELP', 'help'],
    ['info?', 'help'],
    ['\nhelp\n', 'help'],
  ])('reads %j as %s', (body, expected) => {
    expect(detectSmsKeyword(body)).toBe(expected);
  });

  it.each([
    'STOP please',
    'please stop',
    'stop it',
    'STOP ALL',
    'Yes I would like that',
    'stopp',
    'HELPER',
    '退订吗好',
    '',
    '   ',
    '!!!',
  ])('does not read %j as a keyword', (body) => {
    expect(detectSmsKeyword(body)).toBeNull();
  });

  it('treats a missing body as no keyword', () => {
    expect(detectSmsKeyword(undefined)).toBeNull();
    expect(detectSmsKeyword(null)).toBeNull();
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
