import { routeDigest } from '../../../src/routing/decision';
import { customer, NOON_SHANGHAI, policy } from './routing-fixtures';

const items = [
  { id: 'a', purpose: 'service' as const, topic: 'orders' },
  { id: 'b', purpose: 'marketing' as const, topic: 'promo' },
];

describe('routeDigest', () => {
  it('routes once, for marketing when any item is, on the preferred low-urgency channel', () => {
    const r = routeDigest(customer(), items, NOON_SHANGHAI, policy());
    expect(r.decision?.channel).toBe('email');
    expect(r.purpose).toBe('marketing');
    expect(r.topic).toBe('digest');
    expect(r.kept).toEqual(['a', 'b']);
    expect(r.dropped).toEqual([]);
  });

  it('does not apply the frequency cap again: the items counted when gathered', () => {
    const capped = customer({ marketingSent: { lastDay: 5, lastWeek: 9 } });
    expect(routeDigest(capped, items, NOON_SHANGHAI, policy()).kept).toEqual(['a', 'b']);
  });

  it('drops marketing items when marketing consent is gone everywhere, and carries the rest', () => {
    const ctx = customer({
      consent: { email: { service: 'granted' }, wechat: { service: 'granted' } },
    });
    const r = routeDigest(ctx, items, NOON_SHANGHAI, policy());
    expect(r.decision?.channel).toBe('email');
    expect(r.purpose).toBe('service');
    expect(r.topic).toBe('orders');
    expect(r.kept).toEqual(['a']);
    expect(r.dropped).toEqual([
      { id: 'b', reason: expect.stringMatching(/^no route for a marketing digest \(noConsent\)/) },
    ]);
  });

  it('drops an item whose own consent was revoked on the chosen channel', () => {
    const ctx = customer({
      consent: {
        email: { service: 'revoked', marketing: 'granted' },
        wechat: { service: 'revoked' },
        livechat: { service: 'revoked' },
      },
    });
    const r = routeDigest(ctx, items, NOON_SHANGHAI, policy());
    expect(r.decision?.channel).toBe('email');
    expect(r.kept).toEqual(['b']);
    expect(r.dropped).toEqual([{ id: 'a', reason: 'consent revoked for service on email' }]);
  });

  it('no decision when nothing can go', () => {
    const ctx = customer({ identities: [] });
    const r = routeDigest(ctx, items, NOON_SHANGHAI, policy());
    expect(r.decision).toBeNull();
    expect(r.dropped.map((d) => d.id)).toEqual(['b', 'a']);
  });
});
