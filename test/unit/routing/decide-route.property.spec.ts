import fc from 'fast-check';
import { CHANNELS, PURPOSES, URGENCIES } from '../../../src/common/names';
import type { Channel } from '../../../src/common/names';
import { decideRoute, matchPreferenceRow, quietUntil } from '../../../src/routing/decision';
import type {
  CustomerRoutingContext,
  MessageIntent,
  RoutingPolicy,
} from '../../../src/routing/decision';
import { policy } from './routing-fixtures';

const channel = fc.constantFrom(...CHANNELS);
const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const consentStatus = fc.constantFrom('granted' as const, 'revoked' as const, undefined);

const ctxArb: fc.Arbitrary<CustomerRoutingContext> = fc.record({
  customerId: fc.constant('c'),
  locale: fc.constantFrom('en', 'zh-CN'),
  timezone: fc.constantFrom(
    'Asia/Shanghai',
    'America/New_York',
    'Europe/Berlin',
    'UTC',
    'Australia/Adelaide',
  ),
  attributes: fc.constant({}),
  identities: fc.array(
    fc.record({
      channel,
      address: fc.constantFrom('x', 'y'),
      status: fc.constantFrom('active' as const, 'undeliverable' as const, 'bounced' as const),
    }),
    { maxLength: 6 },
  ),
  preferences: fc.array(
    fc.record({
      topic: fc.constantFrom('*', 'orders', 'promo'),
      urgency: fc.constantFrom('*' as const, ...URGENCIES),
      channels: fc.uniqueArray(channel, { maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
  quietHours: fc.option(fc.record({ start: clock, end: clock }), { nil: null }),
  consent: fc.dictionary(
    channel,
    fc.record({ transactional: consentStatus, service: consentStatus, marketing: consentStatus }),
  ) as fc.Arbitrary<CustomerRoutingContext['consent']>,
  learnedRanking: fc.uniqueArray(channel, { maxLength: 5 }),
  marketingSent: fc.record({ lastDay: fc.nat(3), lastWeek: fc.nat(6) }),
  templateChannels: fc.uniqueArray(channel).map((cs) => new Set<Channel>(cs)),
});

const intentArb: fc.Arbitrary<MessageIntent> = fc.record(
  {
    topic: fc.constantFrom('orders', 'promo', 'alerts'),
    urgency: fc.constantFrom(...URGENCIES),
    purpose: fc.constantFrom(...PURPOSES),
    template: fc.constant('t'),
    channel,
  },
  { requiredKeys: ['topic', 'urgency', 'purpose', 'template'] },
);

const policyArb: fc.Arbitrary<RoutingPolicy> = fc
  .record({
    providerHealth: fc.dictionary(
      channel,
      fc.constantFrom('up' as const, 'degraded' as const, 'down' as const),
    ),
    matrixExclusive: fc.boolean(),
  })
  .map((p) => policy(p as Partial<RoutingPolicy>));

const nowArb = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 0, 1) })
  .map((ms) => new Date(ms));

function usable(
  ctx: CustomerRoutingContext,
  intent: MessageIntent,
  pol: RoutingPolicy,
  ch: Channel,
  address: string,
) {
  const identity = ctx.identities.some(
    (i) => i.channel === ch && i.address === address && i.status === 'active',
  );
  const consent = ctx.consent[ch]?.[intent.purpose];
  const consentOk = intent.purpose === 'marketing' ? consent === 'granted' : consent !== 'revoked';
  return identity && ctx.templateChannels.has(ch) && consentOk && pol.providerHealth[ch] !== 'down';
}

describe(`${decideRoute.name} properties`, () => {
  it('never picks an unusable channel, never delays critical, fallbacks also usable', () => {
    fc.assert(
      fc.property(ctxArb, intentArb, policyArb, nowArb, (ctx, intent, pol, now) => {
        const decision = decideRoute(ctx, intent, now, pol);
        if (!decision.ok) return decision.reasons.length > 0;
        if (!usable(ctx, intent, pol, decision.channel, decision.address)) return false;
        if (intent.channel !== undefined && decision.channel !== intent.channel) return false;
        if (intent.urgency === 'critical' && decision.sendAt.getTime() !== now.getTime())
          return false;
        if (decision.sendAt.getTime() < now.getTime()) return false;
        if (
          decision.delayed &&
          ctx.quietHours &&
          quietUntil(ctx.quietHours, ctx.timezone, now.getTime()) < 0
        ) {
          return false;
        }
        const seen = new Set<Channel>([decision.channel]);
        for (const f of decision.fallbacks) {
          if (seen.has(f.channel) || !usable(ctx, intent, pol, f.channel, f.address)) return false;
          seen.add(f.channel);
        }
        return true;
      }),
      { numRuns: 100_000 },
    );
  });

  it('refuses only with a cause: a cap reached, quiet hours that drop it, or no usable channel', () => {
    let refusals = 0;
    fc.assert(
      fc.property(ctxArb, intentArb, policyArb, nowArb, (ctx, intent, pol, now) => {
        const decision = decideRoute(ctx, intent, now, pol);
        if (decision.ok) return true;
        refusals++;
        return refusalJustified(ctx, intent, pol, now, decision.suppression);
      }),
      { numRuns: 50_000 },
    );
    expect(refusals).toBeGreaterThan(1000);
  });
});

/** The channels the router may consider, in the order it considers them. */
function candidates(ctx: CustomerRoutingContext, intent: MessageIntent, pol: RoutingPolicy) {
  if (intent.channel !== undefined) return [intent.channel];
  const row = matchPreferenceRow(ctx.preferences, intent.topic, intent.urgency);
  const ranked: Channel[] = row === null ? [] : [...row.channels];
  if (row === null || !pol.matrixExclusive)
    ranked.push(...ctx.learnedRanking, ...pol.defaultRanking[intent.urgency]);
  return ranked;
}

function refusalJustified(
  ctx: CustomerRoutingContext,
  intent: MessageIntent,
  pol: RoutingPolicy,
  now: Date,
  suppression: string,
): boolean {
  switch (suppression) {
    case 'frequencyCap':
      return (
        intent.purpose === 'marketing' &&
        (ctx.marketingSent.lastDay >= pol.frequencyCap.perDay ||
          ctx.marketingSent.lastWeek >= pol.frequencyCap.perWeek)
      );
    case 'quietHours': {
      const quiet = ctx.quietHours === undefined ? pol.quietHours.default : ctx.quietHours;
      return (
        quiet !== null &&
        quietUntil(quiet, ctx.timezone, now.getTime()) > now.getTime() &&
        intent.urgency !== 'critical' &&
        !pol.quietHours.exemptUrgencies.includes(intent.urgency) &&
        pol.quietHours.suppressPurposes.includes(intent.purpose)
      );
    }
    default:
      return !candidates(ctx, intent, pol).some((ch) =>
        ctx.identities.some(
          (i) =>
            i.channel === ch && i.status === 'active' && usable(ctx, intent, pol, ch, i.address),
        ),
      );
  }
}
