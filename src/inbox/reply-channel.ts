import type { Channel } from '../common/names';

/**
 * The channel a reply goes out on when the agent picks none: the customer's last inbound
 * channel, else the conversation's last one. A caller is answered by SMS on the same number
 * (a phone identity serves both): a typed reply is not read out in a call.
 */
export function defaultReplyChannel(conv: {
  lastInboundChannel?: string | null;
  lastChannel?: string | null;
}): Channel | null {
  const c = (conv.lastInboundChannel ?? conv.lastChannel ?? null) as Channel | null;
  return c === 'voice' ? 'sms' : c;
}

/**
 * Channels a reply's uploads go out on: e-mail sends them as MIME attachments. SMS (MMS) would
 * need a public media URL Twilio can fetch, live chat and WeChat have no outbound file path yet.
 */
export const CHANNELS_WITH_ATTACHMENTS: readonly Channel[] = ['email'];

/** Why a reply with attachments cannot go out on channel, or null when it can. */
export function attachmentRefusal(channel: Channel, count: number): string | null {
  if (count === 0 || CHANNELS_WITH_ATTACHMENTS.includes(channel)) return null;
  return `attachmentIds: the ${channel} channel cannot carry attachments; send them by ${CHANNELS_WITH_ATTACHMENTS.join(' or ')}`;
}
