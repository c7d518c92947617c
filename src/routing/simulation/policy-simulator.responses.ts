import { z } from 'zod';
import { CHANNELS, PURPOSES, URGENCIES } from '../../common/names';
import { ProposedPolicySchema } from './proposed-policy';

/** The body of POST /routing/simulate. */
export const SimulateBodySchema = z
  .object({
    days: z.number().int().min(1).max(90).default(7).describe('the window: the last N days'),
    proposed: ProposedPolicySchema.default({}).describe(
      'the routing defaults to try, as PUT /settings/routing-defaults takes them; any part left out stays as in force',
    ),
    limit: z
      .number()
      .int()
      .min(1)
      .max(20_000)
      .default(20_000)
      .describe('at most this many sends, the latest of the window'),
  })
  .strict();

export type SimulateBody = z.infer<typeof SimulateBodySchema>;

const SUPPRESSION = z.enum([
  'noConsent',
  'quietHours',
  'frequencyCap',
  'noChannel',
  'contactBudget',
]);
const DESTINATION = z.enum([...CHANNELS, 'suppressed']);

const Counts = z.object({
  byChannel: z.partialRecord(z.enum(CHANNELS), z.number().int()),
  suppressed: z.record(SUPPRESSION, z.number().int()),
  delayed: z.number().int().describe('held by quiet hours to a later time'),
});

const Route = z.object({
  destination: DESTINATION,
  suppression: SUPPRESSION.optional(),
  delayed: z.boolean(),
  sendAt: z.string().datetime().optional(),
  reasons: z.array(z.string()),
  explanation: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe('the route in plain words, per language (en, zh-CN)'),
});

/** The answer of POST /routing/simulate. */
export const SimulationResponse = z.object({
  window: z.object({ days: z.number().int(), from: z.string(), to: z.string() }),
  inWindow: z.number().int().describe('routed sends in the window'),
  sampled: z.boolean().describe('true: only the latest `limit` sends of the window were simulated'),
  limit: z.number().int(),
  total: z.number().int().describe('sends re-decided'),
  skipped: z.number().int().describe('sends left out: their customer is gone'),
  current: Counts.describe('the policy in force, decided now for each send'),
  proposed: Counts.describe('the proposed policy, decided the same way'),
  matrix: z
    .array(z.object({ from: DESTINATION, to: DESTINATION, count: z.number().int() }))
    .describe('sends by destination under the current policy (from) and the proposed one (to)'),
  changed: z.number().int().describe('sends whose outcome differs (channel, suppression, delay)'),
  moved: z.number().int().describe('sends on another channel, or newly (un)suppressed'),
  differFromActual: z
    .object({ current: z.number().int(), proposed: z.number().int() })
    .describe('information: sends whose destination is not where they actually went'),
  sample: z.array(
    z.object({
      messageId: z.string().nullable(),
      customerId: z.string(),
      at: z.string(),
      topic: z.string(),
      urgency: z.enum(URGENCIES),
      purpose: z.enum(PURPOSES),
      actual: DESTINATION,
      current: Route,
      proposed: Route,
    }),
  ),
});
