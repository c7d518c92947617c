import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelHealth,
  InboundRequest,
  NormalizedInbound,
  ProviderReceipt,
  RenderedOutbound,
  StatusUpdate,
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
