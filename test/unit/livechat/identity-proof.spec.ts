import { createHmac } from 'crypto';
import { clientAddress } from '../../../src/livechat/client-address';
import {
  codeHash,
  codeMatches,
  identityHashValid,
  maskAddress,
  newCode,
} from '../../../src/livechat/identity-proof';

const SECRET = 'a-secret-of-sixteen-plus';
const sign = (id: string, key = SECRET) => createHmac('sha256', key).update(id).digest('hex');

describe('identityHashValid', () => {
  it.each([
    ['the hash of the identifier', sign('ann@example.cn'), true],
    ['the same hash in capitals', sign('ann@example.cn').toUpperCase(), true],
    ['another identifier', sign('bob@example.cn'), false],
    ['another key', sign('ann@example.cn', 'another-secret-key'), false],
    ['a truncated hash', sign('ann@example.cn').slice(0, 62), false],
    ['a padded hash', `${sign('ann@example.cn')}00`, false],
    ['no hash', undefined, false],
    ['not a string', 42, false],
  ])('%s -> %s', (_what, given, valid) => {
    expect(identityHashValid(SECRET, 'ann@example.cn', given)).toBe(valid);
  });

  it('accepts nothing when no secret is configured', () => {
    expect(identityHashValid(undefined, 'ann@example.cn', sign('ann@example.cn', ''))).toBe(false);
    expect(identityHashValid('', 'ann@example.cn', sign('ann@example.cn', ''))).toBe(false);
  });
});

describe('one-time codes', () => {
  it('are six digits and match only their own claim', () => {
    const code = newCode();
    expect(code).toMatch(/^\d{6}$/);
    const stored = codeHash('k', 'claim-1', code);
    expect(stored).not.toContain(code);
    expect(codeMatches('k', 'claim-1', code, stored)).toBe(true);
    expect(codeMatches('k', 'claim-2', code, stored)).toBe(false);
    expect(codeMatches('other', 'claim-1', code, stored)).toBe(false);
  });

  it('masks the address the code went to', () => {
    expect(maskAddress('email', 'chen.jing@example.cn')).toBe('c***@example.cn');
    expect(maskAddress('phone', '+8613800138000')).toBe('+86*******8000');
  });
});

describe('clientAddress', () => {
  const hs = (address: string, xff?: string) => ({
    address,
    headers: xff ? { 'x-forwarded-for': xff } : {},
  });
  it.each([
    [
      'a public peer, its own X-Forwarded-For ignored',
      hs('203.0.113.9', '10.9.9.9'),
      '203.0.113.9',
    ],
    [
      'a proxy on loopback: the hop it appended',
      hs('127.0.0.1', '1.1.1.1, 198.51.100.4'),
      '198.51.100.4',
    ],
    ['a proxy on a private network', hs('::ffff:10.0.0.2', '198.51.100.5'), '198.51.100.5'],
    ['a loopback peer without the header', hs('::1'), '::1'],
  ])('%s', (_what, handshake, expected) => {
    expect(clientAddress(handshake as never)).toBe(expected);
  });
});
