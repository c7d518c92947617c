/** Campaign statistics assembled from counts; rates, costs and return. Pure. */

/** The numbers of one channel (or variant) of a campaign; every one counts recipients. */
export interface ChannelCounts {
  /** Recipients given a message (sent + scheduled + unknown + cancelled). */
  targeted: number;
  /**
   * Messages handed to delivery: queued for it now, sent, delivered, read, failed or
   * undelivered. Not the scheduled, unknown or cancelled ones.
   */
  sent: number;
  /** Held by quiet hours until their send time (scheduledFirstAt..scheduledLastAt). */
  scheduled: number;
  /**
   * Of sent: gathered into the customer's digest (a low-urgency campaign); each counts as queued
   * until its digest goes, then as the digest message's own delivery.
   */
  digested: number;
  /** Of sent: still waiting for the provider. */
  queued: number;
  /** Of sent: delivered or read. */
  delivered: number;
  /** Of sent: failed, undelivered or refused at send time. */
  failed: number;
  /** Interrupted by a crash after they may have reached the provider: neither sent nor not. */
  unknown: number;
  /** Held sends of a cancelled campaign, never sent. */
  cancelled: number;
  opened: number;
  clicked: number;
  /** Answered within the reply window on the same channel (no CSAT answer, no keyword). */
  replied: number;
  /** Opted out: a STOP/退订 answer within the reply window or the unsubscribe link. */
  unsubscribed: number;
  /** Recipients with a conversion attributed to the campaign. */
  converted: number;
  /** Conversions (orders) attributed to the campaign. */
  orders: number;
  revenue: number;
}

export const COUNT_KEYS = [
  'targeted',
  'sent',
  'scheduled',
  'digested',
  'queued',
  'delivered',
  'failed',
  'unknown',
  'cancelled',
  'opened',
  'clicked',
  'replied',
  'unsubscribed',
  'converted',
  'orders',
  'revenue',
] as const satisfies ReadonlyArray<keyof ChannelCounts>;

/** Counts and when the held sends are due: the earliest and the latest send time. */
export interface ChannelInput extends ChannelCounts {
  scheduledFirstAt: Date | null;
  scheduledLastAt: Date | null;
}

export interface SuppressedCounts {
  noConsent: number;
  quietHours: number;
  frequencyCap: number;
  noChannel: number;
  contactBudget: number;
}

export const emptyCounts = (): ChannelInput => ({
  ...(Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as ChannelCounts),
  scheduledFirstAt: null,
  scheduledLastAt: null,
});

/** Adds `c` into `into` (counts summed, the scheduled span widened). */
export function addCounts(into: ChannelInput, c: ChannelInput): ChannelInput {
  for (const k of COUNT_KEYS) into[k] += c[k];
  if (c.scheduledFirstAt && (!into.scheduledFirstAt || c.scheduledFirstAt < into.scheduledFirstAt))
    into.scheduledFirstAt = c.scheduledFirstAt;
  if (c.scheduledLastAt && (!into.scheduledLastAt || c.scheduledLastAt > into.scheduledLastAt))
    into.scheduledLastAt = c.scheduledLastAt;
  return into;
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : 0);
const money = (v: number) => Math.round(v * 10000) / 10000;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** (revenue - cost) / cost; null when nothing was spent. */
const roi = (revenue: number, cost: number) =>
  cost > 0 ? Math.round(((revenue - cost) / cost) * 10000) / 10000 : null;

function withRates(c: ChannelInput) {
  return {
    ...c,
    revenue: money(c.revenue),
    scheduledFirstAt: iso(c.scheduledFirstAt),
    scheduledLastAt: iso(c.scheduledLastAt),
    deliveryRate: rate(c.delivered, c.sent),
    openRate: rate(c.opened, c.sent),
    clickRate: rate(c.clicked, c.sent),
    replyRate: rate(c.replied, c.sent),
    conversionRate: rate(c.converted, c.sent),
  };
}

export function assembleStats(
  recipients: number,
  suppressed: SuppressedCounts,
  byChannel: Record<string, ChannelInput>,
  prices: Record<string, number>,
) {
  const total = emptyCounts();
  let cost = 0;
  const channels: Record<
    string,
    ReturnType<typeof withRates> & {
      unitPrice: number;
      cost: number;
      costPerConversion: number | null;
      roi: number | null;
    }
  > = {};
  for (const [channel, c] of Object.entries(byChannel)) {
    addCounts(total, c);
    const unitPrice = prices[channel] ?? 0;
    const channelCost = money(unitPrice * c.sent);
    cost += channelCost;
    channels[channel] = {
      ...withRates(c),
      unitPrice,
      cost: channelCost,
      costPerConversion: c.converted > 0 ? money(channelCost / c.converted) : null,
      roi: roi(c.revenue, channelCost),
    };
  }
  const t = withRates(total);
  cost = money(cost);
  return {
    recipients,
    suppressed: {
      ...suppressed,
      total:
        suppressed.noConsent +
        suppressed.quietHours +
        suppressed.frequencyCap +
        suppressed.noChannel +
        suppressed.contactBudget,
    },
    byChannel: channels,
    targeted: t.targeted,
    sent: t.sent,
    scheduled: t.scheduled,
    scheduledFirstAt: t.scheduledFirstAt,
    scheduledLastAt: t.scheduledLastAt,
    digested: t.digested,
    queued: t.queued,
    delivered: t.delivered,
    failed: t.failed,
    unknown: t.unknown,
    cancelled: t.cancelled,
    opened: t.opened,
    clicked: t.clicked,
    replied: t.replied,
    unsubscribed: t.unsubscribed,
    converted: t.converted,
    orders: t.orders,
    revenue: t.revenue,
    rates: {
      delivery: t.deliveryRate,
      open: t.openRate,
      click: t.clickRate,
      reply: t.replyRate,
      conversion: t.conversionRate,
    },
    cost,
    roi: roi(t.revenue, cost),
  };
}
