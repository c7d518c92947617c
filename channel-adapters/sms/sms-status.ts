import type { DeliveryStatus, InboundRequest, StatusUpdate } from '../../src/channels/channel-port';
import { field } from '../twilio-common/form-fields';

/**
 * Twilio MessageStatus -> ours. Choices:
 * - accepted/scheduled/queued/sending: still on Twilio's side -> queued (sending is not yet
 *   handed to the carrier).
 * - canceled (a scheduled message cancelled) -> failed: it will never arrive.
 * - partially_delivered (some parts of a multi-part message arrived) -> delivered: the customer
 *   got the message, so no fallback channel should repeat it.
 * - receiving/received are inbound-only states -> null (not a status of an outbound message).
 */
export function mapTwilioMessageStatus(status: string | undefined): DeliveryStatus | null {
  switch (status?.toLowerCase()) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'partially_delivered':
      return 'delivered';
    case 'read':
      return 'read';
    case 'failed':
    case 'canceled':
      return 'failed';
    case 'undelivered':
      return 'undelivered';
    default:
      return null;
  }
}

/** A Messages status callback -> StatusUpdate; null when it is not one we understand. */
export function parseSmsStatus(request: InboundRequest): StatusUpdate | null {
  const body = request.body;
  const providerMessageId = field(body, 'MessageSid') ?? field(body, 'SmsSid');
  const status = mapTwilioMessageStatus(field(body, 'MessageStatus') ?? field(body, 'SmsStatus'));
  if (!providerMessageId || !status) return null;
  const errorCode = field(body, 'ErrorCode');
  return errorCode ? { providerMessageId, status, errorCode } : { providerMessageId, status };
}
