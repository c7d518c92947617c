import fc from 'fast-check';
import { CHANNELS, PURPOSES, URGENCIES } from '../../../src/common/names';
import type { Channel } from '../../../src/common/names';
import {
  decideRoute,
  matchPreferenceRow,
  quietUntil,
  whatsappWindowEnd,
} from '../../../src/routing/decision';
import type {
  ContactBudgetPolicy,
  CustomerRoutingContext,
  MessageIntent,
  RoutingPolicy,
  SupportFacts,
} from '../../../src/routing/decision';
import { policy } from './routing-fixtures';

const channel = fc.constantFrom(...CHANNELS);
const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const consentStatus = fc.constantFrom('granted' as const, 'revoked' as const, undefined);

const DAY_MS = 86_400_000;
const dateArb = fc
  .integer({ min: Date.UTC(2024, 11, 1), max: Date.UTC(2026, 0, 1) })
  .map((ms) => new Date(ms));
const supportArb: fc.Arbitrary<SupportFacts> = fc.record({
  openConversationSince: fc.option(dateArb, { nil: null }),
  lastSlaBreachAt: fc.option(dateArb, { nil: null }),
  lastCsat: fc.option(fc.record({ score: fc.integer({ min: 1, max: 5 }), at: dateArb }), {
    nil: null,
  }),
});
const budgetArb: fc.Arbitrary<ContactBudgetPolicy> = fc.record({
  holdOpenConversation: fc.boolean(),
  breachDays: fc.constantFrom(0, 1, 7, 30),
  minCsat: fc.integer({ min: 0, max: 5 }),
});

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
  support: fc.option(supportArb, { nil: undefined }),
  lastWhatsappInboundAt: fc.option(dateArb, { nil: null }),
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
    contactBudget: budgetArb,
    whatsapp: fc.record({
      windowHours: fc.constant(24),
      approvedTemplates: fc.constantFrom([], ['t'], ['other']),
    }),
  })
  .map((p) => policy(p as Partial<RoutingPolicy>));

const nowArb = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 0, 1) })
  .map((ms) => new Date(ms));

/**
 * WhatsApp, stated independently: a free-form message (a template not approved) only before
 * the customer's last inbound WhatsApp message + 24 hours.
 */
function whatsappAllowed(
  ctx: CustomerRoutingContext,
  intent: MessageIntent,
  pol: RoutingPolicy,
  atMs: number,
): boolean {
  if (pol.whatsapp?.approvedTemplates.includes(intent.template)) return true;
  const last = ctx.lastWhatsappInboundAt;
  return last !== null && last !== undefined && atMs < last.getTime() + 24 * 3_600_000;
}

function usable(
  ctx: CustomerRoutingContext,
  intent: MessageIntent,
  pol: RoutingPolicy,
  ch: Channel,
  address: string,
  atMs?: number,
) {
  if (ch === 'whatsapp' && atMs !== undefined && !whatsappAllowed(ctx, intent, pol, atMs))
    return false;
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
        const at = decision.sendAt.getTime();
        if (!usable(ctx, intent, pol, decision.channel, decision.address, at)) return false;
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
          const turn = at + f.afterSeconds * 1000;
          if (seen.has(f.channel) || !usable(ctx, intent, pol, f.channel, f.address, turn))
            return false;
          seen.add(f.channel);
        }
        return true;
      }),
      { numRuns: 100_000 },
    );
  });

  it('never sends marketing while a contact budget hold applies', () => {
    let held = 0;
    fc.assert(
      fc.property(
        ctxArb,
        intentArb,
        policyArb,
        nowArb,
        // The support facts again, as times before `now`, so that recent breaches are common.
        fc.option(fc.integer({ min: 0, max: 40 * DAY_MS }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 40 * DAY_MS }), { nil: null }),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
        (ctx, anyIntent, pol, now, openAgo, breachAgo, score) => {
          const intent = { ...anyIntent, purpose: 'marketing' as const };
          const at = (ago: number | null) => (ago === null ? null : new Date(now.getTime() - ago));
          const facts: SupportFacts = {
            openConversationSince: at(openAgo),
            lastSlaBreachAt: at(breachAgo),
            lastCsat: score === null ? null : { score, at: now },
          };
          const decision = decideRoute({ ...ctx, support: facts }, intent, now, pol);
          if (!holdApplies(facts, pol.contactBudget, now)) return true;
          held++;
          return (
            !decision.ok &&
            decision.suppression === 'contactBudget' &&
            decision.reasons.length > 0 &&
            decision.reasons.every((r) => r.startsWith('held: '))
          );
        },
      ),
      { numRuns: 20_000 },
    );
    expect(held).toBeGreaterThan(5000);
  });

  it('decides non-marketing messages as if the support facts were not there', () => {
    fc.assert(
      fc.property(
        ctxArb,
        supportArb,
        intentArb,
        policyArb,
        nowArb,
        (ctx, facts, anyIntent, pol, now) => {
          const intent =
            anyIntent.purpose === 'marketing'
              ? { ...anyIntent, purpose: 'service' as const }
              : anyIntent;
          const withFacts = decideRoute({ ...ctx, support: facts }, intent, now, pol);
          const without = decideRoute({ ...ctx, support: undefined }, intent, now, pol);
          expect(withFacts).toEqual(without);
        },
      ),
      { numRuns: 20_000 },
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

describe(`${decideRoute.name} and the WhatsApp 24-hour window`, () => {
  it('never plans a free-form WhatsApp send outside the window, first or as a fallback', () => {
    let whatsappSends = 0;
    let skipped = 0;
    fc.assert(
      fc.property(
        ctxArb,
        intentArb,
        policyArb,
        nowArb,
        // The last inbound WhatsApp message, from an hour ahead (clock skew) to 60 hours ago.
        fc.option(fc.integer({ min: -3_600, max: 60 * 3_600 }), { nil: null }),
        fc.boolean(),
        (anyCtx, intent, pol, now, agoSeconds, preferWhatsapp) => {
          const last = agoSeconds === null ? null : new Date(now.getTime() - agoSeconds * 1000);
          const ctx: CustomerRoutingContext = {
            ...anyCtx,
            lastWhatsappInboundAt: last,
            identities: [
              { channel: 'whatsapp', address: 'w', status: 'active' },
              ...anyCtx.identities,
            ],
            templateChannels: new Set<Channel>([...anyCtx.templateChannels, 'whatsapp']),
            preferences: preferWhatsapp
              ? [{ topic: '*', urgency: '*', channels: ['whatsapp', 'sms', 'email'] }]
              : anyCtx.preferences,
          };
          const decision = decideRoute(ctx, intent, now, pol);
          const end = whatsappWindowEnd(last, 24);
          const freeForm = !pol.whatsapp?.approvedTemplates.includes(intent.template);
          if (decision.reasons.some((r) => r.startsWith('whatsapp excluded: outside'))) skipped++;
          if (!decision.ok) return true;
          const sendAt = decision.sendAt.getTime();
          const turns = [
            { channel: decision.channel, at: sendAt },
            ...decision.fallbacks.map((f) => ({
              channel: f.channel,
              at: sendAt + f.afterSeconds * 1000,
            })),
          ];
          for (const turn of turns) {
            if (turn.channel !== 'whatsapp') continue;
            whatsappSends++;
            if (freeForm && !(turn.at < end)) return false;
          }
          return true;
        },
      ),
      { numRuns: 50_000 },
    );
    expect(whatsappSends).toBeGreaterThan(2_000);
    expect(skipped).toBeGreaterThan(2_000);
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
    case 'contactBudget':
      return (
        intent.purpose === 'marketing' &&
        ctx.support !== undefined &&
        holdApplies(ctx.support, pol.contactBudget, now)
      );
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
    default: {
      // When the message would go: now, or the end of quiet hours that delay it.
      const quiet = ctx.quietHours === undefined ? pol.quietHours.default : ctx.quietHours;
      const until = quiet === null ? -1 : quietUntil(quiet, ctx.timezone, now.getTime());
      const delayed =
        until > now.getTime() &&
        intent.urgency !== 'critical' &&
        !pol.quietHours.exemptUrgencies.includes(intent.urgency);
      const at = delayed ? until : now.getTime();
      return !candidates(ctx, intent, pol).some((ch) =>
        ctx.identities.some(
          (i) =>
            i.channel === ch &&
            i.status === 'active' &&
            usable(ctx, intent, pol, ch, i.address, now.getTime()) &&
            usable(ctx, intent, pol, ch, i.address, at),
        ),
      );
    }
  }
}

/** Whether any contact budget hold applies: the rules of README, stated independently. */
function holdApplies(facts: SupportFacts, budget: ContactBudgetPolicy, now: Date): boolean {
  const breach = facts.lastSlaBreachAt;
  return (
    (budget.holdOpenConversation && facts.openConversationSince !== null) ||
    (budget.breachDays > 0 &&
      breach !== null &&
      now.getTime() - breach.getTime() < budget.breachDays * DAY_MS) ||
    (budget.minCsat > 0 && facts.lastCsat !== null && facts.lastCsat.score < budget.minCsat)
  );
}
