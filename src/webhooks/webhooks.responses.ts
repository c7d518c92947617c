import { z } from 'zod';
import { webhookBodySchema, webhookEventTypeSchema, WEBHOOK_EVENT_TYPES } from './webhook-events';

const isoDate = () => z.iso.datetime();

export const WebhookSubscriptionResponse = z.object({
  id: z.string().uuid(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  active: z.boolean(),
  failuresInRow: z.number().int(),
  disabledReason: z.string().nullable(),
  createdBy: z.string().uuid().nullable(),
  createdAt: isoDate(),
  updatedAt: isoDate(),
});

export const NewWebhookResponse = WebhookSubscriptionResponse.extend({
  secret: z.string().describe('whsec_...: the Standard Webhooks signing secret, shown this once'),
});

export const WebhookListResponse = z.object({ items: z.array(WebhookSubscriptionResponse) });

export const WebhookDeliveryResponse = z.object({
  id: z.string().describe('the webhook-id header of every attempt'),
  subscriptionId: z.string().uuid(),
  eventType: z.string(),
  payload: webhookBodySchema,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
  log: z.array(
    z.object({
      at: isoDate(),
      status: z.number().int().nullable(),
      error: z.string().nullable(),
      ms: z.number(),
    }),
  ),
  createdAt: isoDate(),
  lastAttemptAt: isoDate().nullable(),
  deliveredAt: isoDate().nullable(),
});

export const WebhookDeliveryListResponse = z.object({
  items: z.array(WebhookDeliveryResponse),
  nextCursor: z.string().nullable(),
});

export const WebhookEventTypesResponse = z.object({
  version: z.string(),
  types: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  example: webhookBodySchema,
});

const events = z
  .array(webhookEventTypeSchema)
  .min(1, 'events: give at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length);

export const NewWebhookBody = z
  .object({
    url: z.string().max(2000),
    events,
    description: z.string().max(500).optional(),
  })
  .strict();
export type NewWebhookInput = z.infer<typeof NewWebhookBody>;

export const WebhookChangesBody = z
  .object({
    url: z.string().max(2000).optional(),
    events: events.optional(),
    description: z.string().max(500).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine(
    (b) => Object.keys(b).length > 0,
    'give at least one of url, events, description, active',
  );
export type WebhookChanges = z.infer<typeof WebhookChangesBody>;

export const DeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
