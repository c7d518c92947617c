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
import { mapTwilioMessageStatus, parseSmsStatus } from '../sms/sms-status';
import { createTwilioClient, type TwilioClient } from '../twilio-common/twilio-client';
import { classifyTwilioError } from '../twilio-common/twilio-errors';
import { verifyTwilioSignature } from '../twilio-common/twilio-signature';
import { toWhatsappAddress } from './whatsapp-address';
import { normalizeWhatsappInbound } from './whatsapp-inbound';

export interface TwilioWhatsappAdapterOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_WHATSAPP_FROM: the WhatsApp sender number (with or without `whatsapp:`). */
  from: string;
  /** TWILIO_API_BASE_URL. */
  apiBaseUrl?: string;
  /** Price of one message, for analytics. */
  unitCost?: number;
  /** A prebuilt SDK client (tests); otherwise one is created from the options. */
  client?: TwilioClient;
}

/**
 * WhatsApp through Twilio's Messages API: the SMS contract with `whatsapp:` addresses. The
 * 24-hour window is the core's (routing and the reply guard); the adapter sends what it is given.
 */
export class TwilioWhatsappAdapter implements ChannelAdapter {
  readonly channel = 'whatsapp' as const;
  readonly transport = 'live' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly client: TwilioClient;

  constructor(private readonly options: TwilioWhatsappAdapterOptions) {
    this.client = options.client ?? createTwilioClient(options);
    this.capabilities = {
      text: true,
      html: false,
      media: true,
      maxLength: 1600,
      unitCost: options.unitCost ?? 0.005,
    };
  }

  async send(message: RenderedOutbound): Promise<ProviderReceipt> {
    const mediaUrl = (message.attachments ?? []).flatMap((a) => (a.url ? [a.url] : []));
    try {
      const created = await this.client.messages.create({
        to: toWhatsappAddress(message.to),
        from: toWhatsappAddress(message.from ?? this.options.from),
        body: message.text,
        ...(mediaUrl.length ? { mediaUrl } : {}),
        ...(message.statusCallbackUrl ? { statusCallback: message.statusCallbackUrl } : {}),
      });
      return {
        providerMessageId: created.sid,
        status: mapTwilioMessageStatus(created.status) ?? 'queued',
        details: { twilioStatus: created.status, price: created.price },
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
    return normalizeWhatsappInbound(request);
  }

  /** Same callbacks as SMS; WhatsApp also reports `read`. */
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
