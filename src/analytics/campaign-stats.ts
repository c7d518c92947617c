/** Campaign statistics assembled from counts; rates and costs. Pure. */
export interface ChannelCounts {
  sent: number;
  queued: number;
  delivered: number;
  failed: number;
  opened: number;
  clicked: number;
  replied: number;
  converted: number;
  revenue: number;
}

export interface SuppressedCounts {
  noConsent: number;
  quietHours: number;
  frequencyCap: number;
  noChannel: number;
}

export const emptyCounts = (): ChannelCounts => ({
  sent: 0,
  queued: 0,
  delivered: 0,
  failed: 0,
  opened: 0,
  clicked: 0,
  replied: 0,
  converted: 0,
  revenue: 0,
});

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : 0);
const money = (v: number) => Math.round(v * 10000) / 10000;

function withRates(c: ChannelCounts) {
  return {
    ...c,
    revenue: money(c.revenue),
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
  byChannel: Record<string, ChannelCounts>,
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
    }
  > = {};
  for (const [channel, c] of Object.entries(byChannel)) {
    for (const k of Object.keys(total) as Array<keyof ChannelCounts>) total[k] += c[k];
    const unitPrice = prices[channel] ?? 0;
    const channelCost = money(unitPrice * c.sent);
    cost += channelCost;
    channels[channel] = {
      ...withRates(c),
      unitPrice,
      cost: channelCost,
      costPerConversion: c.converted > 0 ? money(channelCost / c.converted) : null,
    };
  }
  const t = withRates(total);
  return {
    recipients,
    suppressed: {
      ...suppressed,
      total:
        suppressed.noConsent +
        suppressed.quietHours +
        suppressed.frequencyCap +
        suppressed.noChannel,
    },
    byChannel: channels,
    sent: t.sent,
    queued: t.queued,
    delivered: t.delivered,
    failed: t.failed,
    opened: t.opened,
    clicked: t.clicked,
    replied: t.replied,
    converted: t.converted,
    revenue: t.revenue,
    rates: {
      delivery: t.deliveryRate,
      open: t.openRate,
      click: t.clickRate,
      reply: t.replyRate,
      conversion: t.conversionRate,
    },
    cost: money(cost),
  };
}
