import type { Channel } from '../../../src/common/names';
import type { CustomerRoutingContext, RoutingPolicy } from '../../../src/routing/decision';
import {
  simulatePolicy,
  type PastSend,
  type SimulationResult,
} from '../../../src/routing/simulation/simulate-policy';
import { NIGHT_SHANGHAI, NOON_SHANGHAI, customer, intent, policy } from './routing-fixtures';

/** A send decided at `at` for customer `ctx`, which went on `went`. */
function send(
  id: string,
  overrides: Partial<PastSend['intent']> = {},
  at = NOON_SHANGHAI,
  went: Channel = 'email',
): PastSend {
  return {
    id,
    messageId: id,
    customerId: `c-${id}`,
    at,
    intent: intent(overrides),
    actual: { channel: went },
  };
}

function run(
  sends: PastSend[],
  ctx: (s: PastSend) => CustomerRoutingContext,
  current: RoutingPolicy,
  proposed: RoutingPolicy,
): SimulationResult {
  return simulatePolicy(sends, new Map(sends.map((s) => [s.id, ctx(s)])), current, proposed);
}

const ranking = (normal: Channel[]) =>
  policy({ defaultRanking: { ...policy().defaultRanking, normal } });

describe('simulatePolicy', () => {
  it('moves exactly the sends the ranking change reaches', () => {
    const sends = [
      send('a'), // normal -> email today, sms proposed
      send('b'), // normal
      send('c', { urgency: 'high' }), // high: untouched by the normal ranking
      send('d', { channel: 'email' }), // forced: stays on email
    ];
    // Customer of b prefers wechat for orders: the matrix wins under both policies.
    const ctx = (s: PastSend) =>
      s.id === 'b'
        ? customer({ preferences: [{ topic: 'orders', urgency: '*', channels: ['wechat'] }] })
        : customer();
    const r = run(sends, ctx, policy(), ranking(['sms', 'email']));
    expect(r.total).toBe(4);
    expect(r.matrix).toEqual([
      { from: 'email', to: 'email', count: 1 },
      { from: 'email', to: 'sms', count: 1 },
      { from: 'sms', to: 'sms', count: 1 },
      { from: 'wechat', to: 'wechat', count: 1 },
    ]);
    expect(r.moved).toBe(1);
    expect(r.changed).toBe(1);
    expect(r.current.byChannel).toEqual({ email: 2, sms: 1, wechat: 1 });
    expect(r.proposed.byChannel).toEqual({ email: 1, sms: 2, wechat: 1 });
    expect(r.sample).toHaveLength(1);
    expect(r.sample[0]).toMatchObject({
      messageId: 'a',
      actual: 'email',
      current: { destination: 'email', reasons: ['email chosen: default ranking for normal'] },
      proposed: { destination: 'sms', reasons: ['sms chosen: default ranking for normal'] },
    });
    // Information: b actually went on email, both policies say wechat; c went on email too.
    expect(r.differFromActual).toEqual({ current: 2, proposed: 3 });
  });

  it('identical policies move nothing', () => {
    const sends = [send('a'), send('b', { purpose: 'marketing' }), send('c', { urgency: 'low' })];
    const r = run(
      sends,
      (s) => customer({ marketingSent: { lastDay: s.id === 'b' ? 5 : 0, lastWeek: 5 } }),
      policy(),
      policy(),
    );
    expect(r.changed).toBe(0);
    expect(r.moved).toBe(0);
    expect(r.sample).toEqual([]);
    expect(r.matrix.every((c) => c.from === c.to)).toBe(true);
    expect(r.current).toEqual(r.proposed);
  });

  it('a tighter cap suppresses with reason frequencyCap', () => {
    const sends = [
      send('a', { purpose: 'marketing' }), // 1 sent today: under a cap of 2, at a cap of 1
      send('b', { purpose: 'marketing' }), // none sent today
      send('c', { purpose: 'transactional' }), // not marketing: no cap
    ];
    const sent = (s: PastSend) => (s.id === 'b' ? 0 : 1);
    const r = run(
      sends,
      (s) => customer({ marketingSent: { lastDay: sent(s), lastWeek: sent(s) } }),
      policy({ frequencyCap: { perDay: 2, perWeek: 10 } }),
      policy({ frequencyCap: { perDay: 1, perWeek: 10 } }),
    );
    expect(r.matrix).toContainEqual({ from: 'email', to: 'suppressed', count: 1 });
    expect(r.proposed.suppressed.frequencyCap).toBe(1);
    expect(r.current.suppressed.frequencyCap).toBe(0);
    expect(r.moved).toBe(1);
    expect(r.sample[0].proposed).toMatchObject({
      destination: 'suppressed',
      suppression: 'frequencyCap',
      reasons: ['frequency cap: 1 marketing messages in the last day (cap 1)'],
    });
  });

  it('default quiet hours delay at night and suppress the purposes listed', () => {
    const night = [
      send('a', {}, NIGHT_SHANGHAI),
      send('b', { purpose: 'marketing' }, NIGHT_SHANGHAI),
    ];
    const noon = send('c', { purpose: 'marketing' }, NOON_SHANGHAI);
    const critical = send('d', { urgency: 'critical' }, NIGHT_SHANGHAI);
    const quiet = policy({
      quietHours: {
        default: { start: '22:00', end: '08:00' },
        exemptUrgencies: [],
        suppressPurposes: ['marketing'],
      },
    });
    // The fixture customer has quietHours null (set none of their own): undefined uses the default.
    const r = run(
      [...night, noon, critical],
      () => customer({ quietHours: undefined }),
      policy(),
      quiet,
    );
    expect(r.proposed.delayed).toBe(1);
    expect(r.current.delayed).toBe(0);
    expect(r.proposed.suppressed.quietHours).toBe(1);
    expect(r.changed).toBe(2);
    // a is still on email, only later: changed, not moved.
    expect(r.moved).toBe(1);
    const a = r.sample.find((s) => s.messageId === 'a')!;
    expect(a.proposed).toMatchObject({
      destination: 'email',
      delayed: true,
      sendAt: '2025-03-11T00:00:00.000Z',
    });
    expect(a.proposed.reasons[1]).toMatch(
      /^delayed to 2025-03-11T00:00:00.000Z: quiet hours 22:00-08:00/,
    );
    expect(r.sample.find((s) => s.messageId === 'b')!.proposed.suppression).toBe('quietHours');
  });

  it('skips sends without a context, counts suppressions the current policy makes', () => {
    const sends = [send('a', { purpose: 'marketing' }), send('gone')];
    const noConsent = customer({ consent: {} });
    const r = simulatePolicy(sends, new Map([['a', noConsent]]), policy(), policy());
    expect(r.total).toBe(1);
    expect(r.skipped).toBe(1);
    expect(r.current.suppressed.noConsent).toBe(1);
    expect(r.matrix).toEqual([{ from: 'suppressed', to: 'suppressed', count: 1 }]);
  });

  it('keeps at most sampleSize changed sends, in the order given', () => {
    const sends = Array.from({ length: 30 }, (_, i) => send(`m${i}`));
    const r = simulatePolicy(
      sends,
      new Map(sends.map((s) => [s.id, customer()])),
      policy(),
      ranking(['wechat']),
      5,
    );
    expect(r.changed).toBe(30);
    expect(r.sample.map((s) => s.messageId)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });
});
