import { LinkSigner } from '../../../src/tracking/link-signer';
import {
  preferenceUrl,
  readPreferenceToken,
  signPreferenceToken,
} from '../../../src/tracking/preference-links';

const signer = new LinkSigner('unit-secret');
const CUSTOMER = '0b7c6f2e-2a4f-4f7e-9d0a-3c1e5b2d8f90';
const ISSUED = new Date('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

describe('preference-centre token', () => {
  const { token, expiresAt } = signPreferenceToken(signer, CUSTOMER, ISSUED, 90);

  it('reads back the customer, when it was issued and when it expires', () => {
    expect(expiresAt.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(readPreferenceToken(signer, token, new Date(ISSUED.getTime() + DAY))).toEqual({
      ok: true,
      customerId: CUSTOMER,
      issuedAt: ISSUED,
      expiresAt,
    });
    expect(preferenceUrl('https://hub.example', token)).toBe(`https://hub.example/p/${token}`);
  });

  it('refuses a token signed with another secret (forged)', () => {
    const forged = signPreferenceToken(new LinkSigner('guess'), CUSTOMER, ISSUED, 90).token;
    expect(readPreferenceToken(signer, forged, ISSUED)).toEqual({ ok: false, problem: 'invalid' });
  });

  it('refuses a token whose customer or expiry was changed (tampered)', () => {
    const [body, mac] = token.split('.');
    const fields = Buffer.from(body, 'base64url').toString().split('\n');
    const otherCustomer = [fields[0], CUSTOMER.replace('0b7c', '1b7c'), fields[2], fields[3]];
    const later = [
      fields[0],
      fields[1],
      fields[2],
      (Date.parse('2099-01-01') as number).toString(36),
    ];
    for (const changed of [otherCustomer, later]) {
      const tampered = `${Buffer.from(changed.join('\n')).toString('base64url')}.${mac}`;
      expect(readPreferenceToken(signer, tampered, ISSUED)).toEqual({
        ok: false,
        problem: 'invalid',
      });
    }
    expect(readPreferenceToken(signer, `${body}.${mac.slice(0, -1)}A`, ISSUED).ok).toBe(false);
    expect(readPreferenceToken(signer, `${token}x`, ISSUED).ok).toBe(false);
    expect(readPreferenceToken(signer, 'not-a-token', ISSUED).ok).toBe(false);
    expect(readPreferenceToken(signer, '', ISSUED).ok).toBe(false);
  });

  it('refuses a token of another kind, even over the same fields', () => {
    const fields = signer.verify('p', token)!;
    for (const kind of ['u', 'c', 'o'] as const)
      expect(readPreferenceToken(signer, signer.sign(kind, fields), ISSUED)).toEqual({
        ok: false,
        problem: 'invalid',
      });
    // And a preference token is no unsubscribe token.
    expect(signer.verify('u', token)).toBeNull();
  });

  it('refuses a signed token that is not a customer id with two times', () => {
    for (const fields of [
      ['not-a-uuid', '1', '2'],
      [CUSTOMER, 'zz!', 'zz'],
      [CUSTOMER, '1'],
    ])
      expect(readPreferenceToken(signer, signer.sign('p', fields), ISSUED).ok).toBe(false);
  });

  it('tells an expired token apart, with its expiry, from the moment it expires', () => {
    expect(readPreferenceToken(signer, token, new Date(expiresAt.getTime() - 1)).ok).toBe(true);
    expect(readPreferenceToken(signer, token, expiresAt)).toEqual({
      ok: false,
      problem: 'expired',
      expiresAt,
    });
  });
});
