import { normalizeAddress, normalizeSender } from '../../../src/customers/address';
import { DomainError } from '../../../src/common/errors/domain-error';

describe(normalizeAddress.name, () => {
  it.each([
    ['email', '  Li.Wei@Example.COM ', 'email', 'li.wei@example.com'],
    ['email', 'Li Wei <LI@example.cn>', 'email', 'li@example.cn'],
    ['sms', '+86 138 0013 8000', 'phone', '+8613800138000'],
    ['voice', '+1 (415) 555-2671', 'phone', '+14155552671'],
    ['wechat', ' wxid_abc123 ', 'wechat', 'wxid_abc123'],
    ['livechat', 'v_42', 'livechat', 'v_42'],
  ] as const)('normalizes %s %j', (channel, raw, kind, address) => {
    expect(normalizeAddress(channel, raw)).toEqual({ kind, address });
  });

  it('keys a phone given for sms and for voice the same', () => {
    expect(normalizeAddress('sms', '+8613800138000')).toEqual(
      normalizeAddress('voice', '+86 13800138000'),
    );
  });

  it.each([
    ['email', 'not-an-email', /not a valid e-mail/],
    ['sms', '12345', /not a valid phone number/],
    ['sms', '+86 abc', /not a valid phone number/],
    ['wechat', '   ', /must not be empty/],
    ['livechat', 'a\u0000b', /control characters/],
  ] as const)('refuses %s %j naming the field', (channel, raw, message) => {
    try {
      normalizeAddress(channel, raw, 'identities.0.address');
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('bad_request');
      expect((e as Error).message).toMatch(/^identities\.0\.address: /);
      expect((e as Error).message).toMatch(message);
    }
  });
});

describe(normalizeSender.name, () => {
  it.each([
    ['sms', ' +86 138 0013 8000 ', '+8613800138000'],
    ['sms', 'BANK', 'BANK'],
    ['sms', 'Acme Ltd', 'Acme Ltd'],
    ['sms', '95588', '95588'],
    ['voice', 'anonymous', 'anonymous'],
    ['email', 'Eve@Example.COM', 'eve@example.com'],
  ] as const)('%s sender %j is stored as %j', (channel, raw, address) => {
    expect(normalizeSender(channel, raw).address).toBe(address);
  });

  it.each(['X'.repeat(33), 'BA\u0000NK', 'B\u200bANK', ''])('refuses %j', (raw) => {
    expect(() => normalizeSender('sms', raw)).toThrow(DomainError);
  });
});
