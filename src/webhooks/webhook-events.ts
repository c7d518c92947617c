/**
 * The events the hub tells subscribers about, and the `data` of each (API.md, Integrations).
 * Payloads are versioned: WEBHOOK_PAYLOAD_VERSION changes when a payload loses or changes a
 * field (adding one does not); it is sent in each body and documented in the OpenAPI document.
 */
import { z } from 'zod';

export const WEBHOOK_PAYLOAD_VERSION = '2026-12-01';

export const WEBHOOK_EVENT_TYPES = [
  'message.received',
  'message.status',
  'conversation.created',
  'conversation.assigned',
  'conversation.resolved',
  'csat.received',
  'consent.changed',
  'campaign.completed',
  'customer.merged',
  'customer.erased',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, {
  error: `an event type is one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
});

const message = z.object({
  id: z.string(),
  customerId: z.string(),
  conversationId: z.string().nullable(),
  channel: z.string().nullable(),
  kind: z.string(),
  text: z.string(),
  subject: z.string().nullable(),
  attachments: z.array(
    z.object({ filename: z.string(), contentType: z.string(), size: z.number() }),
  ),
  createdAt: z.string(),
});
const conversation = z.object({
  id: z.string(),
  customerId: z.string(),
  status: z.string(),
  priority: z.string(),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});

/** The `data` of each event type. */
export const WEBHOOK_DATA = {
  'message.received': z.object({ message }),
  'message.status': z.object({
    messageId: z.string(),
    customerId: z.string(),
    conversationId: z.string().nullable(),
    channel: z.string().nullable(),
    status: z.string(),
    errorCode: z.string().nullable(),
  }),
  'conversation.created': z.object({ conversation }),
  'conversation.assigned': z.object({
    conversationId: z.string(),
    assigneeId: z.string(),
    by: z.object({ id: z.string(), name: z.string() }).nullable(),
  }),
  'conversation.resolved': z.object({ conversation }),
  'csat.received': z.object({
    conversationId: z.string(),
    customerId: z.string(),
    messageId: z.string(),
    rating: z.number().int(),
  }),
  'consent.changed': z.object({
    customerId: z.string(),
    channel: z.string(),
    purpose: z.string(),
    status: z.enum(['granted', 'revoked']),
    source: z.string(),
  }),
  'campaign.completed': z.object({
    campaignId: z.string(),
    recipients: z.number().int(),
    sent: z.number().int(),
    suppressed: z.number().int(),
  }),
  'customer.merged': z.object({ survivorId: z.string(), duplicateId: z.string() }),
  'customer.erased': z.object({ customerId: z.string() }),
} satisfies Record<WebhookEventType, z.ZodType>;

export type WebhookData<T extends WebhookEventType> = z.infer<(typeof WEBHOOK_DATA)[T]>;

/** The body of one delivery, as receivers get it. */
export const webhookBodySchema = z.object({
  type: webhookEventTypeSchema,
  timestamp: z.string().describe('when the event happened (ISO 8601)'),
  version: z.literal(WEBHOOK_PAYLOAD_VERSION),
  data: z.union(Object.values(WEBHOOK_DATA) as unknown as [z.ZodType, z.ZodType]),
});

/** An event to deliver: its type, data and what makes it the same event twice. */
export interface WebhookEvent<T extends WebhookEventType = WebhookEventType> {
  type: T;
  data: WebhookData<T>;
  /** Same key, same subscription: delivered once (an event seen twice, a retried writer). */
  dedupeKey: string;
  at: Date;
}
