import { z } from 'zod';
import { CHANNELS, DELIVERY_STATUSES } from '../common/names';
import { MessageSchema, RouteSchema } from '../common/views.responses';

/** The shapes the messages routes answer with, for the OpenAPI document. */
const isoDate = () => z.iso.datetime();

export const SendResponse = z.object({
  messageId: z.uuid(),
  status: z.enum(DELIVERY_STATUSES).meta({ description: '"queued", or "digested"' }),
  route: RouteSchema,
});

export const PreviewResponse = z.object({
  route: RouteSchema,
  rendered: z.object({
    channel: z.enum(CHANNELS),
    locale: z.string(),
    subject: z.string().optional(),
    text: z.string(),
    html: z.string().optional(),
    segments: z
      .object({
        encoding: z.enum(['GSM-7', 'UCS-2']),
        segments: z.int(),
        units: z.int(),
        perSegment: z.int(),
      })
      .optional()
      .meta({ description: 'SMS only' }),
  }),
});

export const MessageDetailResponse = MessageSchema.extend({
  attempts: z.array(
    z.object({
      channel: z.enum(CHANNELS),
      status: z.enum([...DELIVERY_STATUSES, 'sending']),
      error: z.string().optional(),
      errorClass: z.string().nullable().optional(),
      errorCode: z.string().nullable().optional(),
      at: isoDate(),
    }),
  ),
  fallbackMessages: z.array(
    z.object({
      id: z.uuid(),
      channel: z.enum(CHANNELS).nullable(),
      status: z.enum(DELIVERY_STATUSES),
      createdAt: isoDate(),
    }),
  ),
});
