import type { InboundRequest, NormalizedInbound } from '../../src/channels/channel-port';
import { readInboundSmsKeyword, smsAttachments } from '../sms';
import { field } from '../twilio-common/form-fields';
import { headerValue } from '../twilio-common/twilio-signature';
import { stripWhatsappPrefix } from './whatsapp-address';

/**
 * An inbound WhatsApp message (Twilio's SMS webhook with `whatsapp:` addresses) -> one
 * NormalizedInbound on channel whatsapp, the sender as its bare number; media as MMS's are.
 * None when MessageSid or From is missing.
 */
export function normalizeWhatsappInbound(request: InboundRequest): NormalizedInbound[] {
  const body = request.body;
  const providerMessageId = field(body, 'MessageSid') ?? field(body, 'SmsMessageSid');
  const from = field(body, 'From');
  if (!providerMessageId || !from) return [];
  const text = field(body, 'Body') ?? '';
  const keyword = readInboundSmsKeyword(text, field(body, 'OptOutType'))?.keyword;
  const attachments = smsAttachments(body);
  const to = field(body, 'To');
  const profileName = field(body, 'ProfileName');
  return [
    {
      channel: 'whatsapp',
      kind: 'message',
      from: stripWhatsappPrefix(from),
      ...(to ? { to: stripWhatsappPrefix(to) } : {}),
      providerMessageId,
      text,
      ...(attachments.length ? { attachments } : {}),
      ...(profileName ? { senderName: profileName } : {}),
      metadata: {
        keyword,
        idempotencyToken: headerValue(request.headers, 'i-twilio-idempotency-token'),
        accountSid: field(body, 'AccountSid'),
        waId: field(body, 'WaId'),
      },
    },
  ];
}
