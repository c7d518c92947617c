import { z } from 'zod';
import {
  CHANNELS,
  CONVERSATION_STATUSES,
  DELIVERY_STATUSES,
  PURPOSES,
  ROLES,
  URGENCIES,
} from '../common/names';
import { ERROR_STATUS, type ErrorCode } from '../common/errors/domain-error';
import { ConversationSchema, MessageSchema } from '../common/views.responses';
import { CUSTOMER_MATCH_FIELDS } from './customer-match.sql';

/** The shapes the inbox routes answer with, for the OpenAPI document. */
const isoDate = () => z.iso.datetime();

/** A conversation as the inbox shows it: the common view, its tags and its CSAT score. */
export const InboxConversationSchema = ConversationSchema.extend({
  customer: z.object({ id: z.uuid(), displayName: z.string() }),
  csatScore: z.int().nullable().meta({ description: 'the CSAT answer (1-5); null: none' }),
});

export const MatchedCustomerSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  matched: z.object({ field: z.enum(CUSTOMER_MATCH_FIELDS), value: z.string() }),
  conversationId: z.uuid().meta({ description: 'their latest conversation the caller may see' }),
});

export const ConversationListResponse = z.object({
  items: z.array(InboxConversationSchema),
  nextCursor: z.string().nullable(),
  customers: z
    .array(MatchedCustomerSchema)
    .optional()
    .meta({ description: "on a search's first page only" }),
});

export const BulkResponse = z.object({
  results: z.array(
    z.union([
      z.object({ id: z.uuid(), ok: z.literal(true), conversation: InboxConversationSchema }),
      z.object({
        id: z.string(),
        ok: z.literal(false),
        code: z.enum([...(Object.keys(ERROR_STATUS) as ErrorCode[]), 'internal']),
        error: z.string(),
      }),
    ]),
  ),
});

const PanelIdentity = z.object({
  channel: z.enum(CHANNELS),
  kind: z.enum(['email', 'phone', 'wechat', 'livechat']),
  address: z.string(),
  status: z.enum(['active', 'undeliverable', 'bounced']),
});

const PanelConsent = z.object({
  channel: z.enum(CHANNELS),
  purpose: z.enum(PURPOSES),
  status: z.enum(['granted', 'revoked']),
  source: z.string(),
  createdAt: isoDate(),
});

export const CustomerPanelSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  locale: z.string().meta({ example: 'zh-CN' }),
  timezone: z.string().meta({ example: 'Asia/Shanghai' }),
  attributes: z.record(z.string(), z.unknown()).meta({ description: 'free-form' }),
  tags: z.array(z.string()),
  tier: z.string().nullable(),
  preferences: z.object({
    matrix: z.array(
      z.object({
        topic: z.string(),
        urgency: z.enum([...URGENCIES, '*']),
        channels: z.array(z.enum(CHANNELS)),
      }),
    ),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable().optional(),
  }),
  identities: z.array(PanelIdentity),
  consents: z.array(PanelConsent).meta({ description: 'the latest per channel and purpose' }),
});

export const ConversationDetailResponse = InboxConversationSchema.extend({
  replyChannel: z
    .enum(CHANNELS)
    .nullable()
    .meta({ description: 'where a reply goes by default: the last inbound channel' }),
  customer: CustomerPanelSchema,
  messages: z.array(MessageSchema).meta({ description: 'the newest 500, oldest first' }),
});

export const ReplyResponse = z.object({
  messageId: z.uuid(),
  status: z.enum(DELIVERY_STATUSES),
  route: z.object({ channel: z.enum(CHANNELS), address: z.string().nullable() }),
});

export const CallResponse = z.object({
  messageId: z.uuid(),
  status: z.enum(DELIVERY_STATUSES),
  address: z.string().nullable(),
});

export const FollowUpSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  agentId: z.uuid(),
  at: isoDate(),
  note: z.string(),
  status: z.enum(['scheduled', 'done', 'cancelled']),
});

export const FollowUpListResponse = z.object({ items: z.array(FollowUpSchema) });

export const CannedResponseSchema = z.object({
  id: z.uuid(),
  shortCode: z.string().meta({ example: 'refund' }),
  title: z.string().nullable(),
  text: z.string().meta({ example: 'Hello {{customer.name}}, …' }),
  createdAt: isoDate(),
});

export const CannedResponseListResponse = z.object({
  items: z.array(CannedResponseSchema),
  nextCursor: z.null().meta({ description: 'always null: one page of up to 500' }),
});

export const EmailInboxListResponse = z.object({
  items: z.array(
    z.object({
      address: z.string().meta({ example: 'support@example.com' }),
      repliesFrom: z.boolean().meta({ description: "agents' e-mail replies leave from it" }),
      signature: z.string().nullable(),
    }),
  ),
});

export const SignatureResponse = z.object({
  address: z.string().meta({ example: 'support@example.com' }),
  signature: z.string().nullable().meta({ description: 'null: removed' }),
  updatedAt: isoDate().optional().meta({ description: 'absent when removed' }),
});

const TeamViewConversationSchema = z.object({
  id: z.uuid(),
  status: z.enum(CONVERSATION_STATUSES),
  priority: z.enum(URGENCIES),
  customerName: z.string().nullable(),
  channel: z.enum(CHANNELS).nullable(),
  preview: z.string().nullable(),
  teamId: z.uuid().nullable(),
  assigneeId: z.uuid().nullable(),
  createdAt: isoDate(),
  lastMessageAt: isoDate().nullable(),
});

export const TeamViewResponse = z.object({
  generatedAt: isoDate(),
  soonMinutes: z.int(),
  agents: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      role: z.enum(ROLES),
      status: z.enum(['online', 'away', 'offline']),
      capacity: z.int(),
      open: z.int().meta({ description: 'open and pending conversations assigned' }),
      teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
      conversations: z.array(TeamViewConversationSchema),
    }),
  ),
  queue: z.array(TeamViewConversationSchema.extend({ queuedAt: isoDate().nullable() })),
  slaAtRisk: z.array(
    TeamViewConversationSchema.extend({
      assigneeName: z.string().nullable(),
      policy: z.string(),
      kind: z.enum(['first_response', 'resolution']),
      state: z.enum(['breached', 'due_soon']),
      dueAt: isoDate(),
    }),
  ),
});
