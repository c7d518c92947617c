/**
 * The adapter port: the one interface every channel adapter implements.
 * Adapters (channel-adapters/<channel>/) import this file and nothing else from src/;
 * they never touch the database and never know about conversations.
 */
import type { Attachment } from '../common/attachment';
import type { Channel, DeliveryStatus } from '../common/names';

export type { Attachment, Channel, DeliveryStatus };

/** What an adapter makes of one provider request (or SMTP message, or socket event). */
export interface NormalizedInbound {
  channel: Channel;
  /** The sender's address as the provider gave it; the core normalizes it. */
  from: string;
  to?: string;
  /** Unique per channel: a retried delivery carries the same id. */
  providerMessageId: string;
  kind?: 'message' | 'call' | 'event';
  text: string;
  html?: string;
  subject?: string;
  attachments?: Attachment[];
  senderName?: string;
  receivedAt?: Date;
  /** Email: Message-IDs this message replies to (In-Reply-To first, then References). */
  threadRefs?: string[];
  /** Auto-replies (out-of-office, RFC 3834) never reopen or breach anything. */
  autoReply?: boolean;
  metadata?: Record<string, unknown>;
}

/** A message ready to leave through an adapter: already routed and rendered. */
export interface RenderedOutbound {
  /** Our message id: adapters use it for idempotency keys and Message-IDs. */
  messageId: string;
  channel: Channel;
  to: string;
  from?: string;
  subject?: string;
  text: string;
  html?: string;
  locale?: string;
  attachments?: Attachment[];
  headers?: Record<string, string>;
  /** URL the provider should call back with delivery status, when it supports one. */
  statusCallbackUrl?: string;
  metadata?: Record<string, unknown>;
}

export interface ProviderReceipt {
  providerMessageId: string;
  status: DeliveryStatus;
  /** Provider-specific extras worth keeping on the attempt (segments, price...). */
  details?: Record<string, unknown>;
}

/** Vendor errors become one of these classes at the adapter boundary. */
export type SendErrorClass = 'transient' | 'permanent' | 'auth' | 'unknown';

export class ChannelSendError extends Error {
  constructor(
    readonly errorClass: SendErrorClass,
    message: string,
    /** The provider's own code (Twilio 21610, SMTP 550...). */
    readonly providerCode?: string,
    /** A permanent error that also means the recipient opted out (Twilio 21610). */
    readonly optOut = false,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

export interface StatusUpdate {
  providerMessageId: string;
  status: DeliveryStatus;
  errorCode?: string;
  at?: Date;
}

export interface ChannelCapabilities {
  text: boolean;
  html: boolean;
  media: boolean;
  /** Longest text one message may carry (characters); undefined = no practical limit. */
  maxLength?: number;
  /** Cost of one message (or one SMS segment) in the account currency, for analytics. */
  unitCost?: number;
}

/** A provider HTTP request as seen by a webhook controller. */
export interface InboundRequest {
  /** The public URL the provider called (PUBLIC_URL + path + query). */
  url: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed body (form fields or JSON). */
  body: Record<string, unknown>;
  rawBody?: Buffer;
}

export interface ChannelHealth {
  status: 'up' | 'down' | 'degraded';
  transport: 'sandbox' | 'live';
  details?: Record<string, unknown>;
}

export interface ChannelAdapter {
  readonly channel: Channel;
  readonly transport: 'sandbox' | 'live';
  readonly capabilities: ChannelCapabilities;
  send(message: RenderedOutbound): Promise<ProviderReceipt>;
  /**
   * After a crash interrupted a send in flight: the messages the provider accepted for this
   * one (same recipient and content) since `since`, oldest first; [] when it has none. Absent
   * when the provider cannot be asked (the send is then marked `unknown`).
   */
  findSent?(message: RenderedOutbound, since: Date): Promise<ProviderReceipt[]>;
  /** Checks the provider's signature; false means 403. */
  verify?(request: InboundRequest): boolean;
  normalizeInbound?(request: InboundRequest): NormalizedInbound[];
  parseStatus?(request: InboundRequest): StatusUpdate | null;
  health?(): ChannelHealth;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** Where sandbox transports record what they "sent"; the core persists it. */
export interface SandboxSink {
  record(sent: RenderedOutbound & { providerMessageId: string }): Promise<void>;
}
