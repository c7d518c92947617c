import { z } from 'zod';
import {
  CHANNELS,
  CONVERSATION_STATUSES,
  DELIVERY_STATUSES,
  DIRECTIONS,
  MESSAGE_KINDS,
  PURPOSES,
  URGENCIES,
} from './names';

/**
 * The common views (src/common/views.ts) as the OpenAPI document describes them: what
 * messageView and conversationView give, on the wire (dates as ISO strings).
 */
const isoDate = () => z.iso.datetime();

/** A chosen route (RouteView), as POST /messages answers it and as it is stored with the message. */
export const RouteSchema = z.object({
  channel: z.enum(CHANNELS),
  address: z.string(),
  sendAt: isoDate(),
  fallbacks: z.array(
    z.object({
      channel: z.enum(CHANNELS),
      address: z.string(),
      afterSeconds: z.number(),
      unless: z.enum(['delivered', 'read']),
      readWithinSeconds: z.number().optional(),
    }),
  ),
  reasons: z.array(z.string()),
});

/** A file a message carries (Attachment without its content). */
export const AttachmentSchema = z.object({
  filename: z.string(),
  contentType: z.string().meta({ example: 'application/pdf' }),
  size: z.int(),
  url: z
    .string()
    .optional()
    .meta({ description: 'provider media URL, or our own /api/v1/attachments/<id>' }),
  contentId: z.string().optional(),
});

export const MessageSchema = z.object({
  id: z.uuid(),
  seq: z.string().meta({ description: 'bigint, as a string', example: '1042' }),
  customerId: z.uuid(),
  conversationId: z.uuid().nullable(),
  direction: z.enum(DIRECTIONS),
  kind: z.enum(MESSAGE_KINDS),
  channel: z.enum(CHANNELS).nullable().meta({ description: 'null on notes and events' }),
  text: z.string(),
  html: z.string().nullable(),
  subject: z.string().nullable(),
  attachments: z.array(AttachmentSchema),
  status: z.enum(DELIVERY_STATUSES),
  address: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  autoReply: z.boolean(),
  createdAt: isoDate(),
  route: RouteSchema.optional().meta({ description: 'the route chosen for a routed message' }),
  metadata: z
    .record(z.string(), z.unknown())
    .meta({ description: 'free-form: template, data, digest, fallbackOf, placedBy, …' }),
  author: z
    .object({ id: z.uuid(), name: z.string().optional() })
    .nullable()
    .meta({ description: 'the agent who wrote it; null for customers and the system' }),
  topic: z.string().nullable(),
  urgency: z.enum(URGENCIES).nullable(),
  purpose: z.enum(PURPOSES).nullable(),
  template: z.string().nullable(),
  sendAt: isoDate().nullable(),
});

export const SlaSchema = z.object({
  dueAt: isoDate(),
  kind: z.enum(['first_response', 'resolution']),
  breachedAt: isoDate().optional(),
});

export const ConversationSchema = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  status: z.enum(CONVERSATION_STATUSES),
  priority: z.enum(URGENCIES),
  assigneeId: z.uuid().nullable(),
  teamId: z.uuid().nullable(),
  subject: z.string().nullable(),
  lastChannel: z.enum(CHANNELS).nullable(),
  lastInboundChannel: z.enum(CHANNELS).nullable(),
  lastMessageAt: isoDate().nullable(),
  lastMessagePreview: z.string().nullable(),
  snoozedUntil: isoDate().nullable(),
  tags: z.array(z.string()),
  firstResponseAt: isoDate().nullable(),
  resolvedAt: isoDate().nullable(),
  createdAt: isoDate(),
  updatedAt: isoDate(),
  customer: z
    .object({ id: z.uuid(), displayName: z.string() })
    .optional()
    .meta({ description: 'present where the customer is joined (lists, detail, changes)' }),
  sla: SlaSchema.nullable().meta({
    description: "the running SLA cycle's next deadline, or its breach; null: none",
  }),
});
