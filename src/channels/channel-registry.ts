import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Logger,
} from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { CHANNELS, type Channel } from '../common/names';
import type { ChannelAdapter } from './channel-port';

/** Which adapter serves each channel; filled in exactly one place (ChannelsModule's factory). */
@Injectable()
export class ChannelRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Channels');

  constructor(private readonly adapters: Map<Channel, ChannelAdapter>) {}

  get(channel: Channel): ChannelAdapter {
    const a = this.adapters.get(channel);
    if (!a) throw new DomainError('unavailable', `channel ${channel} has no adapter`);
    return a;
  }

  all(): ChannelAdapter[] {
    return CHANNELS.map((c) => this.adapters.get(c)).filter((a): a is ChannelAdapter => Boolean(a));
  }

  isSandbox(channel: Channel): boolean {
    return this.get(channel).transport === 'sandbox';
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const a of this.all()) await a.start?.();
    this.log.log(
      `channels: ${this.all()
        .map((a) => `${a.channel}=${a.transport}`)
        .join(', ')}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    for (const a of this.all()) await a.stop?.().catch(() => undefined);
  }
}
