import { z } from 'zod';
import { CHANNELS } from '../common/names';
import { ConversationSchema } from '../common/views.responses';
import { TimelineMessageResponse } from '../customers/customers.responses';

/** The shapes the sandbox routes answer with, for the OpenAPI document. */
/** The conversation the inbound message landed in, as the inbox answers it. */
const SandboxConversation = ConversationSchema;

export const SandboxInboundResponse = TimelineMessageResponse.extend({
  created: z
    .boolean()
    .meta({ description: 'false when this provider message id was already on the timeline' }),
  conversation: SandboxConversation.nullable(),
});

export const SandboxOutboxResponse = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      channel: z.enum(CHANNELS),
      to: z.string(),
      from: z.string().nullable(),
      subject: z.string().nullable(),
      text: z.string(),
      html: z.string().nullable(),
      messageId: z.uuid().nullable(),
      providerMessageId: z.string(),
      payload: z.record(z.string(), z.unknown()).meta({ description: 'what the transport got' }),
      createdAt: z.string(),
    }),
  ),
});
