import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { WechatyAdapter } from '../../channel-adapters/wechat';
import { ChannelRegistry } from '../channels/channel-registry';
import { InboundService } from '../ingest/inbound.service';
import { ChannelsModule } from '../channels/channels.module';
import { IngestModule } from '../ingest/ingest.module';

/**
 * WeChat in: the wechaty bot (built by the channel factory when WECHATY_PUPPET is set, started
 * with the other adapters) hands every contact message to InboundService. Sandbox otherwise.
 */
@Module({ imports: [IngestModule, ChannelsModule] })
export class WechatModule implements OnModuleInit {
  private readonly log = new Logger('WeChat');

  constructor(
    private readonly channels: ChannelRegistry,
    private readonly inbound: InboundService,
  ) {}

  onModuleInit(): void {
    const adapter = this.channels.get('wechat');
    if (!(adapter instanceof WechatyAdapter)) return;
    adapter.setInboundHandler(async (message) => {
      try {
        await this.inbound.receive(message);
      } catch (error) {
        this.log.error(
          `inbound WeChat message ${message.providerMessageId} not stored: ${(error as Error).message}`,
        );
        throw error;
      }
    });
  }
}
