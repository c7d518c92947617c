import { randomUUID } from 'crypto';
import type {
  Channel,
  ChannelAdapter,
  ChannelCapabilities,
  ChannelHealth,
  ProviderReceipt,
  RenderedOutbound,
  SandboxSink,
} from '../../src/channels/channel-port';

const CAPABILITIES: Record<Channel, ChannelCapabilities> = {
  email: { text: true, html: true, media: true },
  sms: { text: true, html: false, media: true, maxLength: 1600 },
  voice: { text: true, html: false, media: false, maxLength: 4000 },
  wechat: { text: true, html: false, media: true, maxLength: 2048 },
  livechat: { text: true, html: false, media: true, maxLength: 5000 },
};

/** The transport of a channel without credentials: records what would have been sent. */
export class SandboxAdapter implements ChannelAdapter {
  readonly transport = 'sandbox' as const;
  readonly capabilities: ChannelCapabilities;

  constructor(
    readonly channel: Channel,
    private readonly sink: SandboxSink,
  ) {
    this.capabilities = CAPABILITIES[channel];
  }

  async send(message: RenderedOutbound): Promise<ProviderReceipt> {
    const providerMessageId = `sandbox-${this.channel}-${randomUUID()}`;
    await this.sink.record({ ...message, providerMessageId });
    return { providerMessageId, status: 'delivered' };
  }

  health(): ChannelHealth {
    return { status: 'up', transport: 'sandbox' };
  }
}
