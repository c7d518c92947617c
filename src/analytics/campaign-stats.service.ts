import { Injectable } from '@nestjs/common';
import { smsKeywords } from '../../channel-adapters/sms/sms-keywords';
import { variantLetter } from '../common/names';
import { AppConfig } from '../config/app-config';
import {
  addCounts,
  assembleStats,
  emptyCounts,
  type ChannelInput,
  type SuppressedCounts,
} from './campaign-stats';
import { CampaignStatsRepository, type ReplyRules } from './campaign-stats.repository';
import { abResult, type AbMetric } from './significance';
import { parseUnitPrices } from './unit-prices';

/** Each A/B metric's successes among a variant's numbers. */
const SUCCESSES: Record<AbMetric, (c: ChannelInput) => number> = {
  open: (c) => c.opened,
  click: (c) => c.clicked,
  reply: (c) => c.replied,
  conversion: (c) => c.converted,
};

/**
 * GET /campaigns/:id/stats: counts from recipients, their messages, tracking events, replies
 * and conversions, per channel and in total, and the A/B result when the campaign has variants.
 */
@Injectable()
export class CampaignStatsService {
  private readonly prices: Record<string, number>;
  private readonly rules: ReplyRules;

  constructor(
    private readonly repo: CampaignStatsRepository,
    config: AppConfig,
  ) {
    this.prices = parseUnitPrices(config.env.CHANNEL_UNIT_PRICES);
    this.rules = {
      windowHours: config.env.CAMPAIGN_REPLY_WINDOW_HOURS,
      keywords: smsKeywords(),
      optOutKeywords: smsKeywords('optout'),
    };
  }

  get replyWindowHours(): number {
    return this.rules.windowHours;
  }

  async stats(campaignId: string, metric: AbMetric = 'click') {
    const counts = await this.repo.countsOf(campaignId, this.rules);
    const byChannel: Record<string, ChannelInput> = {};
    // Every variant the campaign defines has a row, also one the split gave nobody yet.
    const byVariant: Record<string, ChannelInput> = Object.fromEntries(
      Array.from({ length: counts.variants }, (_, i) => [variantLetter(i), emptyCounts()]),
    );
    for (const g of counts.groups) {
      addCounts((byChannel[g.channel ?? 'unknown'] ??= emptyCounts()), g);
      if (g.variant !== null) addCounts((byVariant[g.variant] ??= emptyCounts()), g);
    }
    const variants = Object.entries(byVariant).map(([variant, c]) => ({
      variant,
      sent: c.sent,
      successes: SUCCESSES[metric](c),
    }));
    const { recipients, ...suppressed } = counts.recipients;
    return {
      campaignId,
      replyWindowHours: this.rules.windowHours,
      ...assembleStats(recipients, suppressed satisfies SuppressedCounts, byChannel, this.prices),
      ab: variants.length > 0 ? abResult(variants, metric) : null,
    };
  }
}
