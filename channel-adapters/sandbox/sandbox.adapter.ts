import { randomUUID } from 'crypto';
import { ChannelSendError } from '../../src/channels/channel-port';
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
  whatsapp: { text: true, html: false, media: true, maxLength: 1600 },
};

/**
 * Test-only behaviours (SANDBOX_BEHAVIOUR): 'deliver' (default) reports delivered at once,
 * 'sent-only' records the send but never reports delivery, 'fail' records nothing and
 * throws a transient provider error.
 */
export type SandboxBehaviour = 'deliver' | 'sent-only' | 'fail';

/** Parses "email=sent-only,sms=fail" into a behaviour per channel. */
export function parseSandboxBehaviour(spec: string): Partial<Record<Channel, SandboxBehaviour>> {
  const out: Partial<Record<Channel, SandboxBehaviour>> = {};
  for (const part of spec.split(',')) {
    const [channel, behaviour] = part.split('=').map((s) => s.trim());
    if (channel && behaviour) out[channel as Channel] = behaviour as SandboxBehaviour;
  }
  return out;
}

/** The transport of a channel without credentials: records what would have been sent. */
export class SandboxAdapter implements ChannelAdapter {
  readonly transport = 'sandbox' as const;
  readonly capabilities: ChannelCapabilities;

  constructor(
    readonly channel: Channel,
    private readonly sink: SandboxSink,
    private readonly behaviour: SandboxBehaviour = 'deliver',
  ) {
    this.capabilities = CAPABILITIES[channel];
  }

  async send(message: RenderedOutbound): Promise<ProviderReceipt> {
    if (this.behaviour === 'fail')
      throw new ChannelSendError(
        'transient',
        `sandbox ${this.channel}: failing on purpose (SANDBOX_BEHAVIOUR)`,
      );
    const providerMessageId = `sandbox-${this.channel}-${randomUUID()}`;
    await this.sink.record({ ...message, providerMessageId });
    return { providerMessageId, status: this.behaviour === 'sent-only' ? 'sent' : 'delivered' };
  }

  health(): ChannelHealth {
    return { status: 'up', transport: 'sandbox' };
  }
}
