import { z } from 'zod';
import { CHANNELS } from '../common/names';
import { CONSENT_FILTER_STATUSES } from '../campaigns/segment';

const consentStatus = z.enum(CONSENT_FILTER_STATUSES);

export const ContactRowResponse = z.object({
  id: z.string().uuid(),
  name: z.string(),
  identities: z
    .array(z.object({ kind: z.enum(['email', 'phone', 'wechat']), address: z.string() }))
    .describe('The main address of each kind: the newest, an active one first'),
  tags: z.array(z.string()),
  tier: z.string().nullable().describe('The RFM tier when scored, else the customer’s own'),
  churnRisk: z.boolean().nullable().describe('null: not scored'),
  marketingConsent: z
    .object(
      Object.fromEntries(CHANNELS.map((c) => [c, consentStatus])) as Record<
        (typeof CHANNELS)[number],
        typeof consentStatus
      >,
    )
    .describe('The latest marketing consent per channel (none: no ledger entry)'),
  lastContactAt: z.iso.datetime().nullable(),
});

export const ContactsPageResponse = z.object({
  items: z.array(ContactRowResponse),
  nextCursor: z.string().nullable(),
  total: z.int().describe('Customers matching, counted up to totalCap'),
  totalCapped: z.boolean().describe('true: more than totalCap match'),
  totalCap: z.int(),
});

const suggestion = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    channel: z.enum(CHANNELS),
    address: z.string(),
    sendAt: z.iso.datetime(),
    delayed: z.boolean().describe('quiet hours push the send past now'),
    reasons: z.array(z.string()),
  }),
  z.object({
    ok: z.literal(false),
    suppression: z.enum(['noConsent', 'quietHours', 'frequencyCap', 'noChannel', 'contactBudget']),
    reasons: z.array(z.string()),
  }),
]);

export const AtRiskPageResponse = z.object({
  items: z.array(
    z.object({
      id: z.string().uuid(),
      name: z.string(),
      tier: z.string(),
      suggestion: suggestion.describe(
        'The channel routing picks now for a marketing message, or why it would not send',
      ),
    }),
  ),
  nextCursor: z.string().nullable(),
});
