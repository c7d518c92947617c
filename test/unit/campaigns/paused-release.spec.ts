import { releaseOf, type HeldByPause } from '../../../src/campaigns/paused-release';
import { DEFAULT_ROUTING_POLICY } from '../../../src/routing/decision';

/** 2026-12-03 23:30 in Shanghai (15:30 UTC). */
const NOW = Date.parse('2026-12-03T15:30:00.000Z');
const policy = (over: Partial<(typeof DEFAULT_ROUTING_POLICY)['quietHours']> = {}) => ({
  quietHours: {
    ...DEFAULT_ROUTING_POLICY.quietHours,
    exemptUrgencies: [],
    suppressPurposes: [],
    ...over,
  },
});
const held = (over: Partial<HeldByPause> = {}): HeldByPause => ({
  urgency: 'normal',
  purpose: 'marketing',
  quietHours: { start: '22:00', end: '08:00' },
  timezone: 'Asia/Shanghai',
  ...over,
});

describe('releaseOf: when a send held by a pause goes on resume', () => {
  it.each([
    [
      'no quiet hours',
      held({ quietHours: null }),
      policy(),
      { sendAt: new Date(NOW), note: 'resumed' },
    ],
    [
      'outside the quiet hours',
      held({ quietHours: { start: '01:00', end: '07:00' } }),
      policy(),
      { sendAt: new Date(NOW), note: 'resumed' },
    ],
    [
      'inside them: at their end (08:00 Shanghai)',
      held(),
      policy(),
      {
        sendAt: new Date('2026-12-04T00:00:00.000Z'),
        note: 'resumed; delayed to 2026-12-04T00:00:00.000Z: quiet hours 22:00-08:00 Asia/Shanghai',
      },
    ],
    [
      'inside them, critical: now',
      held({ urgency: 'critical' }),
      policy(),
      {
        sendAt: new Date(NOW),
        note: 'resumed; critical: sent now despite quiet hours 22:00-08:00 Asia/Shanghai',
      },
    ],
    [
      'inside them, an exempt urgency: now',
      held({ urgency: 'high' }),
      policy({ exemptUrgencies: ['high'] }),
      {
        sendAt: new Date(NOW),
        note: 'resumed; high: sent now despite quiet hours 22:00-08:00 Asia/Shanghai',
      },
    ],
    [
      'inside them, a purpose quiet hours drop: suppressed',
      held(),
      policy({ suppressPurposes: ['marketing'] }),
      {
        suppressed:
          'resumed inside quiet hours 22:00-08:00 Asia/Shanghai; marketing messages are not delayed',
      },
    ],
    [
      'in the customer’s zone, not the server’s (London is outside 22:00-08:00 at 15:30)',
      held({ timezone: 'Europe/London' }),
      policy(),
      { sendAt: new Date(NOW), note: 'resumed' },
    ],
  ])('%s', (_, h, p, expected) => {
    expect(releaseOf(h, p, NOW)).toEqual(expected);
  });
});
