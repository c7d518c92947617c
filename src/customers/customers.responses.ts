import { z } from 'zod';
import {
  CHANNELS,
  CONSENT_STATUSES,
  DIRECTIONS,
  MESSAGE_KINDS,
  PURPOSES,
  URGENCIES,
} from '../common/names';

/** The shapes the customer routes answer with, for the OpenAPI document. */
const IdentityResponse = z.object({
  channel: z.enum(CHANNELS),
  address: z.string(),
  kind: z.enum(['email', 'phone', 'wechat', 'livechat']),
  channels: z.array(z.enum(CHANNELS)).meta({ description: 'the channels the address serves' }),
  status: z.enum(['active', 'undeliverable', 'bounced']),
  statusReason: z.string().nullable(),
});

export const PreferenceRowResponse = z.object({
  topic: z.string(),
  urgency: z.enum([...URGENCIES, '*']),
  channels: z.array(z.enum(CHANNELS)),
});

export const CustomerResponse = z.object({
  id: z.uuid(),
  displayName: z.string(),
  locale: z.string().meta({ example: 'zh-CN' }),
  timezone: z.string().meta({ example: 'Asia/Shanghai' }),
  attributes: z.record(z.string(), z.unknown()).meta({ description: 'free-form' }),
  tags: z.array(z.string()),
  tier: z.string().nullable(),
  preferences: z.object({
    matrix: z.array(PreferenceRowResponse),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  }),
  identities: z.array(IdentityResponse),
  lastContactAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const DuplicatesResponse = z.object({
  items: z.array(
    z.object({
      customer: z.object({
        id: z.uuid(),
        displayName: z.string(),
        identities: z.array(
          z.object({ kind: z.enum(['email', 'phone', 'wechat', 'livechat']), address: z.string() }),
        ),
        lastContactAt: z.string().nullable(),
      }),
      score: z.number(),
      reasons: z.array(
        z.enum([
          'samePhone',
          'sameEmail',
          'sameNameAndPhoneSuffix',
          'sameNameAndEmailLocalPart',
          'sameName',
        ]),
      ),
    }),
  ),
});

const AttachmentResponse = z.looseObject({
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  url: z.string().optional(),
  contentId: z.string().optional(),
});

/** A message as timelines show it. */
export const TimelineMessageResponse = z.object({
  id: z.uuid(),
  seq: z.string().meta({ description: 'the position in the timeline (a bigint as text)' }),
  customerId: z.uuid(),
  conversationId: z.uuid().nullable(),
  direction: z.enum(DIRECTIONS),
  kind: z.enum(MESSAGE_KINDS),
  channel: z.string().nullable(),
  text: z.string(),
  html: z.string().nullable(),
  subject: z.string().nullable(),
  attachments: z.array(AttachmentResponse),
  status: z.string().meta({ description: 'the delivery status' }),
  address: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  autoReply: z.boolean(),
  createdAt: z.string(),
  route: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'the routing decision of an outbound message' }),
  metadata: z.record(z.string(), z.unknown()),
  author: z.object({ id: z.uuid(), name: z.string().optional() }).nullable(),
  topic: z.string().nullable(),
  urgency: z.enum(URGENCIES).nullable(),
  purpose: z.enum(PURPOSES).nullable(),
  template: z.string().nullable(),
  sendAt: z.string().nullable(),
});

export const TimelineResponse = z.object({
  items: z.array(TimelineMessageResponse),
  nextCursor: z.string().nullable().meta({ description: 'give as before for the next page' }),
});

export const ConsentResponse = z.object({
  id: z.uuid(),
  channel: z.enum(CHANNELS),
  purpose: z.enum(PURPOSES),
  status: z.enum(CONSENT_STATUSES),
  source: z.string(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  actorId: z.uuid().nullable(),
  createdAt: z.string(),
});

export const ConsentListResponse = z.object({ items: z.array(ConsentResponse) });

export const CustomerCampaignsResponse = z.object({
  items: z.array(
    z.object({
      campaignId: z.uuid(),
      name: z.string(),
      sentAt: z.string(),
      channel: z.enum(CHANNELS).nullable(),
      status: z.enum(['sent', 'suppressed']),
      suppression: z
        .enum(['noConsent', 'quietHours', 'frequencyCap', 'noChannel', 'contactBudget'])
        .nullable(),
      delivery: z.string().nullable().meta({ description: "the message's delivery status" }),
      opened: z.boolean(),
      clicked: z.boolean(),
    }),
  ),
});

export const PreferenceLinkResponse = z.object({
  url: z.string().meta({ example: 'https://hub.example.com/p/eyJ...Q' }),
  expiresAt: z.string(),
});

const Row = z.record(z.string(), z.unknown()).meta({ description: 'a database row as stored' });

export const CustomerExportResponse = z.object({
  exportedAt: z.string(),
  customer: Row,
  identities: z.array(Row),
  consents: z.array(Row),
  preferenceChanges: z.array(Row),
  conversations: z.array(Row),
  messages: z.array(Row),
  csat: z.array(Row),
});

export const CustomerErasureResponse = z.object({
  id: z.uuid(),
  erased: z.literal(true),
  identitiesRemoved: z.int(),
  messagesBlanked: z.int(),
  mergedCustomersErased: z.int(),
  attachmentsRemoved: z.int(),
  jobsRemoved: z.int(),
});

export const IdentityClaimsResponse = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(['email', 'phone', 'external']),
      address: z.string(),
      name: z.string().nullable(),
      verified: z.boolean(),
      customerId: z.uuid().meta({ description: "the visitor's own customer (who claimed)" }),
      ownerCustomerId: z
        .uuid()
        .nullable()
        .meta({ description: 'the customer holding the address, the one a code was sent to' }),
      createdAt: z.string(),
      verifiedAt: z.string().nullable(),
    }),
  ),
});

export const CustomerActivityResponse = z.object({
  channels: z.array(
    z.object({
      channel: z.string().meta({ description: "a channel, or 'none'" }),
      inbound: z.int(),
      outbound: z.int(),
    }),
  ),
  lastInboundAt: z.string().nullable(),
  lastOutboundAt: z.string().nullable().meta({ description: 'suppressed sends not counted' }),
  latest: z.array(
    z.object({
      id: z.uuid(),
      channel: z.string().nullable(),
      direction: z.enum(DIRECTIONS),
      status: z.string(),
      purpose: z.string().nullable(),
      topic: z.string().nullable(),
      template: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  identities: z.array(
    z.object({
      kind: z.string(),
      address: z.string(),
      verifiedBy: z.enum(['inbound', 'livechat']).nullable(),
      verifiedAt: z.string().nullable(),
    }),
  ),
});
