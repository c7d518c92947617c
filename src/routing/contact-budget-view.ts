/** What an agent sees of a customer's contact budget, from the routing context. Pure. */
import { CHANNELS, type Channel } from '../common/names';
import {
  contactBudgetHolds,
  decideRoute,
  quietUntil,
  type BudgetHoldKind,
  type CustomerRoutingContext,
  type MessageIntent,
  type RoutingPolicy,
} from './decision';

export interface ContactBudgetView {
  marketing: {
    /** Marketing messages sent in the last 24 hours and the last 7 days (what the caps count). */
    sentToday: number;
    sentThisWeek: number;
    capPerDay: number;
    capPerWeek: number;
    remainingToday: number;
    remainingThisWeek: number;
    held: boolean;
    holds: Array<{ kind: BudgetHoldKind; reason: string; since?: string }>;
  };
  quietHours: {
    start: string;
    end: string;
    timezone: string;
    activeNow: boolean;
    /** When the quiet hours in force now end. */
    until?: string;
  } | null;
  bestChannelNow: { channel: Channel; address?: string; reasons: string[] } | null;
}

/** A normal-urgency service message of no particular topic, as if every channel had a template. */
const SERVICE_NOW: MessageIntent = {
  topic: '*',
  urgency: 'normal',
  purpose: 'service',
  template: '(contact budget)',
};
const EVERY_CHANNEL: ReadonlySet<Channel> = new Set(CHANNELS);

export function contactBudgetView(
  context: Omit<CustomerRoutingContext, 'templateChannels'>,
  policy: RoutingPolicy,
  now: Date,
): ContactBudgetView {
  const nowMs = now.getTime();
  const sent = context.marketingSent;
  const cap = policy.frequencyCap;
  const holds = contactBudgetHolds(context.support, nowMs, policy.contactBudget);

  const quiet = context.quietHours === undefined ? policy.quietHours.default : context.quietHours;
  const until = quiet === null ? -1 : quietUntil(quiet, context.timezone, nowMs);

  const route = decideRoute(
    { ...context, templateChannels: EVERY_CHANNEL },
    SERVICE_NOW,
    now,
    policy,
  );

  return {
    marketing: {
      sentToday: sent.lastDay,
      sentThisWeek: sent.lastWeek,
      capPerDay: cap.perDay,
      capPerWeek: cap.perWeek,
      remainingToday: Math.max(0, cap.perDay - sent.lastDay),
      remainingThisWeek: Math.max(0, cap.perWeek - sent.lastWeek),
      held: holds.length > 0,
      holds: holds.map((h) => ({ kind: h.kind, reason: h.reason, since: h.since.toISOString() })),
    },
    quietHours:
      quiet === null
        ? null
        : {
            start: quiet.start,
            end: quiet.end,
            timezone: context.timezone,
            activeNow: until > nowMs,
            ...(until > nowMs ? { until: new Date(until).toISOString() } : {}),
          },
    bestChannelNow: route.ok
      ? { channel: route.channel, address: route.address, reasons: route.reasons }
      : null,
  };
}
