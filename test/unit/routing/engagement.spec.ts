import {
  engagementEvents,
  type InboundRow,
  type OutboundRow,
} from '../../../src/routing/engagement';

const HOUR_US = 3_600_000_000;
const T = 1_750_000_000_000_000; // an epoch in microseconds

describe(engagementEvents.name, () => {
  const out = (channel: OutboundRow[0], at: number, status = 'delivered', updated = at) =>
    [channel, at, status, updated] as OutboundRow;
  const responded = (outbound: OutboundRow[], inbound: InboundRow[]) =>
    engagementEvents(outbound, inbound).map((e) =>
      e.respondedAt === null ? null : (e.respondedAt.getTime() * 1000 - T) / HOUR_US,
    );

  it('takes the first answer on the same channel within 48 hours', () => {
    expect(
      responded(
        [out('sms', T)],
        [
          ['sms', T + 5 * HOUR_US],
          ['sms', T + 2 * HOUR_US],
          ['email', T + HOUR_US],
        ],
      ),
    ).toEqual([2]);
  });

  it('ignores answers before the message, at the same instant, or later than 48 hours', () => {
    expect(
      responded(
        [out('sms', T), out('wechat', T)],
        [
          ['sms', T - HOUR_US],
          ['sms', T],
          ['wechat', T + 48 * HOUR_US + 1],
        ],
      ),
    ).toEqual([null, null]);
    // One microsecond later is after (Dates then carry the millisecond).
    expect(responded([out('sms', T)], [['sms', T + 1]])).toEqual([0]);
    expect(responded([out('sms', T)], [['sms', T + 48 * HOUR_US]])).toEqual([48]);
  });

  it('counts a read, and the earlier of a read and an answer', () => {
    expect(responded([out('email', T, 'read', T + 3 * HOUR_US)], [])).toEqual([3]);
    expect(responded([out('email', T, 'read', T + 3 * HOUR_US)], [['email', T + HOUR_US]])).toEqual(
      [1],
    );
    expect(responded([out('email', T, 'delivered', T + HOUR_US)], [])).toEqual([null]);
  });

  it('lets one answer count for every message it follows', () => {
    expect(responded([out('sms', T), out('sms', T + HOUR_US)], [['sms', T + 2 * HOUR_US]])).toEqual(
      [2, 2],
    );
  });
});
