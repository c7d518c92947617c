import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelHealth,
  ProviderReceipt,
  RenderedOutbound,
} from '../../src/channels/channel-port';
import type { ChatPayload, VisitorDelivery } from './visitor-delivery';

export const LIVECHAT_MAX_LENGTH = 5000;

/**
 * The live transport of the chat widget: a reply is pushed to every open tab of the visitor.
 * A visitor with no tab open gets status 'undelivered' (not an error: the address is fine, the
 * person is away), so the core can fall back to another channel.
 */
export class LivechatAdapter implements ChannelAdapter {
  readonly channel = 'livechat' as const;
  readonly transport = 'live' as const;
  readonly capabilities: ChannelCapabilities = {
    text: true,
    html: false,
    media: false,
    maxLength: LIVECHAT_MAX_LENGTH,
  };
  private port: VisitorDelivery | undefined;

  /** Connects the socket side; until then (a worker-only process) every send is 'undelivered'. */
  bind(port: VisitorDelivery): void {
    this.port = port;
  }

  async send(message: RenderedOutbound): Promise<ProviderReceipt> {
    const authorName =
      typeof message.metadata?.authorName === 'string' ? message.metadata.authorName : undefined;
    const payload: ChatPayload = {
      id: message.messageId,
      text: message.text,
      direction: 'outbound',
      author: authorName ? { name: authorName } : null,
      createdAt: new Date().toISOString(),
    };
    const delivered = this.port ? await this.port.deliver(message.to, payload) : false;
    return {
      providerMessageId: `livechat-${message.messageId}`,
      status: delivered ? 'delivered' : 'undelivered',
    };
  }

  health(): ChannelHealth {
    return {
      status: this.port ? 'up' : 'degraded',
      transport: 'live',
      details: { socket: this.port ? 'bound' : 'not bound' },
    };
  }
}
