import { assembleStats, emptyCounts } from '../../../src/analytics/campaign-stats';
import { churnRisk, tierOf } from '../../../src/analytics/rfm';
import { parseUnitPrices } from '../../../src/analytics/unit-prices';

describe('tierOf', () => {
  it.each([
    [5, 5, 5, 'core'],
    [4, 4, 1, 'core'],
    [4, 1, 4, 'core'],
    [5, 1, 1, 'potential'],
    [3, 5, 5, 'potential'],
    [2, 5, 1, 'regular'],
    [1, 1, 3, 'regular'],
    [2, 2, 2, 'edge'],
    [1, 1, 1, 'edge'],
  ])('r=%i f=%i m=%i -> %s', (r, f, m, tier) => {
    expect(tierOf(r, f, m)).toBe(tier);
  });
});

describe('churnRisk', () => {
  it.each([
    [0, 4, true],
    [1, 4, true],
    [2, 4, false],
    [0, 0.5, false],
    [0, 1, true],
    [5, 4, false],
  ])(
    '%i contacts in 30 days against a baseline of %d a month -> %s',
    (recent, baseline, expected) => {
      expect(churnRisk(recent, baseline)).toBe(expected);
    },
  );
});

describe('parseUnitPrices', () => {
  it('reads channel=price pairs', () => {
    expect(parseUnitPrices('sms=0.05, email=0.001,voice=0.2,wechat=0')).toEqual({
      sms: 0.05,
      email: 0.001,
      voice: 0.2,
      wechat: 0,
    });
    expect(parseUnitPrices('')).toEqual({});
  });
});

describe('assembleStats', () => {
  it('adds channels up, derives rates against sent, and prices each channel', () => {
    const email = {
      ...emptyCounts(),
      sent: 100,
      delivered: 90,
      failed: 5,
      queued: 5,
      opened: 40,
      clicked: 10,
      replied: 3,
      converted: 2,
      revenue: 50,
    };
    const sms = {
      ...emptyCounts(),
      sent: 20,
      delivered: 20,
      clicked: 4,
      converted: 1,
      revenue: 30,
    };
    const s = assembleStats(
      150,
      { noConsent: 20, quietHours: 0, frequencyCap: 5, noChannel: 3, contactBudget: 2 },
      { email, sms },
      { email: 0.001, sms: 0.05 },
    );
    expect(s.recipients).toBe(150);
    expect(s.sent + s.suppressed.total).toBe(150);
    expect(s).toEqual(
      expect.objectContaining({
        sent: 120,
        delivered: 110,
        failed: 5,
        opened: 40,
        clicked: 14,
        replied: 3,
        converted: 3,
        revenue: 80,
      }),
    );
    expect(s.rates).toEqual({
      delivery: 0.9167,
      open: 0.3333,
      click: 0.1167,
      reply: 0.025,
      conversion: 0.025,
    });
    expect(s.byChannel.sms).toEqual(
      expect.objectContaining({ unitPrice: 0.05, cost: 1, costPerConversion: 1, clickRate: 0.2 }),
    );
    expect(s.byChannel.email.cost).toBe(0.1);
    expect(s.cost).toBe(1.1);
    expect(s.roi).toBe(71.7273);
    expect(s.byChannel.sms.roi).toBe(29);
  });

  it('keeps scheduled, unknown and cancelled sends out of sent, with the scheduled span', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 11, 4, h));
    const email = {
      ...emptyCounts(),
      targeted: 10,
      sent: 6,
      delivered: 5,
      queued: 1,
      scheduled: 2,
      scheduledFirstAt: at(8),
      scheduledLastAt: at(9),
      unknown: 1,
      cancelled: 1,
    };
    const sms = {
      ...emptyCounts(),
      targeted: 3,
      sent: 2,
      delivered: 2,
      scheduled: 1,
      scheduledFirstAt: at(7),
      scheduledLastAt: at(7),
    };
    const s = assembleStats(
      13,
      { noConsent: 0, quietHours: 0, frequencyCap: 0, noChannel: 0, contactBudget: 0 },
      { email, sms },
      { email: 1, sms: 1 },
    );
    expect(s).toEqual(
      expect.objectContaining({
        targeted: 13,
        sent: 8,
        scheduled: 3,
        unknown: 1,
        cancelled: 1,
        scheduledFirstAt: at(7).toISOString(),
        scheduledLastAt: at(9).toISOString(),
        cost: 8,
        roi: -1,
      }),
    );
    expect(s.sent + s.scheduled + s.unknown + s.cancelled + s.suppressed.total).toBe(13);
    expect(s.byChannel.email.scheduledFirstAt).toBe(at(8).toISOString());
    expect(s.rates.delivery).toBe(0.875);
  });

  it('answers zero rates for a campaign that sent nothing', () => {
    const s = assembleStats(
      3,
      { noConsent: 3, quietHours: 0, frequencyCap: 0, noChannel: 0, contactBudget: 0 },
      {},
      {},
    );
    expect(s.rates).toEqual({ delivery: 0, open: 0, click: 0, reply: 0, conversion: 0 });
    expect(s.byChannel).toEqual({});
    expect(s.roi).toBeNull();
    expect(s.scheduledFirstAt).toBeNull();
  });
});
