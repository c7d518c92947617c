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
import { normalizeVoiceEvent, parseCallStatus, voiceEventKindOf } from './voice-events';
import { outboundCallTwiml } from './voice-twiml';

export interface TwilioVoiceAdapterOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_FROM: the caller id. */
  from: string;
  apiBaseUrl?: string;
  /** PUBLIC_URL: when set, a call without metadata.gatherUrl posts its key press to
   * <publicUrl>/webhooks/twilio/voice/gather?messageId=<our message id>. */
  publicUrl?: string;
  /** Cost of one call, for analytics. */
  unitCost?: number;
  client?: TwilioClient;
}

/** Outbound notice calls and inbound voicemail through the twilio SDK. */
export class TwilioVoiceAdapter implements ChannelAdapter {
  readonly channel = 'voice' as const;
  readonly transport = 'live' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly client: TwilioClient;

  constructor(private readonly options: TwilioVoiceAdapterOptions) {
    this.client = options.client ?? createTwilioClient(options);
    // <Say> takes up to 4,096 characters; the text is spoken twice.
    this.capabilities = {
      text: true,
      html: false,
      media: false,
      maxLength: 1000,
      unitCost: options.unitCost ?? 0.014,
    };
  }

  /** Calls msg.to and speaks msg.text; msg.metadata.gatherUrl receives the confirming key press. */
  async send(message: RenderedOutbound): Promise<ProviderReceipt> {
    const gatherUrl =
      typeof message.metadata?.gatherUrl === 'string'
        ? message.metadata.gatherUrl
        : this.options.publicUrl
          ? `${this.options.publicUrl.replace(/\/+$/, '')}/webhooks/twilio/voice/gather?messageId=${encodeURIComponent(message.messageId)}`
          : undefined;
    try {
      const call = await this.client.calls.create({
        to: message.to,
        from: message.from ?? this.options.from,
        twiml: outboundCallTwiml({ text: message.text, locale: message.locale, gatherUrl }),
        ...(message.statusCallbackUrl
          ? {
              statusCallback: message.statusCallbackUrl,
              statusCallbackEvent: ['answered', 'completed'],
            }
          : {}),
      });
      return {
        providerMessageId: call.sid,
        status: 'queued',
        details: { twilioStatus: call.status },
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

  /** Any voice webhook (call, recording, transcription, status) -> one item keyed by CallSid. */
  normalizeInbound(request: InboundRequest): NormalizedInbound[] {
    const item = normalizeVoiceEvent(voiceEventKindOf(request.body), request.body);
    return item.providerMessageId ? [item] : [];
  }

  parseStatus(request: InboundRequest): StatusUpdate | null {
    return parseCallStatus(request);
  }

  health(): ChannelHealth {
    return {
      status: 'up',
      transport: 'live',
      details: { apiBaseUrl: this.options.apiBaseUrl ?? 'https://api.twilio.com' },
    };
  }
}
