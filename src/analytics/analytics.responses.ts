import { z } from 'zod';

/** The shapes the analytics routes answer with, for the OpenAPI document. */
export const ConversionResponse = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  orderId: z.string(),
  amount: z.number(),
  currency: z.string().meta({ example: 'CNY' }),
  campaignId: z.uuid().nullable().meta({ description: 'the campaign it is attributed to' }),
  channel: z.string().nullable(),
  occurredAt: z.string(),
});

export const RfmRecomputeResponse = z.object({
  customers: z.int().meta({ description: 'customers scored' }),
});

const TIERS = ['core', 'potential', 'regular', 'edge'] as const;

export const RfmTiersResponse = z.object({
  tiers: z.array(z.object({ tier: z.enum(TIERS), customers: z.int(), churnRisk: z.int() })),
});

export const CustomerRfmResponse = z.object({
  customerId: z.uuid(),
  recencyDays: z.number().nullable(),
  frequency: z.number(),
  monetary: z.number(),
  scores: z.object({ r: z.int(), f: z.int(), m: z.int() }),
  tier: z.enum(TIERS),
  churnRisk: z.boolean(),
  contacts: z.object({ last30Days: z.number(), baselinePerMonth: z.number() }),
  computedAt: z.string(),
});

export const ServiceKpisResponse = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(['channel', 'agent', 'team']),
  groups: z.array(
    z.object({
      key: z.string().meta({ description: 'channel, user id or team id; unassigned / none' }),
      name: z.string().nullable(),
      conversations: z.int(),
      firstResponseSeconds: z.object({ avg: z.number().nullable(), p50: z.number().nullable() }),
      resolutionSeconds: z.object({ avg: z.number().nullable() }),
      resolutionRate: z.number(),
      slaAttainment: z.number().nullable(),
      csat: z.number().nullable(),
    }),
  ),
});

export const CsatTrendResponse = z.object({
  weeks: z.array(
    z.object({
      week: z.string().meta({ description: 'the ISO week’s Monday, YYYY-MM-DD' }),
      responses: z.int(),
      average: z.number(),
    }),
  ),
});

export const CsatResponsesResponse = z.object({
  from: z.string(),
  to: z.string(),
  page: z.int(),
  pageSize: z.int(),
  total: z.int(),
  items: z.array(
    z.object({
      id: z.uuid(),
      score: z.int(),
      comment: z.string().nullable(),
      createdAt: z.string(),
      conversationId: z.uuid(),
      channel: z.string().nullable(),
      customerName: z.string().nullable(),
      agentName: z.string().nullable(),
      teamName: z.string().nullable(),
    }),
  ),
});
