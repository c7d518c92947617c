import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import {
  assembleStats,
  emptyCounts,
  type ChannelCounts,
  type SuppressedCounts,
} from './campaign-stats';
import { CampaignStatsRepository } from './campaign-stats.repository';
import { parseUnitPrices } from './unit-prices';

/** Replies this soon after a campaign message are attributed to it. */
export const REPLY_WINDOW_HOURS = 72;

/** GET /campaigns/:id/stats: counts from recipients, their messages, tracking events, replies and conversions. */
@Injectable()
export class CampaignStatsService {
  private readonly prices: Record<string, number>;

  constructor(
    private readonly repo: CampaignStatsRepository,
    config: AppConfig,
  ) {
    this.prices = parseUnitPrices(config.env.CHANNEL_UNIT_PRICES);
  }

  async stats(campaignId: string) {
    const counts = await this.repo.countsOf(campaignId, REPLY_WINDOW_HOURS);
    const byChannel: Record<string, ChannelCounts> = {};
    const slot = (ch: string | null) => (byChannel[ch ?? 'unknown'] ??= emptyCounts());
    for (const c of counts.sends)
      Object.assign(slot(c.channel), {
        sent: c.sent,
        queued: c.queued,
        delivered: c.delivered,
        failed: c.failed,
        replied: c.replied,
      });
    for (const t of counts.tracking)
      Object.assign(slot(t.channel), { opened: t.opened, clicked: t.clicked });
    for (const v of counts.conversions)
      Object.assign(slot(v.channel), { converted: v.converted, revenue: v.revenue });
    const { recipients, ...suppressed } = counts.recipients;
    return {
      campaignId,
      ...assembleStats(recipients, suppressed satisfies SuppressedCounts, byChannel, this.prices),
    };
  }
}
