import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import {
  assembleStats,
  emptyCounts,
  type ChannelCounts,
  type SuppressedCounts,
} from './campaign-stats';
import { parseUnitPrices } from './unit-prices';

/** Replies this soon after a campaign message are attributed to it. */
export const REPLY_WINDOW_HOURS = 72;

type Num = string | number | null;

/** GET /campaigns/:id/stats: counts from recipients, their messages, tracking events, replies and conversions. */
@Injectable()
export class CampaignStatsService {
  private readonly prices: Record<string, number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: AppConfig,
  ) {
    this.prices = parseUnitPrices(config.env.CHANNEL_UNIT_PRICES);
  }

  async stats(campaignId: string) {
    const [head, channels, tracking, conversions] = await Promise.all([
      this.db.query(
        `SELECT count(*)::int AS recipients,
                count(*) FILTER (WHERE suppression = 'noConsent')::int AS no_consent,
                count(*) FILTER (WHERE suppression = 'quietHours')::int AS quiet_hours,
                count(*) FILTER (WHERE suppression = 'frequencyCap')::int AS frequency_cap,
                count(*) FILTER (WHERE suppression = 'noChannel')::int AS no_channel
         FROM campaign_recipients WHERE campaign_id = $1`,
        [campaignId],
      ) as Promise<Array<Record<string, number>>>,
      this.db.query(
        `SELECT r.channel, count(*)::int AS sent,
                count(*) FILTER (WHERE m.status = 'queued')::int AS queued,
                count(*) FILTER (WHERE m.status IN ('delivered', 'read'))::int AS delivered,
                count(*) FILTER (WHERE m.status IN ('failed', 'undelivered', 'suppressed'))::int AS failed,
                count(*) FILTER (WHERE EXISTS (
                  SELECT 1 FROM messages i WHERE i.customer_id = r.customer_id AND i.direction = 'inbound' AND i.kind = 'message'
                    AND i.created_at > m.created_at AND i.created_at <= m.created_at + make_interval(hours => $2)))::int AS replied
         FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
         WHERE r.campaign_id = $1 AND r.status = 'sent' GROUP BY r.channel`,
        [campaignId, REPLY_WINDOW_HOURS],
      ) as Promise<Array<Record<string, Num>>>,
      this.db.query(
        `SELECT channel, count(DISTINCT customer_id) FILTER (WHERE kind = 'open')::int AS opened,
                count(DISTINCT customer_id) FILTER (WHERE kind = 'click')::int AS clicked
         FROM tracking_events WHERE campaign_id = $1 GROUP BY channel`,
        [campaignId],
      ) as Promise<Array<Record<string, Num>>>,
      this.db.query(
        `SELECT channel, count(*)::int AS converted, COALESCE(sum(amount), 0)::float8 AS revenue FROM conversions WHERE campaign_id = $1 GROUP BY channel`,
        [campaignId],
      ) as Promise<Array<Record<string, Num>>>,
    ]);
    const byChannel: Record<string, ChannelCounts> = {};
    const slot = (ch: Num) => (byChannel[String(ch ?? 'unknown')] ??= emptyCounts());
    for (const c of channels)
      Object.assign(slot(c.channel), {
        sent: Number(c.sent),
        queued: Number(c.queued),
        delivered: Number(c.delivered),
        failed: Number(c.failed),
        replied: Number(c.replied),
      });
    for (const t of tracking)
      Object.assign(slot(t.channel), { opened: Number(t.opened), clicked: Number(t.clicked) });
    for (const v of conversions)
      Object.assign(slot(v.channel), {
        converted: Number(v.converted),
        revenue: Number(v.revenue),
      });
    const h = head[0] ?? {};
    const suppressed: SuppressedCounts = {
      noConsent: h.no_consent ?? 0,
      quietHours: h.quiet_hours ?? 0,
      frequencyCap: h.frequency_cap ?? 0,
      noChannel: h.no_channel ?? 0,
    };
    return { campaignId, ...assembleStats(h.recipients ?? 0, suppressed, byChannel, this.prices) };
  }
}
