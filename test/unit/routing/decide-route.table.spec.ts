import type { Channel } from '../../../src/common/names';
import { decideRoute } from '../../../src/routing/decision';
import type {
  CustomerRoutingContext,
  MessageIntent,
  RouteDecision,
  RoutingPolicy,
  Suppression,
} from '../../../src/routing/decision';
import {
  ALL,
  MORNING_AFTER_SHANGHAI,
  NIGHT_SHANGHAI,
  NOON_SHANGHAI,
  budget,
  customer,
  intent,
  policy,
  support,
} from './routing-fixtures';

interface Case {
  name: string;
  ctx?: Partial<CustomerRoutingContext>;
  intent?: Partial<MessageIntent>;
  policy?: Partial<RoutingPolicy>;
  now?: Date;
  channel?: Channel;
  suppression?: Suppression;
  sendAt?: Date;
  fallbacks?: Channel[];
  reason?: string;
}

const QUIET = { start: '22:00', end: '08:00' };
const onlyActive = (...channels: Channel[]) =>
  customer().identities.filter((i) => channels.includes(i.channel));
const revoke = (channel: Channel, purpose: 'marketing' | 'transactional' | 'service') => ({
  ...customer().consent,
  [channel]: { ...customer().consent[channel], [purpose]: 'revoked' as const },
});
const withoutConsent = (channel: Channel, purpose: 'marketing' | 'transactional' | 'service') => ({
  ...customer().consent,
  [channel]: { ...customer().consent[channel], [purpose]: undefined },
});
const matrix = (topic: string, urgency: string, channels: Channel[]) =>
  ({ topic, urgency, channels }) as CustomerRoutingContext['preferences'][number];

const cases: Case[] = [
  // --- defaults and fallbacks
  {
    name: 'normal transactional goes to the default first channel',
    channel: 'email',
    fallbacks: ['wechat', 'sms'],
  },
  {
    name: 'high urgency defaults to sms',
    intent: { urgency: 'high' },
    channel: 'sms',
    fallbacks: ['wechat', 'email'],
  },
  {
    name: 'critical defaults to sms then voice',
    intent: { urgency: 'critical' },
    channel: 'sms',
    fallbacks: ['voice', 'wechat'],
  },
  {
    name: 'low urgency has no fallbacks',
    intent: { urgency: 'low' },
    channel: 'email',
    fallbacks: [],
  },
  {
    name: 'reason names the default ranking',
    channel: 'email',
    reason: 'email chosen: default ranking for normal',
  },
  // --- preference matrix specificity
  {
    name: 'exact topic and urgency row wins',
    ctx: {
      preferences: [
        matrix('*', '*', ['livechat']),
        matrix('orders', 'normal', ['sms']),
        matrix('orders', '*', ['wechat']),
      ],
    },
    channel: 'sms',
    reason: 'preference matrix for orders/normal',
  },
  {
    name: 'exact topic with * urgency beats * topic exact urgency',
    ctx: { preferences: [matrix('*', 'normal', ['livechat']), matrix('orders', '*', ['wechat'])] },
    channel: 'wechat',
  },
  {
    name: '* topic exact urgency beats *,*',
    ctx: { preferences: [matrix('*', '*', ['livechat']), matrix('*', 'normal', ['sms'])] },
    channel: 'sms',
  },
  {
    name: '*,* row applies when nothing more specific',
    ctx: { preferences: [matrix('*', '*', ['livechat']), matrix('billing', 'normal', ['sms'])] },
    channel: 'livechat',
  },
  {
    name: 'rows for other urgencies do not match',
    ctx: { preferences: [matrix('orders', 'high', ['sms'])] },
    channel: 'email',
  },
  {
    name: 'matrix channels come first, then learned, then defaults',
    ctx: { preferences: [matrix('orders', 'normal', ['voice'])], learnedRanking: ['livechat'] },
    channel: 'voice',
    fallbacks: ['livechat', 'email'],
  },
  {
    name: 'exclusive matrix leaves no default fill',
    ctx: { preferences: [matrix('orders', 'normal', ['voice'])] },
    policy: { matrixExclusive: true },
    channel: 'voice',
    fallbacks: [],
  },
  {
    name: 'exclusive matrix whose channel is unusable refuses',
    ctx: { preferences: [matrix('orders', 'normal', ['voice'])], identities: onlyActive('email') },
    policy: { matrixExclusive: true },
    suppression: 'noChannel',
    reason: 'voice excluded: no address',
  },
  {
    name: 'matrix preferred channel skipped when consent revoked',
    ctx: {
      preferences: [matrix('orders', '*', ['sms', 'wechat'])],
      consent: revoke('sms', 'transactional'),
    },
    channel: 'wechat',
    reason: 'sms excluded: consent revoked for transactional',
  },
  // --- learned ranking
  {
    name: 'learned ranking used when no matrix row',
    ctx: { learnedRanking: ['wechat', 'sms'] },
    channel: 'wechat',
    fallbacks: ['sms', 'email'],
    reason: 'learned from engagement',
  },
  {
    name: 'learned ranking skips unusable channels',
    ctx: { learnedRanking: ['wechat'], identities: onlyActive('email', 'sms') },
    channel: 'email',
    reason: 'wechat excluded: no address',
  },
  // --- consent
  {
    name: 'marketing needs granted consent',
    intent: { purpose: 'marketing' },
    ctx: { consent: withoutConsent('email', 'marketing') },
    channel: 'wechat',
    reason: 'email excluded: no consent granted for marketing',
  },
  {
    name: 'marketing revoked everywhere is noConsent',
    intent: { purpose: 'marketing' },
    ctx: { consent: {} },
    suppression: 'noConsent',
  },
  {
    name: 'transactional needs only the absence of revocation',
    ctx: { consent: {} },
    channel: 'email',
  },
  {
    name: 'service revoked on email moves to wechat',
    intent: { purpose: 'service' },
    ctx: { consent: revoke('email', 'service') },
    channel: 'wechat',
  },
  {
    name: 'sms marketing revoked reason text',
    intent: { purpose: 'marketing', urgency: 'high' },
    ctx: { consent: revoke('sms', 'marketing') },
    channel: 'wechat',
    reason: 'sms excluded: consent revoked for marketing',
  },
  {
    name: 'revocation for marketing does not block transactional',
    ctx: { consent: revoke('email', 'marketing') },
    channel: 'email',
  },
  // --- forced channel
  {
    name: 'forced channel is used',
    intent: { channel: 'livechat' },
    channel: 'livechat',
    fallbacks: [],
    reason: 'forced by the caller',
  },
  {
    name: 'forced channel never bypasses consent',
    intent: { channel: 'sms', purpose: 'marketing' },
    ctx: { consent: revoke('sms', 'marketing') },
    suppression: 'noConsent',
    reason: 'sms excluded: consent revoked for marketing',
  },
  {
    name: 'forced channel without address is noChannel',
    intent: { channel: 'voice' },
    ctx: { identities: onlyActive('email') },
    suppression: 'noChannel',
    reason: 'voice excluded: no address',
  },
  {
    name: 'forced channel with provider down is noChannel',
    intent: { channel: 'sms' },
    policy: { providerHealth: { sms: 'down' } },
    suppression: 'noChannel',
    reason: 'sms excluded: provider down (circuit open)',
  },
  // --- identities and templates
  {
    name: 'bounced email is skipped',
    ctx: {
      identities: customer().identities.map((i) =>
        i.channel === 'email' ? { ...i, status: 'bounced' as const } : i,
      ),
    },
    channel: 'wechat',
    reason: 'email excluded: identity bounced',
  },
  {
    name: 'undeliverable identity is skipped',
    intent: { urgency: 'high' },
    ctx: {
      identities: customer().identities.map((i) =>
        i.channel === 'sms' ? { ...i, status: 'undeliverable' as const } : i,
      ),
    },
    channel: 'wechat',
    reason: 'sms excluded: identity undeliverable',
  },
  {
    name: 'a second active identity on the same channel is used',
    ctx: {
      identities: [
        { channel: 'email', address: 'old@x.com', status: 'bounced' },
        { channel: 'email', address: 'new@x.com', status: 'active' },
      ],
    },
    channel: 'email',
  },
  {
    name: 'no template variant for email moves on',
    ctx: { templateChannels: new Set<Channel>(['sms', 'wechat']) },
    channel: 'wechat',
    reason: 'email excluded: template order-shipped has no email variant',
  },
  {
    name: 'no template anywhere is noChannel',
    ctx: { templateChannels: new Set<Channel>() },
    suppression: 'noChannel',
  },
  { name: 'no identities at all is noChannel', ctx: { identities: [] }, suppression: 'noChannel' },
  {
    name: 'consent missing but also no template is noChannel',
    intent: { purpose: 'marketing' },
    ctx: { consent: {}, templateChannels: new Set<Channel>() },
    suppression: 'noChannel',
  },
  // --- provider health
  {
    name: 'circuit open on email moves to wechat',
    policy: { providerHealth: { email: 'down' } },
    channel: 'wechat',
    reason: 'email excluded: provider down (circuit open)',
  },
  {
    name: 'degraded provider is still used',
    policy: { providerHealth: { email: 'degraded' } },
    channel: 'email',
  },
  {
    name: 'all providers down is noChannel',
    policy: { providerHealth: Object.fromEntries(ALL.map((c) => [c, 'down'])) },
    suppression: 'noChannel',
  },
  {
    name: 'critical with sms down goes to voice',
    intent: { urgency: 'critical' },
    policy: { providerHealth: { sms: 'down' } },
    channel: 'voice',
    fallbacks: ['wechat', 'email'],
  },
  // --- quiet hours
  {
    name: 'outside quiet hours sends now',
    ctx: { quietHours: QUIET },
    now: NOON_SHANGHAI,
    channel: 'email',
    sendAt: NOON_SHANGHAI,
  },
  {
    name: 'inside quiet hours delays to the window end',
    ctx: { quietHours: QUIET },
    now: NIGHT_SHANGHAI,
    channel: 'email',
    sendAt: MORNING_AFTER_SHANGHAI,
    reason: 'delayed to 2025-03-11T00:00:00.000Z',
  },
  {
    name: 'critical is never delayed',
    intent: { urgency: 'critical' },
    ctx: { quietHours: QUIET },
    now: NIGHT_SHANGHAI,
    channel: 'sms',
    sendAt: NIGHT_SHANGHAI,
    reason: 'critical: sent now despite quiet hours',
  },
  {
    name: 'high urgency is delayed',
    intent: { urgency: 'high' },
    ctx: { quietHours: QUIET },
    now: NIGHT_SHANGHAI,
    channel: 'sms',
    sendAt: MORNING_AFTER_SHANGHAI,
  },
  {
    name: 'exempt urgency from policy sends now',
    intent: { urgency: 'high' },
    ctx: { quietHours: QUIET },
    policy: { quietHours: { default: null, exemptUrgencies: ['high'], suppressPurposes: [] } },
    now: NIGHT_SHANGHAI,
    sendAt: NIGHT_SHANGHAI,
  },
  {
    name: 'policy default quiet hours apply when the customer has none set',
    ctx: { quietHours: undefined },
    policy: { quietHours: { default: QUIET, exemptUrgencies: [], suppressPurposes: [] } },
    now: NIGHT_SHANGHAI,
    sendAt: MORNING_AFTER_SHANGHAI,
  },
  {
    name: 'customer null quiet hours overrides policy default',
    ctx: { quietHours: null },
    policy: { quietHours: { default: QUIET, exemptUrgencies: [], suppressPurposes: [] } },
    now: NIGHT_SHANGHAI,
    sendAt: NIGHT_SHANGHAI,
  },
  {
    name: 'marketing in quiet hours suppressed when the policy says so',
    intent: { purpose: 'marketing' },
    ctx: { quietHours: QUIET },
    policy: { quietHours: { default: null, exemptUrgencies: [], suppressPurposes: ['marketing'] } },
    now: NIGHT_SHANGHAI,
    suppression: 'quietHours',
  },
  {
    name: 'same-day window 11:30-14:00 delays to 14:00',
    ctx: { quietHours: { start: '11:30', end: '14:00' } },
    now: NOON_SHANGHAI,
    sendAt: new Date('2025-03-10T06:00:00Z'),
  },
  {
    name: 'window uses the customer timezone',
    ctx: { quietHours: QUIET, timezone: 'Europe/London' },
    now: NIGHT_SHANGHAI,
    sendAt: NIGHT_SHANGHAI,
  },
  {
    name: 'window end across a DST change (New York, 2025-03-09)',
    ctx: { quietHours: QUIET, timezone: 'America/New_York' },
    now: new Date('2025-03-09T04:00:00Z'),
    sendAt: new Date('2025-03-09T12:00:00Z'),
  },
  {
    name: 'unknown timezone is treated as UTC',
    ctx: { quietHours: QUIET, timezone: 'Mars/Olympus' },
    now: new Date('2025-03-10T23:30:00Z'),
    sendAt: new Date('2025-03-11T08:00:00Z'),
    reason: 'unknown timezone Mars/Olympus',
  },
  // --- frequency cap
  {
    name: 'marketing over the daily cap is suppressed',
    intent: { purpose: 'marketing' },
    ctx: { marketingSent: { lastDay: 1, lastWeek: 1 } },
    suppression: 'frequencyCap',
    reason: 'in the last day (cap 1)',
  },
  {
    name: 'marketing over the weekly cap is suppressed',
    intent: { purpose: 'marketing' },
    ctx: { marketingSent: { lastDay: 0, lastWeek: 3 } },
    suppression: 'frequencyCap',
    reason: 'in the last week (cap 3)',
  },
  {
    name: 'transactional ignores the frequency cap',
    ctx: { marketingSent: { lastDay: 9, lastWeek: 9 } },
    channel: 'email',
  },
  {
    name: 'marketing under the cap goes',
    intent: { purpose: 'marketing' },
    ctx: { marketingSent: { lastDay: 0, lastWeek: 2 } },
    channel: 'email',
  },
  // --- contact budget (NOON_SHANGHAI is 2025-03-10T04:00Z; default holds: open, 7 days, CSAT 3)
  {
    name: 'marketing is held while a support conversation is open',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ openConversationSince: new Date('2025-03-09T10:00:00Z') }) },
    suppression: 'contactBudget',
    reason: 'held: open support conversation since 2025-03-09T10:00Z',
  },
  {
    name: 'an open conversation does not hold marketing when that hold is off',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ openConversationSince: new Date('2025-03-09T10:00:00Z') }) },
    policy: { contactBudget: budget({ holdOpenConversation: false }) },
    channel: 'email',
  },
  {
    name: 'marketing is held within the breach days after an SLA breach',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ lastSlaBreachAt: new Date('2025-03-04T08:30:00Z') }) },
    suppression: 'contactBudget',
    reason: 'held: SLA breach on 2025-03-04T08:30Z within 7 days',
  },
  {
    name: 'an SLA breach older than the breach days does not hold marketing',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ lastSlaBreachAt: new Date('2025-03-03T03:59:00Z') }) },
    channel: 'email',
  },
  {
    name: 'an SLA breach does not hold marketing when the breach days are 0',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ lastSlaBreachAt: new Date('2025-03-10T03:00:00Z') }) },
    policy: { contactBudget: budget({ breachDays: 0 }) },
    channel: 'email',
  },
  {
    name: 'marketing is held while the last CSAT is below the minimum',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ lastCsat: { score: 2, at: new Date('2025-01-01T00:00:00Z') } }) },
    suppression: 'contactBudget',
    reason: 'held: last CSAT 2 below 3',
  },
  {
    name: 'a last CSAT at the minimum does not hold marketing',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ lastCsat: { score: 3, at: new Date('2025-03-01T00:00:00Z') } }) },
    channel: 'email',
  },
  {
    name: 'a low CSAT does not hold marketing when the minimum is 0',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ lastCsat: { score: 1, at: new Date('2025-03-01T00:00:00Z') } }) },
    policy: { contactBudget: budget({ minCsat: 0 }) },
    channel: 'email',
  },
  {
    name: 'every hold that applies is named',
    intent: { purpose: 'marketing' },
    ctx: {
      support: support({
        openConversationSince: new Date('2025-03-09T10:00:00Z'),
        lastSlaBreachAt: new Date('2025-03-09T11:00:00Z'),
        lastCsat: { score: 1, at: new Date('2025-03-08T00:00:00Z') },
      }),
    },
    suppression: 'contactBudget',
    reason:
      'held: open support conversation since 2025-03-09T10:00Z\nheld: SLA breach on 2025-03-09T11:00Z within 7 days\nheld: last CSAT 1 below 3',
  },
  {
    name: 'service messages are never held by the contact budget',
    intent: { purpose: 'service' },
    ctx: {
      support: support({
        openConversationSince: new Date('2025-03-09T10:00:00Z'),
        lastSlaBreachAt: new Date('2025-03-09T11:00:00Z'),
        lastCsat: { score: 1, at: new Date('2025-03-08T00:00:00Z') },
      }),
    },
    channel: 'email',
  },
  {
    name: 'transactional messages are never held by the contact budget',
    ctx: {
      support: support({
        openConversationSince: new Date('2025-03-09T10:00:00Z'),
        lastCsat: { score: 1, at: new Date('2025-03-08T00:00:00Z') },
      }),
    },
    channel: 'email',
  },
  {
    name: 'marketing with no support trouble goes',
    intent: { purpose: 'marketing' },
    ctx: { support: support({ lastCsat: { score: 5, at: new Date('2025-03-08T00:00:00Z') } }) },
    channel: 'email',
  },
  // --- combinations
  {
    name: 'critical in quiet hours with sms revoked and voice down goes to wechat now',
    intent: { urgency: 'critical', purpose: 'service' },
    ctx: { quietHours: QUIET, consent: revoke('sms', 'service') },
    policy: { providerHealth: { voice: 'down' } },
    now: NIGHT_SHANGHAI,
    channel: 'wechat',
    sendAt: NIGHT_SHANGHAI,
    fallbacks: ['email', 'livechat'],
  },
  {
    name: 'marketing matrix on sms, no sms consent, quiet hours: email delayed',
    intent: { purpose: 'marketing', topic: 'promo' },
    ctx: {
      preferences: [matrix('promo', '*', ['sms'])],
      consent: withoutConsent('sms', 'marketing'),
      quietHours: QUIET,
    },
    now: NIGHT_SHANGHAI,
    channel: 'email',
    sendAt: MORNING_AFTER_SHANGHAI,
  },
];

function check(decision: RouteDecision, c: Case, now: Date): void {
  if (c.suppression !== undefined) {
    expect(decision).toMatchObject({ ok: false, suppression: c.suppression });
  } else {
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    if (c.channel !== undefined) expect(decision.channel).toBe(c.channel);
    expect(decision.sendAt.toISOString()).toBe((c.sendAt ?? now).toISOString());
    if (c.fallbacks !== undefined)
      expect(decision.fallbacks.map((f) => f.channel)).toEqual(c.fallbacks);
  }
  if (c.reason !== undefined) expect(decision.reasons.join('\n')).toContain(c.reason);
}

describe(decideRoute.name, () => {
  it('has a table of at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const now = c.now ?? NOON_SHANGHAI;
    const decision = decideRoute(customer(c.ctx), intent(c.intent), now, policy(c.policy));
    check(decision, c, now);
  });

  it('gives cumulative fallback delays from the policy, with read timeouts for critical messages', () => {
    const decision = decideRoute(
      customer(),
      intent({ urgency: 'critical' }),
      NOON_SHANGHAI,
      policy(),
    );
    expect(decision.ok && decision.fallbacks).toEqual([
      {
        channel: 'voice',
        address: '+8613800138000',
        afterSeconds: 60,
        unless: 'delivered',
        readWithinSeconds: 300,
      },
      {
        channel: 'wechat',
        address: 'wx_a',
        afterSeconds: 120,
        unless: 'delivered',
        readWithinSeconds: 600,
      },
    ]);
  });

  it('gives no read timeout where the policy sets none', () => {
    const decision = decideRoute(customer(), intent({ urgency: 'high' }), NOON_SHANGHAI, policy());
    if (!decision.ok) throw new Error(decision.reasons.join('; '));
    expect(decision.fallbacks.length).toBeGreaterThan(0);
    expect(decision.fallbacks.map((f) => f.readWithinSeconds)).toEqual(
      decision.fallbacks.map(() => undefined),
    );
  });

  it('returns the address of the chosen identity', () => {
    const decision = decideRoute(customer(), intent(), NOON_SHANGHAI, policy());
    expect(decision).toMatchObject({
      ok: true,
      channel: 'email',
      address: 'a@example.com',
      delayed: false,
    });
  });
});
