import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** The campaign's recipients: all of them, and those suppressed before a send, by reason. */
export interface RecipientCounts {
  recipients: number;
  noConsent: number;
  quietHours: number;
  frequencyCap: number;
  noChannel: number;
}

/** The sent recipients of one channel (null: a row without one) and where their messages stand. */
export interface ChannelSendCounts {
  channel: string | null;
  sent: number;
  queued: number;
  delivered: number;
  failed: number;
  replied: number;
}

/** Distinct customers who opened or clicked, per channel. */
export interface ChannelTrackingCounts {
  channel: string | null;
  opened: number;
  clicked: number;
}

/** Conversions attributed to the campaign, per channel. */
export interface ChannelConversionCounts {
  channel: string | null;
  converted: number;
  revenue: number;
}

export interface CampaignCounts {
  recipients: RecipientCounts;
  sends: ChannelSendCounts[];
  tracking: ChannelTrackingCounts[];
  conversions: ChannelConversionCounts[];
}

/**
 * The counts campaign statistics are assembled from: recipients, their messages, tracking
 * events, replies and conversions. Reads only.
 */
@Injectable()
export class CampaignStatsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Every count of one campaign, the four statements run concurrently. A reply is an inbound
   * message of the recipient within `replyWindowHours` after the campaign's message.
   *
   * Known gap (left as it is): a send whose outcome is `unknown` (interrupted by a crash) counts
   * as sent but in none of queued, delivered or failed.
   */
  async countsOf(campaignId: string, replyWindowHours: number): Promise<CampaignCounts> {
    const [head, channels, tracking, conversions] = await Promise.all([
      this.db.query(
        `SELECT count(*)::int AS recipients,
                count(*) FILTER (WHERE suppression = 'noConsent')::int AS no_consent,
                count(*) FILTER (WHERE suppression = 'quietHours')::int AS quiet_hours,
                count(*) FILTER (WHERE suppression = 'frequencyCap')::int AS frequency_cap,
                count(*) FILTER (WHERE suppression = 'noChannel')::int AS no_channel
         FROM campaign_recipients WHERE campaign_id = $1`,
        [campaignId],
      ) as Promise<Row[]>,
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
        [campaignId, replyWindowHours],
      ) as Promise<Row[]>,
      this.db.query(
        `SELECT channel, count(DISTINCT customer_id) FILTER (WHERE kind = 'open')::int AS opened,
                count(DISTINCT customer_id) FILTER (WHERE kind = 'click')::int AS clicked
         FROM tracking_events WHERE campaign_id = $1 GROUP BY channel`,
        [campaignId],
      ) as Promise<Row[]>,
      this.db.query(
        `SELECT channel, count(*)::int AS converted, COALESCE(sum(amount), 0)::float8 AS revenue FROM conversions WHERE campaign_id = $1 GROUP BY channel`,
        [campaignId],
      ) as Promise<Row[]>,
    ]);
    return {
      recipients: recipientCounts(head[0]),
      sends: channels.map(channelSendCounts),
      tracking: tracking.map(channelTrackingCounts),
      conversions: conversions.map(channelConversionCounts),
    };
  }
}

const count = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const channelOf = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** One aggregate row always comes back; zeros stand in should it not. */
function recipientCounts(r: Row | undefined): RecipientCounts {
  return {
    recipients: count(r?.recipients),
    noConsent: count(r?.no_consent),
    quietHours: count(r?.quiet_hours),
    frequencyCap: count(r?.frequency_cap),
    noChannel: count(r?.no_channel),
  };
}

function channelSendCounts(r: Row): ChannelSendCounts {
  return {
    channel: channelOf(r.channel),
    sent: Number(r.sent),
    queued: Number(r.queued),
    delivered: Number(r.delivered),
    failed: Number(r.failed),
    replied: Number(r.replied),
  };
}

function channelTrackingCounts(r: Row): ChannelTrackingCounts {
  return { channel: channelOf(r.channel), opened: Number(r.opened), clicked: Number(r.clicked) };
}

function channelConversionCounts(r: Row): ChannelConversionCounts {
  return {
    channel: channelOf(r.channel),
    converted: Number(r.converted),
    revenue: Number(r.revenue),
  };
}
