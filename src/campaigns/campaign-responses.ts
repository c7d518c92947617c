import { z } from 'zod';
import { AB_METRICS } from '../analytics/significance';
import { PURPOSES, URGENCIES } from '../common/names';
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES } from './campaign-types';
import { segmentSchema } from './segment';

/** GET /campaigns/:id/stats?metric=: the A/B metric (default click). */
export const campaignStatsQuerySchema = z.object({
  metric: z
    .enum(AB_METRICS)
    .optional()
    .describe('the A/B metric the variants are compared on (default click)'),
});
export type CampaignStatsQuery = z.infer<typeof campaignStatsQuerySchema>;

const n = (what: string) => z.number().int().nonnegative().describe(what);
const when = (what: string) => z.string().datetime().nullable().describe(what);

const counts = {
  targeted: n('recipients given a message: sent + scheduled + unknown + cancelled'),
  sent: n(
    'messages handed to delivery (queued for it, sent, delivered, read, failed, undelivered); not the scheduled, unknown or cancelled ones',
  ),
  scheduled: n('sends held by quiet hours, to go at their send time'),
  scheduledFirstAt: when('the earliest send time of the scheduled sends; null: none'),
  scheduledLastAt: when('the latest send time of the scheduled sends; null: none'),
  digested: n(
    "of sent: gathered into the customer's digest (a low-urgency campaign); queued until the digest goes, then as its message's delivery",
  ),
  queued: n('of sent: not yet handed to the provider'),
  delivered: n('of sent: delivered or read'),
  failed: n('of sent: failed, undelivered or refused at send time'),
  unknown: n('interrupted by a crash after they may have reached the provider: counted apart'),
  cancelled: n('scheduled sends of a cancelled campaign, never sent'),
  opened: n('recipients who opened'),
  clicked: n('recipients who clicked'),
  replied: n(
    'recipients who answered on the same channel within the reply window (no CSAT answer, automatic reply or SMS keyword)',
  ),
  unsubscribed: n(
    'recipients who opted out: STOP/退订 within the reply window or the unsubscribe link',
  ),
  converted: n('recipients with a conversion attributed to the campaign'),
  orders: n('conversions attributed to the campaign'),
  revenue: z.number().describe('sum of the attributed conversions (their currencies as recorded)'),
};

const ChannelStats = z.object({
  ...counts,
  deliveryRate: z.number(),
  openRate: z.number(),
  clickRate: z.number(),
  replyRate: z.number(),
  conversionRate: z.number(),
  unitPrice: z.number().describe('CHANNEL_UNIT_PRICES'),
  cost: z.number().describe('unitPrice x sent'),
  costPerConversion: z.number().nullable(),
  roi: z.number().nullable().describe('(revenue - cost) / cost; null when nothing was spent'),
});

const AbResult = z.object({
  metric: z.enum(AB_METRICS),
  alpha: z.number().describe('significance level'),
  variants: z.array(
    z.object({
      variant: z.string(),
      sent: z.number().int(),
      successes: z.number().int(),
      rate: z.number(),
    }),
  ),
  comparison: z
    .object({
      leader: z.string(),
      runnerUp: z.string(),
      z: z.number(),
      pValue: z.number().describe('two-sided, two-proportion z-test'),
      enough: z
        .boolean()
        .describe(
          'each variant expects 5 successes and 5 failures at the pooled rate: the test holds',
        ),
      significant: z.boolean().describe('p < alpha and enough'),
    })
    .nullable(),
  winner: z.string().nullable().describe('the leader, only when significant'),
});

export const CampaignStatsResponse = z.object({
  campaignId: z.string().uuid(),
  status: z.enum(CAMPAIGN_STATUSES),
  replyWindowHours: z.number().int(),
  recipients: z.number().int(),
  suppressed: z.object({
    noConsent: z.number().int(),
    quietHours: z.number().int(),
    frequencyCap: z.number().int(),
    noChannel: z.number().int(),
    contactBudget: z.number().int(),
    total: z.number().int(),
  }),
  byChannel: z.record(z.string(), ChannelStats),
  ...counts,
  rates: z.object({
    delivery: z.number(),
    open: z.number(),
    click: z.number(),
    reply: z.number(),
    conversion: z.number(),
  }),
  cost: z.number(),
  roi: z.number().nullable(),
  ab: AbResult.nullable().describe('null: the campaign has no variants'),
});

/** A campaign as every campaign route answers it (campaignView). */
export const CampaignResponse = z.object({
  id: z.string().uuid(),
  name: z.string(),
  kind: z.enum(CAMPAIGN_KINDS).describe('crisis: a crisis broadcast (POST /campaigns/crisis)'),
  legalBasis: z
    .string()
    .nullable()
    .describe("a crisis broadcast's stated legal basis where a recipient gave no consent"),
  confirmedBy: z.string().uuid().nullable().describe("who confirmed a crisis broadcast's launch"),
  confirmedAt: z.string().datetime().nullable(),
  segment: segmentSchema,
  topic: z.string(),
  purpose: z.enum(PURPOSES),
  urgency: z.enum(URGENCIES),
  template: z.string(),
  variants: z.array(z.object({ template: z.string(), weight: z.number() })).optional(),
  data: z.record(z.string(), z.unknown()),
  sendAt: z.string().datetime().nullable(),
  ratePerSecond: z.number().int().nullable(),
  batchSize: z.number().int(),
  status: z
    .enum(CAMPAIGN_STATUSES)
    .describe(
      'running until nothing is left to send: the fan-out is done and no send is held by quiet hours',
    ),
  progress: z.object({
    batches: z.number().int(),
    recipients: z.number().int(),
    sent: z.number().int().describe('recipients given a message by the fan-out (held ones too)'),
    suppressed: z.number().int(),
  }),
  createdBy: z.string().uuid().nullable(),
  launchedAt: z.string().datetime().nullable(),
  completedAt: z.string().datetime().nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});

export const CampaignListResponse = z.object({ items: z.array(CampaignResponse) });
export const SegmentCountResponse = z.object({ count: z.number().int() });
