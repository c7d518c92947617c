import {
  ChannelSendError,
  type ChannelAdapter,
  ChannelCapabilities,
  type ChannelHealth,
  type InboundRequest,
  type NormalizedInbound,
  type ProviderReceipt,
  type RenderedOutbound,
  type StatusUpdate,
} from '../../src/channels/channel-port';
import { createTwilioClient, type TwilioClient } from '../twilio-common/twilio-client';
import { classifyTwilioError } from '../twilio-common/twilio-errors';
import { verifyTwilioSignature } from '../twilio-common/twilio-signature';
import { normalizeSmsInbound } from './sms-inbound';
import { mapTwilioMessageStatus, parseSmsStatus } from './sms-status';

export interface TwilioSmsAdapterOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_FROM: the sender number, used when no Messaging Service is configured. */
  from?: string;
  messagingServiceSid?: string;
  /** TWILIO_API_BASE_URL. */
  apiBaseUrl?: string;
  /** Price of one segment, for analytics. */
  unitCost?: number;
  /** A prebuilt SDK client (tests); otherwise one is created from the options. */
  client?: TwilioClient;
}

/** Most messages findSent reads to one number. */
const FIND_LIMIT = 200;

/** SMS/MMS through the twilio SDK. */
export class TwilioSmsAdapter implements ChannelAdapter {
  readonly channel = 'sms' as const;
  readonly transport = 'live' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly client: TwilioClient;

  constructor(private readonly options: TwilioSmsAdapterOptions) {
    if (!options.from && !options.messagingServiceSid) {
      throw new Error('TwilioSmsAdapter needs TWILIO_FROM or a messagingServiceSid');
    }
    this.client = options.client ?? createTwilioClient(options);
    this.capabilities = {
      text: true,
      html: false,
      media: true,
      maxLength: 1600,
      unitCost: options.unitCost ?? 0.0079,
    };
  }

  async send(message: RenderedOutbound): Promise<ProviderReceipt> {
    const mediaUrl = (message.attachments ?? []).flatMap((a) => (a.url ? [a.url] : []));
    const sender =
      message.from !== undefined
        ? { from: message.from }
        : this.options.messagingServiceSid
          ? { messagingServiceSid: this.options.messagingServiceSid }
          : { from: this.options.from };
    try {
      const created = await this.client.messages.create({
        to: message.to,
        body: message.text,
        ...sender,
        ...(mediaUrl.length ? { mediaUrl } : {}),
        ...(message.statusCallbackUrl ? { statusCallback: message.statusCallbackUrl } : {}),
      });
      return {
        providerMessageId: created.sid,
        status: mapTwilioMessageStatus(created.status) ?? 'queued',
        details: {
          segments: created.numSegments,
          twilioStatus: created.status,
          price: created.price,
        },
      };
    } catch (err) {
      throw classifyTwilioError(err);
    }
  }

  /**
   * Twilio keeps no reference of ours on a message, so a send interrupted in flight is looked
   * for by what it was: outbound to the same number with the same body, created since the send
   * began (the newest 200 to that number; more than that since then cannot be told apart and
   * counts as a provider that could not answer).
   */
  async findSent(message: RenderedOutbound, since: Date): Promise<ProviderReceipt[]> {
    let listed: Awaited<ReturnType<TwilioClient['messages']['list']>>;
    try {
      listed = await this.client.messages.list({
        to: message.to,
        pageSize: 100,
        limit: FIND_LIMIT,
      });
    } catch (err) {
      throw classifyTwilioError(err);
    }
    const recent = listed.filter((m) => m.dateCreated.getTime() >= since.getTime());
    if (listed.length >= FIND_LIMIT && recent.length === listed.length)
      throw new ChannelSendError(
        'transient',
        `more than ${FIND_LIMIT} messages to this number since the send began`,
      );
    return recent
      .filter((m) => m.direction.startsWith('outbound') && m.body === message.text)
      .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())
      .map((m) => ({
        providerMessageId: m.sid,
        status: mapTwilioMessageStatus(m.status) ?? 'queued',
        details: { segments: m.numSegments, twilioStatus: m.status, price: m.price },
      }));
  }

  verify(request: InboundRequest): boolean {
    return verifyTwilioSignature(
      this.options.authToken,
      request.url,
      request.headers,
      request.body,
      request.rawBody,
    );
  }

  normalizeInbound(request: InboundRequest): NormalizedInbound[] {
    return normalizeSmsInbound(request);
  }

  parseStatus(request: InboundRequest): StatusUpdate | null {
    return parseSmsStatus(request);
  }

  health(): ChannelHealth {
    return {
      status: 'up',
      transport: 'live',
      details: { apiBaseUrl: this.options.apiBaseUrl ?? 'https://api.twilio.com' },
    };
  }
}
