import { Global, Module } from '@nestjs/common';
import { SmtpEmailAdapter } from '../../channel-adapters/email/smtp-email-adapter';
import { LivechatAdapter } from '../../channel-adapters/livechat/livechat.adapter';
import { SandboxAdapter } from '../../channel-adapters/sandbox/sandbox.adapter';
import { AppConfig } from '../config/app-config';
import { SandboxSinkService } from '../sandbox/sandbox-sink.service';
import { CHANNELS, type Channel } from '../common/names';
import type { ChannelAdapter } from './channel-port';
import { ChannelRegistry } from './channel-registry';

/**
 * The one factory that picks each channel's transport: the live adapter when its credentials
 * are configured and the channel is not listed in CHANNELS_SANDBOX, else the sandbox.
 */
export function createAdapters(config: AppConfig, sink: SandboxSinkService): Map<Channel, ChannelAdapter> {
  const adapters = new Map<Channel, ChannelAdapter>();
  for (const channel of CHANNELS) {
    adapters.set(channel, new SandboxAdapter(channel, sink));
  }
  if (config.env.SMTP_URL && !config.forcedSandbox('email')) {
    adapters.set('email', new SmtpEmailAdapter({ url: config.env.SMTP_URL, from: config.emailFrom }));
  }
  // Live chat needs no credentials: the app's own socket.io gateway binds to it at start.
  if (!config.forcedSandbox('livechat')) adapters.set('livechat', new LivechatAdapter());
  return adapters;
}

@Global()
@Module({
  providers: [
    SandboxSinkService,
    {
      provide: ChannelRegistry,
      inject: [AppConfig, SandboxSinkService],
      useFactory: (config: AppConfig, sink: SandboxSinkService) => new ChannelRegistry(createAdapters(config, sink)),
    },
  ],
  exports: [ChannelRegistry, SandboxSinkService],
})
export class ChannelsModule {}
