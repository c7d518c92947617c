import { contactBudgetView } from '../../../src/routing/contact-budget-view';
import {
  MORNING_AFTER_SHANGHAI,
  NIGHT_SHANGHAI,
  NOON_SHANGHAI,
  customer,
  policy,
  support,
} from './routing-fixtures';

describe(contactBudgetView.name, () => {
  it('counts marketing left against the caps, never below zero', () => {
    const view = contactBudgetView(
      customer({ marketingSent: { lastDay: 2, lastWeek: 2 } }),
      policy(),
      NOON_SHANGHAI,
    );
    expect(view.marketing).toEqual({
      sentToday: 2,
      sentThisWeek: 2,
      capPerDay: 1,
      capPerWeek: 3,
      remainingToday: 0,
      remainingThisWeek: 1,
      held: false,
      holds: [],
    });
  });

  it('lists the holds with their reasons and when their cause began', () => {
    const view = contactBudgetView(
      customer({
        support: support({
          openConversationSince: new Date('2025-03-09T10:00:00Z'),
          lastCsat: { score: 2, at: new Date('2025-03-08T09:30:00Z') },
        }),
      }),
      policy(),
      NOON_SHANGHAI,
    );
    expect(view.marketing.held).toBe(true);
    expect(view.marketing.holds).toEqual([
      {
        kind: 'openConversation',
        reason: 'held: open support conversation since 2025-03-09T10:00Z',
        since: '2025-03-09T10:00:00.000Z',
      },
      { kind: 'lowCsat', reason: 'held: last CSAT 2 below 3', since: '2025-03-08T09:30:00.000Z' },
    ]);
  });

  it('says whether quiet hours hold now and until when, in the customer time zone', () => {
    const quiet = { start: '22:00', end: '08:00' };
    expect(
      contactBudgetView(customer({ quietHours: quiet }), policy(), NIGHT_SHANGHAI).quietHours,
    ).toEqual({
      ...quiet,
      timezone: 'Asia/Shanghai',
      activeNow: true,
      until: MORNING_AFTER_SHANGHAI.toISOString(),
    });
    expect(
      contactBudgetView(customer({ quietHours: quiet }), policy(), NOON_SHANGHAI).quietHours,
    ).toEqual({ ...quiet, timezone: 'Asia/Shanghai', activeNow: false });
    expect(contactBudgetView(customer(), policy(), NOON_SHANGHAI).quietHours).toBeNull();
  });

  it('names the channel of a normal service message now, which holds do not change, or null', () => {
    const held = customer({
      support: support({ openConversationSince: new Date('2025-03-09T10:00:00Z') }),
    });
    expect(contactBudgetView(held, policy(), NOON_SHANGHAI).bestChannelNow).toEqual({
      channel: 'email',
      address: 'a@example.com',
      reasons: expect.arrayContaining(['email chosen: default ranking for normal']),
    });
    expect(
      contactBudgetView(customer({ identities: [] }), policy(), NOON_SHANGHAI).bestChannelNow,
    ).toBeNull();
  });
});
