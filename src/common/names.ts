/** The names fixed by API.md. One list each, used for validation and types alike. */
export const CHANNELS = ['email', 'sms', 'voice', 'wechat', 'livechat', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const PURPOSES = ['transactional', 'service', 'marketing'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const MESSAGE_KINDS = ['message', 'note', 'call', 'event'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const DELIVERY_STATUSES = [
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'undelivered',
  'suppressed',
  /** Beyond API.md: a send interrupted by a crash after it may have reached the provider. */
  'unknown',
  /** Beyond API.md: a low-urgency message gathered into a digest, which goes in its place (metadata.digest). */
  'digested',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** A delivery attempt's status: a delivery status, or `sending` while the provider call is under way. */
export type AttemptStatus = DeliveryStatus | 'sending';

export const ROLES = ['admin', 'supervisor', 'agent', 'marketer'] as const;
export type Role = (typeof ROLES)[number];

export const CONSENT_STATUSES = ['granted', 'revoked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** How an address is keyed: a phone number serves sms, voice and whatsapp. */
export type AddressKind = 'email' | 'phone' | 'wechat' | 'livechat';
export function addressKindOf(channel: Channel): AddressKind {
  switch (channel) {
    case 'email':
      return 'email';
    case 'sms':
    case 'voice':
    case 'whatsapp':
      return 'phone';
    case 'wechat':
      return 'wechat';
    case 'livechat':
      return 'livechat';
  }
}
export function channelsOfKind(kind: AddressKind): Channel[] {
  return kind === 'phone' ? ['sms', 'voice', 'whatsapp'] : [kind];
}

/** The name of the campaign's `index`-th A/B variant, as sends and results carry it: A, B, C... */
export const variantLetter = (index: number): string => String.fromCharCode(65 + index);
