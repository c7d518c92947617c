import { z } from 'zod';
import { NOTIFICATION_KINDS } from './notifications.repository';

/** The shapes the notification centre's routes answer with, for the OpenAPI document. */
export const NotificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(NOTIFICATION_KINDS),
    conversationId: z.uuid().nullable(),
    messageId: z.uuid().nullable(),
    data: z
      .object({
        by: z.string().nullable().optional().meta({ description: 'who mentioned or assigned' }),
        customer: z.string().nullable().optional().meta({ description: "the customer's name" }),
        note: z.string().optional().meta({ description: "a follow-up's note" }),
        sla: z.enum(['first_response', 'resolution']).optional(),
        dueAt: z.iso.datetime().optional().meta({ description: 'an SLA warning: when it is due' }),
        policy: z.string().optional().meta({ description: 'an SLA breach: the policy' }),
        url: z.string().optional().meta({ description: 'a disabled webhook: its URL' }),
        reason: z.string().optional().meta({ description: 'a disabled webhook: why' }),
        subscriptionId: z.string().optional().meta({ description: 'a disabled webhook' }),
      })
      .meta({ description: 'what the title is made of: clients translate' }),
    readAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({
    example: {
      id: '0190c5a2-7d1e-7cc4-9b8e-3f7c2b1a9d42',
      kind: 'mention',
      conversationId: '0190c5a2-7d1e-7cc4-9b8e-3f7c2b1a9d43',
      messageId: '0190c5a2-7d1e-7cc4-9b8e-3f7c2b1a9d44',
      data: { by: '王芳', customer: '陈静' },
      readAt: null,
      createdAt: '2026-12-03T05:00:00.000Z',
    },
  });

export const NotificationListResponse = z.object({
  items: z.array(NotificationSchema),
  nextCursor: z.string().nullable(),
});

export const UnreadCountResponse = z.object({
  count: z.int(),
  byKind: z
    .partialRecord(z.enum(NOTIFICATION_KINDS), z.int())
    .meta({ example: { mention: 2, sla_breach: 1 } }),
});

export const ReadResponse = z.object({
  updated: z.int().meta({ description: 'how many were marked read' }),
  count: z.int().meta({ description: 'unread left' }),
});
