import { jsonDepthExceeds, pathWithNul } from '../../../src/http/http-server';
import { isIanaTimeZone } from '../../../src/common/time-zone';
import { AppConfig } from '../../../src/config/app-config';

describe('hostile input checks', () => {
  it('measures JSON depth outside strings, escapes included', () => {
    expect(jsonDepthExceeds('[[[]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[]]]]', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(jsonDepthExceeds('[{"a":[1]},{"b":[2]}]', 3)).toBe(false);
  });

  it('names the first field holding a NUL, keys included', () => {
    expect(pathWithNul({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, [])).toBe('a.1.c');
    expect(pathWithNul('\u0000', [])).toBe('body');
    expect(pathWithNul({ ['k\u0000']: 1 }, [])).toBe('k\\u0000');
    expect(pathWithNul({ a: 1, b: null, c: ['fine'] }, [])).toBeNull();
  });

  it('takes IANA zone names only', () => {
    for (const tz of ['UTC', 'Asia/Shanghai', 'America/Argentina/Buenos_Aires', 'Etc/GMT+8'])
      expect(isIanaTimeZone(tz)).toBe(true);
    for (const tz of ['+08:00', '-0500', 'Mars/Olympus', '', 'UTC ', 'Asia/Shanghai\n'])
      expect(isIanaTimeZone(tz)).toBe(false);
  });

  it('refuses to start with a BUSINESS_TIMEZONE that is not an IANA zone', () => {
    expect(() => AppConfig.load({ BUSINESS_TIMEZONE: '+08:00' })).toThrow(
      /BUSINESS_TIMEZONE: must be an IANA time zone/,
    );
  });
});
