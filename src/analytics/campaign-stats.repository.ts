import { InjectReadDataSource, type ReadDataSource } from '../database/read-data-source';
import { Injectable } from '@nestjs/common';
import type { ChannelInput } from './campaign-stats';

type Row = Record<string, unknown>;

/** The campaign's recipients: all of them, and those suppressed before a send, by reason. */
export interface RecipientCounts {
  recipients: number;
  noConsent: number;
  quietHours: number;
  frequencyCap: number;
  noChannel: number;
  contactBudget: number;
}

/** The recipients given a message on one channel and variant (null: none), and their numbers. */
export interface SendGroupCounts extends ChannelInput {
  channel: string | null;
  variant: string | null;
}

export interface CampaignCounts {
  recipients: RecipientCounts;
  groups: SendGroupCounts[];
  /** How many A/B variants the campaign defines (0: none), whether or not each got a send. */
  variants: number;
}

/** What makes an inbound message an answer that is no reply (see countsOf). */
export interface ReplyRules {
  /** Hours after the campaign message (after its send time when it was held) a reply counts. */
  windowHours: number;
  /** Every SMS keyword (STOP, 退订, START, HELP...) as NFKC upper case: keywords are no replies. */
  keywords: readonly string[];
  /** The opt-out ones among them: they count as unsubscribes. */
  optOutKeywords: readonly string[];
}

/** Spaces and punctuation around a keyword ("STOP!", "退订。") are trimmed before it is read. */
const KEYWORD_EDGES = ' \t\r\n.,;:!?\'"`~-_()[]{}<>*#/\\|。，、；：！？“”‘’（）【】《》「」…～　';

/**
 * The counts campaign statistics are assembled from: recipients, their messages, tracking
 * events, replies and conversions. Reads only.
 */
@Injectable()
export class CampaignStatsRepository {
  constructor(@InjectReadDataSource() private readonly db: ReadDataSource) {}

  /**
   * Every count of one campaign, per channel and variant of the recipients given a message.
   *
   * A message is `scheduled` while held (queued with a send time: quiet hours), `unknown` when a
   * crash left its outcome unknown, `cancelled` when its campaign was cancelled before it went;
   * every other one is `sent` (handed to delivery), of which `queued`, `delivered` and `failed`
   * say where it stands.
   *
   * A reply is an inbound message of the recipient on the channel of the campaign's message
   * (in its conversation, when it has one) within `windowHours` after it went (its send time
   * when held), that is neither an automatic reply, nor a CSAT answer, nor an SMS keyword read
   * by the SMS consent handling or written as a whole message (STOP, 退订, HELP...). An opt-out
   * keyword answer, or the unsubscribe link of the campaign, counts as an unsubscribe.
   */
  async countsOf(campaignId: string, rules: ReplyRules): Promise<CampaignCounts> {
    const [head, groups] = await Promise.all([
      this.db.query(
        `SELECT count(*)::int AS recipients,
                count(*) FILTER (WHERE suppression = 'noConsent')::int AS no_consent,
                count(*) FILTER (WHERE suppression = 'quietHours')::int AS quiet_hours,
                count(*) FILTER (WHERE suppression = 'frequencyCap')::int AS frequency_cap,
                count(*) FILTER (WHERE suppression = 'noChannel')::int AS no_channel,
                count(*) FILTER (WHERE suppression = 'contactBudget')::int AS contact_budget,
                (SELECT COALESCE(jsonb_array_length(variants), 0) FROM campaigns WHERE id = $1)::int AS variants
         FROM campaign_recipients WHERE campaign_id = $1`,
        [campaignId],
      ) as Promise<Row[]>,
      this.db.query(
        `WITH rec AS MATERIALIZED (
           SELECT r.customer_id, r.channel, r.variant, m.send_at, m.conversation_id,
                  -- A send gathered into a digest stands where the digest's message does
                  -- (queued until the digest goes) and went when that message did.
                  CASE WHEN m.status = 'digested' THEN COALESCE(dm.status, 'queued') ELSE m.status END AS status,
                  CASE WHEN m.status = 'digested' THEN COALESCE(dm.send_at, dm.created_at, m.created_at)
                       ELSE COALESCE(m.send_at, m.created_at) END AS went_at,
                  (m.status = 'digested') AS digested,
                  (m.status = 'queued' AND m.send_at IS NOT NULL) AS held,
                  (m.status = 'suppressed' AND m.metadata ? 'cancelled') AS cancelled
           FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
           LEFT JOIN digests d ON m.status = 'digested' AND d.id = m.digest_id
           LEFT JOIN messages dm ON dm.id = d.message_id
           WHERE r.campaign_id = $1 AND r.status = 'sent'),
         trk AS (
           SELECT customer_id, bool_or(kind = 'open') AS opened, bool_or(kind = 'click') AS clicked,
                  bool_or(kind = 'unsubscribe') AS unsubscribed
           FROM tracking_events WHERE campaign_id = $1 GROUP BY customer_id),
         conv AS (
           SELECT customer_id, count(*)::int AS orders, sum(amount)::float8 AS revenue
           FROM conversions WHERE campaign_id = $1 GROUP BY customer_id),
         x AS (
           SELECT rec.*, COALESCE(trk.opened, false) AS opened, COALESCE(trk.clicked, false) AS clicked,
                  COALESCE(trk.unsubscribed, false) OR COALESCE(ans.opted_out, false) AS unsubscribed,
                  COALESCE(ans.replied, false) AS replied,
                  COALESCE(conv.orders, 0) AS orders, COALESCE(conv.revenue, 0) AS revenue
           FROM rec
           LEFT JOIN trk USING (customer_id)
           LEFT JOIN conv USING (customer_id)
           LEFT JOIN LATERAL (
             SELECT bool_or(NOT k.keyword) AS replied, bool_or(k.optout) AS opted_out
             FROM messages i
             CROSS JOIN LATERAL (
               SELECT upper(btrim(normalize(i.text, NFKC), $3)) AS word,
                      EXISTS (SELECT 1 FROM consents c
                              WHERE c.customer_id = i.customer_id AND c.source = 'sms-keyword'
                                AND c.evidence ->> 'messageId' = i.id::text) AS read_keyword,
                      EXISTS (SELECT 1 FROM consents c
                              WHERE c.customer_id = i.customer_id AND c.source = 'sms-keyword' AND c.status = 'revoked'
                                AND c.evidence ->> 'messageId' = i.id::text) AS read_optout) w
             CROSS JOIN LATERAL (
               SELECT (w.read_keyword OR w.word = ANY($4::text[])) AS keyword,
                      (w.read_optout OR w.word = ANY($5::text[])) AS optout) k
             WHERE rec.status <> 'unknown' AND NOT rec.held AND NOT rec.cancelled
               AND i.customer_id = rec.customer_id AND i.direction = 'inbound' AND i.kind = 'message'
               AND NOT i.auto_reply AND i.channel = rec.channel
               AND (rec.conversation_id IS NULL OR i.conversation_id = rec.conversation_id)
               AND i.created_at > rec.went_at AND i.created_at <= rec.went_at + make_interval(hours => $2)
               AND NOT EXISTS (SELECT 1 FROM csat_responses a WHERE a.customer_id = i.customer_id AND a.message_id = i.id)
           ) ans ON true)
         SELECT channel, variant, count(*)::int AS targeted,
                count(*) FILTER (WHERE NOT held AND status <> 'unknown' AND NOT cancelled)::int AS sent,
                count(*) FILTER (WHERE held)::int AS scheduled,
                count(*) FILTER (WHERE digested)::int AS digested,
                min(send_at) FILTER (WHERE held) AS scheduled_first_at,
                max(send_at) FILTER (WHERE held) AS scheduled_last_at,
                count(*) FILTER (WHERE status = 'queued' AND NOT held)::int AS queued,
                count(*) FILTER (WHERE status IN ('delivered', 'read'))::int AS delivered,
                count(*) FILTER (WHERE status IN ('failed', 'undelivered') OR (status = 'suppressed' AND NOT cancelled))::int AS failed,
                count(*) FILTER (WHERE status = 'unknown')::int AS unknown,
                count(*) FILTER (WHERE cancelled)::int AS cancelled,
                count(*) FILTER (WHERE opened)::int AS opened,
                count(*) FILTER (WHERE clicked)::int AS clicked,
                count(*) FILTER (WHERE replied)::int AS replied,
                count(*) FILTER (WHERE unsubscribed)::int AS unsubscribed,
                count(*) FILTER (WHERE orders > 0)::int AS converted,
                sum(orders)::int AS orders, sum(revenue)::float8 AS revenue
         FROM x GROUP BY channel, variant`,
        [
          campaignId,
          rules.windowHours,
          KEYWORD_EDGES,
          [...rules.keywords],
          [...rules.optOutKeywords],
        ],
      ) as Promise<Row[]>,
    ]);
    return {
      recipients: recipientCounts(head[0]),
      groups: groups.map(sendGroupCounts),
      variants: count(head[0]?.variants),
    };
  }
}

const count = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const textOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v);
const dateOrNull = (v: unknown): Date | null =>
  v === null || v === undefined ? null : new Date(v as string);

/** One aggregate row always comes back; zeros stand in should it not. */
function recipientCounts(r: Row | undefined): RecipientCounts {
  return {
    recipients: count(r?.recipients),
    noConsent: count(r?.no_consent),
    quietHours: count(r?.quiet_hours),
    frequencyCap: count(r?.frequency_cap),
    noChannel: count(r?.no_channel),
    contactBudget: count(r?.contact_budget),
  };
}

function sendGroupCounts(r: Row): SendGroupCounts {
  return {
    channel: textOrNull(r.channel),
    variant: textOrNull(r.variant),
    targeted: count(r.targeted),
    sent: count(r.sent),
    scheduled: count(r.scheduled),
    digested: count(r.digested),
    scheduledFirstAt: dateOrNull(r.scheduled_first_at),
    scheduledLastAt: dateOrNull(r.scheduled_last_at),
    queued: count(r.queued),
    delivered: count(r.delivered),
    failed: count(r.failed),
    unknown: count(r.unknown),
    cancelled: count(r.cancelled),
    opened: count(r.opened),
    clicked: count(r.clicked),
    replied: count(r.replied),
    unsubscribed: count(r.unsubscribed),
    converted: count(r.converted),
    orders: count(r.orders),
    revenue: count(r.revenue),
  };
}
