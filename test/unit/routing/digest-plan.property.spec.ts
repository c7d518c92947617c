import fc from 'fast-check';
import { CHANNELS, PURPOSES, URGENCIES, type Urgency } from '../../../src/common/names';
import {
  decideCampaignSend,
  decideRoute,
  digestItemRefusal,
  digestPurpose,
  planDigest,
  quietUntil,
  routeDigest,
  type ContactBudgetPolicy,
  type CustomerRoutingContext,
  type DigestHistory,
  type SupportFacts,
} from '../../../src/routing/decision';
import { customer, intent, policy } from './routing-fixtures';

const MIN = 60_000;
const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const ctxArb = fc.record({
  timezone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'UTC'),
  quietHours: fc.option(fc.record({ start: clock, end: clock }), { nil: null }),
}) as fc.Arbitrary<Pick<CustomerRoutingContext, 'quietHours' | 'timezone'>>;
/** Sends to one customer: the minutes since the previous one, and the urgency. */
const sendsArb = fc.array(
  fc.record({
    gapMinutes: fc.integer({ min: 0, max: 240 }),
    urgency: fc.constantFrom(...URGENCIES),
  }),
  { minLength: 1, maxLength: 25 },
);
const startArb = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 0, 1) });

type Contact = { at: number; urgency: Urgency; alone: boolean; items: number[] };

/**
 * Plays a customer's sends through planDigest as the hub does: a message that goes now is a
 * contact at once; a gathered one waits in its digest, and a digest is a low-urgency contact
 * at its due time, after which a new window starts from it.
 */
function play(
  ctx: Pick<CustomerRoutingContext, 'quietHours' | 'timezone'>,
  windowMinutes: number,
  start: number,
  sends: Array<{ gapMinutes: number; urgency: Urgency }>,
) {
  const pol = policy({ digestWindowMinutes: windowMinutes });
  const contacts: Contact[] = [];
  let open: { id: string; dueAt: Date; items: number[] } | null = null;
  let lastLowAt: number | null = null;
  let now = start;
  const flushDue = (until: number) => {
    if (open !== null && open.dueAt.getTime() <= until) {
      contacts.push({ at: open.dueAt.getTime(), urgency: 'low', alone: false, items: open.items });
      lastLowAt = open.dueAt.getTime();
      open = null;
    }
  };
  const gathered: Array<{ index: number; urgency: Urgency; at: number; windowEnd: number }> = [];
  sends.forEach((s, index) => {
    now += s.gapMinutes * MIN;
    flushDue(now);
    const history: DigestHistory = {
      lastLowAt: lastLowAt === null ? null : new Date(lastLowAt),
      openDigest: open === null ? null : { id: open.id, dueAt: open.dueAt },
    };
    const plan = planDigest(ctx, { urgency: s.urgency }, history, new Date(now), pol);
    if (!plan.gather) {
      contacts.push({ at: now, urgency: s.urgency, alone: true, items: [index] });
      if (s.urgency === 'low') lastLowAt = now;
      return;
    }
    gathered.push({
      index,
      urgency: s.urgency,
      at: now,
      windowEnd: (lastLowAt ?? 0) + windowMinutes * MIN,
    });
    if (plan.digestId === null) {
      expect(open).toBeNull();
      open = { id: `d${index}`, dueAt: plan.dueAt, items: [index] };
    } else {
      expect(plan.digestId).toBe(open!.id);
      expect(plan.dueAt).toEqual(open!.dueAt);
      open!.items.push(index);
    }
  });
  flushDue(Number.MAX_SAFE_INTEGER);
  return { contacts, gathered };
}

describe('planDigest (property)', () => {
  it('never gathers normal, high or critical messages: they go at once', () => {
    fc.assert(
      fc.property(
        ctxArb,
        fc.integer({ min: 1, max: 180 }),
        startArb,
        sendsArb,
        (ctx, w, start, sends) => {
          const { contacts } = play(ctx, w, start, sends);
          const nowAt = new Map<number, number>();
          let t = start;
          sends.forEach((s, i) => nowAt.set(i, (t += s.gapMinutes * MIN)));
          for (const [i, s] of sends.entries()) {
            if (s.urgency === 'low') continue;
            const c = contacts.find((x) => x.items.includes(i))!;
            expect(c.alone).toBe(true);
            expect(c.at).toBe(nowAt.get(i));
          }
        },
      ),
    );
  });

  it('a gathered message never goes out alone, and every message goes exactly once', () => {
    fc.assert(
      fc.property(
        ctxArb,
        fc.integer({ min: 1, max: 180 }),
        startArb,
        sendsArb,
        (ctx, w, start, sends) => {
          const { contacts, gathered } = play(ctx, w, start, sends);
          const carried = contacts.flatMap((c) => c.items).sort((a, b) => a - b);
          expect(carried).toEqual(sends.map((_, i) => i));
          for (const g of gathered) {
            const c = contacts.find((x) => x.items.includes(g.index))!;
            expect(c.alone).toBe(false);
            expect(g.urgency).toBe('low');
          }
        },
      ),
    );
  });

  it('a digest never goes inside quiet hours, nor before its window ends, nor a day after', () => {
    fc.assert(
      fc.property(
        ctxArb,
        fc.integer({ min: 1, max: 180 }),
        startArb,
        sendsArb,
        (ctx, w, start, sends) => {
          const { contacts, gathered } = play(ctx, w, start, sends);
          for (const c of contacts.filter((x) => !x.alone)) {
            if (ctx.quietHours) expect(quietUntil(ctx.quietHours, ctx.timezone, c.at)).toBe(-1);
          }
          for (const g of gathered) {
            const c = contacts.find((x) => x.items.includes(g.index))!;
            expect(c.at).toBeGreaterThan(g.at);
            expect(c.at).toBeGreaterThanOrEqual(g.windowEnd);
            // Quiet hours push a digest by less than a day (a DST change adds at most an hour).
            expect(c.at - g.windowEnd).toBeLessThan(25 * 60 * MIN);
            if (!ctx.quietHours) expect(c.at).toBe(g.windowEnd);
          }
        },
      ),
    );
  });

  it('low-urgency contacts are at least one window apart', () => {
    fc.assert(
      fc.property(
        ctxArb,
        fc.integer({ min: 1, max: 180 }),
        startArb,
        sendsArb,
        (ctx, w, start, sends) => {
          const low = play(ctx, w, start, sends)
            .contacts.filter((c) => c.urgency === 'low')
            .map((c) => c.at)
            .sort((a, b) => a - b);
          for (let i = 1; i < low.length; i++)
            expect(low[i] - low[i - 1]).toBeGreaterThanOrEqual(w * MIN);
        },
      ),
    );
  });

  it('window 0: every message goes alone, at once', () => {
    fc.assert(
      fc.property(ctxArb, startArb, sendsArb, (ctx, start, sends) => {
        expect(play(ctx, 0, start, sends).contacts.every((c) => c.alone)).toBe(true);
      }),
    );
  });
});

describe('routeDigest (property)', () => {
  const channel = fc.constantFrom(...CHANNELS);
  const status = fc.constantFrom('granted' as const, 'revoked' as const, undefined);
  const ctxArb2 = fc
    .record({
      identities: fc.array(
        fc.record({
          channel,
          address: fc.constant('x'),
          status: fc.constantFrom('active' as const, 'bounced' as const),
        }),
        { maxLength: 5 },
      ),
      consent: fc.dictionary(
        channel,
        fc.record({ transactional: status, service: status, marketing: status }),
      ),
      marketingSent: fc.record({ lastDay: fc.nat(5), lastWeek: fc.nat(9) }),
    })
    .map((o) => customer(o as Partial<CustomerRoutingContext>));
  const itemsArb = fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      purpose: fc.constantFrom(...PURPOSES),
      topic: fc.constantFrom('orders', 'promo', null),
    }),
    { minLength: 1, maxLength: 6, selector: (i) => i.id },
  );

  it('every item is carried or dropped with a reason, never both; carried ones have consent on the channel', () => {
    fc.assert(
      fc.property(ctxArb2, itemsArb, startArb, (ctx, items, start) => {
        const r = routeDigest(ctx, items, new Date(start), policy());
        const dropped = r.dropped.map((d) => d.id);
        expect([...r.kept, ...dropped].sort()).toEqual(items.map((i) => i.id).sort());
        for (const d of r.dropped) expect(d.reason.length).toBeGreaterThan(0);
        if (r.decision === null) {
          expect(r.kept).toEqual([]);
          return;
        }
        expect(r.kept.length).toBeGreaterThan(0);
        for (const id of r.kept) {
          const item = items.find((i) => i.id === id)!;
          expect(digestItemRefusal(ctx.consent, r.decision.channel, item.purpose)).toBeNull();
        }
        expect(r.purpose).toBe(
          digestPurpose(items.filter((i) => r.kept.includes(i.id)).map((i) => i.purpose)),
        );
      }),
    );
  });
});

const DAY = 24 * 60 * MIN;
/** The support facts as times before `now` (recent breaches, open conversations, low ratings common). */
const supportAgoArb = fc.record({
  openAgo: fc.option(fc.integer({ min: 0, max: 40 * DAY }), { nil: null }),
  breachAgo: fc.option(fc.integer({ min: 0, max: 40 * DAY }), { nil: null }),
  score: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
});
const budgetArb: fc.Arbitrary<ContactBudgetPolicy> = fc.record({
  holdOpenConversation: fc.boolean(),
  breachDays: fc.constantFrom(0, 1, 7, 30),
  minCsat: fc.integer({ min: 0, max: 5 }),
});
function supportAt(
  now: number,
  s: { openAgo: number | null; breachAgo: number | null; score: number | null },
): SupportFacts {
  const at = (ago: number | null) => (ago === null ? null : new Date(now - ago));
  return {
    openConversationSince: at(s.openAgo),
    lastSlaBreachAt: at(s.breachAgo),
    lastCsat: s.score === null ? null : { score: s.score, at: new Date(now) },
  };
}
/** Whether a contact budget hold applies: the rules stated independently of contact-budget.ts. */
function holdApplies(f: SupportFacts, b: ContactBudgetPolicy, now: number): boolean {
  return (
    (b.holdOpenConversation && f.openConversationSince !== null) ||
    (b.breachDays > 0 &&
      f.lastSlaBreachAt !== null &&
      now - f.lastSlaBreachAt.getTime() < b.breachDays * DAY) ||
    (b.minCsat > 0 && f.lastCsat !== null && f.lastCsat.score < b.minCsat)
  );
}
/** The customer's digest facts at `now`: a low contact some minutes ago (or none), an open digest or not. */
const historyArb = fc.record({
  lastLowAgoMinutes: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { nil: null }),
  open: fc.option(fc.integer({ min: 1, max: 24 * 60 }), { nil: null }),
});
function historyAt(
  now: number,
  h: { lastLowAgoMinutes: number | null; open: number | null },
): DigestHistory {
  return {
    lastLowAt: h.lastLowAgoMinutes === null ? null : new Date(now - h.lastLowAgoMinutes * MIN),
    openDigest: h.open === null ? null : { id: 'open-digest', dueAt: new Date(now + h.open * MIN) },
  };
}

describe('decideCampaignSend (property): a campaign recipient, routed then planned like a single send', () => {
  const campaignCtxArb = fc
    .record({
      timezone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'UTC'),
      quietHours: fc.option(fc.record({ start: clock, end: clock }), { nil: null }),
      marketingSent: fc.record({ lastDay: fc.nat(3), lastWeek: fc.nat(6) }),
      consent: fc.dictionary(
        fc.constantFrom(...CHANNELS),
        fc.record({
          transactional: fc.constantFrom('granted' as const, 'revoked' as const, undefined),
          service: fc.constantFrom('granted' as const, 'revoked' as const, undefined),
          marketing: fc.constantFrom('granted' as const, 'revoked' as const, undefined),
        }),
      ),
    })
    .map((o) => customer(o as Partial<CustomerRoutingContext>));
  const campaignIntentArb = fc
    .record({
      urgency: fc.constantFrom(...URGENCIES),
      purpose: fc.constantFrom(...PURPOSES),
      topic: fc.constantFrom('promo', 'orders'),
    })
    .map((o) => intent(o));

  it('never sends marketing inside the contact budget hold: not at once, not gathered into a digest', () => {
    let held = 0;
    fc.assert(
      fc.property(
        campaignCtxArb,
        campaignIntentArb,
        budgetArb,
        supportAgoArb,
        historyArb,
        fc.integer({ min: 0, max: 180 }),
        startArb,
        (ctx, anyIntent, contactBudget, ago, h, w, now) => {
          const facts = supportAt(now, ago);
          const pol = policy({ contactBudget, digestWindowMinutes: w });
          const i = { ...anyIntent, purpose: 'marketing' as const };
          const d = decideCampaignSend(
            { ...ctx, support: facts },
            i,
            historyAt(now, h),
            new Date(now),
            pol,
          );
          if (!holdApplies(facts, contactBudget, now)) return;
          held++;
          expect(d.kind).toBe('suppressed');
          if (d.kind === 'suppressed') expect(d.decision.suppression).toBe('contactBudget');
        },
      ),
      { numRuns: 1_500 },
    );
    expect(held).toBeGreaterThan(300);
  });

  it('a digest never carries a marketing message while a contact budget hold applies', () => {
    const itemsArb = fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 4 }),
        purpose: fc.constantFrom(...PURPOSES),
        topic: fc.constantFrom('orders', 'promo', null),
      }),
      { minLength: 1, maxLength: 6, selector: (i) => i.id },
    );
    fc.assert(
      fc.property(
        campaignCtxArb,
        itemsArb,
        budgetArb,
        supportAgoArb,
        startArb,
        (ctx, items, contactBudget, ago, now) => {
          const facts = supportAt(now, ago);
          const r = routeDigest(
            { ...ctx, support: facts },
            items,
            new Date(now),
            policy({ contactBudget }),
          );
          if (!holdApplies(facts, contactBudget, now)) return;
          const marketing = items.filter((i) => i.purpose === 'marketing').map((i) => i.id);
          expect(r.kept.filter((id) => marketing.includes(id))).toEqual([]);
          if (r.decision !== null) expect(r.purpose).not.toBe('marketing');
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it('gathers a low-urgency send inside the window (or with an open digest) whenever it may go, into the open digest if any', () => {
    let gathered = 0;
    fc.assert(
      fc.property(
        campaignCtxArb,
        campaignIntentArb,
        historyArb,
        fc.integer({ min: 1, max: 180 }),
        startArb,
        (ctx, anyIntent, h, w, now) => {
          const i = { ...anyIntent, urgency: 'low' as const };
          const pol = policy({ digestWindowMinutes: w });
          const history = historyAt(now, h);
          const d = decideCampaignSend(ctx, i, history, new Date(now), pol);
          const route = decideRoute(ctx, i, new Date(now), pol);
          if (!route.ok) {
            expect(d.kind).toBe('suppressed');
            return;
          }
          const inWindow =
            history.openDigest !== null ||
            (history.lastLowAt !== null && history.lastLowAt.getTime() + w * MIN > now);
          expect(d.kind).toBe(inWindow ? 'gather' : 'send');
          if (d.kind !== 'gather') return;
          gathered++;
          expect(d.decision).toEqual(route);
          expect(d.plan.digestId).toBe(history.openDigest?.id ?? null);
          if (history.openDigest) expect(d.plan.dueAt).toEqual(history.openDigest.dueAt);
          else
            expect(d.plan.dueAt.getTime()).toBeGreaterThanOrEqual(
              history.lastLowAt!.getTime() + w * MIN,
            );
          // A digest opened when it is written goes a window from now at the earliest (past quiet hours).
          expect(d.newDigestDueAt.getTime()).toBeGreaterThan(now);
          if (ctx.quietHours)
            expect(quietUntil(ctx.quietHours, ctx.timezone, d.newDigestDueAt.getTime())).toBe(-1);
        },
      ),
      { numRuns: 1_500 },
    );
    expect(gathered).toBeGreaterThan(150);
  });

  it('never gathers normal, high or critical campaign sends, nor anything with digests off or unread', () => {
    fc.assert(
      fc.property(
        campaignCtxArb,
        campaignIntentArb,
        historyArb,
        fc.integer({ min: 0, max: 180 }),
        startArb,
        (ctx, i, h, w, now) => {
          const pol = policy({ digestWindowMinutes: w });
          const d = decideCampaignSend(ctx, i, historyAt(now, h), new Date(now), pol);
          if (i.urgency !== 'low' || w === 0) expect(d.kind).not.toBe('gather');
          expect(decideCampaignSend(ctx, i, null, new Date(now), pol).kind).not.toBe('gather');
          // Whether it goes at all is decideRoute's alone.
          expect(d.kind === 'suppressed').toBe(!decideRoute(ctx, i, new Date(now), pol).ok);
        },
      ),
      { numRuns: 1_500 },
    );
  });
});
