import { learnedRanking } from '../../../src/routing/decision';
import type { EngagementEvent } from '../../../src/routing/decision';

const now = new Date('2025-06-01T00:00:00Z');
const daysAgo = (d: number, plusHours = 0) =>
  new Date(now.getTime() - d * 86_400_000 + plusHours * 3_600_000);
const event = (
  channel: EngagementEvent['channel'],
  d: number,
  answeredAfterHours: number | null,
): EngagementEvent => ({
  channel,
  outboundAt: daysAgo(d),
  respondedAt: answeredAfterHours === null ? null : daysAgo(d, answeredAfterHours),
});

describe(learnedRanking.name, () => {
  it('ranks channels by replies and reads within 48 hours', () => {
    const events = [
      event('email', 3, 1),
      event('sms', 3, 2),
      event('sms', 5, 47),
      event('wechat', 2, null),
      event('email', 4, 49),
    ];
    expect(learnedRanking(events, now)).toEqual(['sms', 'email']);
  });

  it('ignores outbound messages older than 90 days', () => {
    expect(learnedRanking([event('voice', 91, 1), event('email', 89, 1)], now)).toEqual(['email']);
  });

  it('breaks ties by the most recent answer', () => {
    expect(learnedRanking([event('email', 10, 1), event('livechat', 2, 1)], now)).toEqual([
      'livechat',
      'email',
    ]);
  });

  it('returns nothing when the customer never answered', () => {
    expect(learnedRanking([event('email', 1, null)], now)).toEqual([]);
  });

  it('honours custom windows', () => {
    expect(learnedRanking([event('sms', 3, 30)], now, { responseHours: 24 })).toEqual([]);
  });
});
