import { Module } from '@nestjs/common';
import { SmtpEmailAdapter } from '../../channel-adapters/email/smtp-email-adapter';
import { LivechatAdapter } from '../../channel-adapters/livechat/livechat.adapter';
import {
  parseSandboxBehaviour,
  SandboxAdapter,
} from '../../channel-adapters/sandbox/sandbox.adapter';
import { TwilioSmsAdapter } from '../../channel-adapters/sms';
import { TwilioVoiceAdapter } from '../../channel-adapters/voice';
import { WechatyAdapter } from '../../channel-adapters/wechat';
import { TwilioWhatsappAdapter } from '../../channel-adapters/whatsapp';
import { wechatPuppetOverride } from './wechat-puppet';
import { AppConfig } from '../config/app-config';
import { SandboxSendsRepository } from './sandbox-sends.repository';
import { SandboxSinkService } from './sandbox-sink.service';
import { CHANNELS, type Channel } from '../common/names';
import type { ChannelAdapter } from './channel-port';
import { ChannelRegistry } from './channel-registry';

/**
 * The one factory that picks each channel's transport: the live adapter when its credentials
 * are configured and the channel is not listed in CHANNELS_SANDBOX, else the sandbox.
 */
export function createAdapters(
  config: AppConfig,
  sink: SandboxSinkService,
): Map<Channel, ChannelAdapter> {
  const adapters = new Map<Channel, ChannelAdapter>();
  const behaviour = parseSandboxBehaviour(config.env.SANDBOX_BEHAVIOUR);
  for (const channel of CHANNELS) {
    adapters.set(channel, new SandboxAdapter(channel, sink, behaviour[channel]));
  }
  if (config.env.SMTP_URL && !config.forcedSandbox('email')) {
    adapters.set(
      'email',
      new SmtpEmailAdapter({ url: config.env.SMTP_URL, from: config.emailFrom }),
    );
  }
  // Live chat needs no credentials: the app's own socket.io gateway binds to it at start.
  if (!config.forcedSandbox('livechat')) adapters.set('livechat', new LivechatAdapter());
  const {
    TWILIO_ACCOUNT_SID: sid,
    TWILIO_AUTH_TOKEN: token,
    TWILIO_FROM: from,
    TWILIO_API_BASE_URL: apiBaseUrl,
  } = config.env;
  const messagingServiceSid = config.env.TWILIO_MESSAGING_SERVICE_SID;
  if (config.twilioConfigured && (from || messagingServiceSid) && !config.forcedSandbox('sms')) {
    adapters.set(
      'sms',
      new TwilioSmsAdapter({
        accountSid: sid!,
        authToken: token!,
        from,
        messagingServiceSid,
        apiBaseUrl,
      }),
    );
  }
  if (config.twilioConfigured && from && !config.forcedSandbox('voice')) {
    adapters.set(
      'voice',
      new TwilioVoiceAdapter({
        accountSid: sid!,
        authToken: token!,
        from,
        apiBaseUrl,
        publicUrl: config.publicUrl,
      }),
    );
  }
  const whatsappFrom = config.env.TWILIO_WHATSAPP_FROM;
  if (config.twilioConfigured && whatsappFrom && !config.forcedSandbox('whatsapp')) {
    adapters.set(
      'whatsapp',
      new TwilioWhatsappAdapter({
        accountSid: sid!,
        authToken: token!,
        from: whatsappFrom,
        apiBaseUrl,
      }),
    );
  }
  // WeChat: the bot's inbound handler is bound by WechatModule (it needs InboundService).
  const puppet = wechatPuppetOverride.puppet ?? config.env.WECHATY_PUPPET;
  if (puppet && !config.forcedSandbox('wechat')) {
    adapters.set(
      'wechat',
      new WechatyAdapter({
        puppet,
        token: config.env.WECHATY_PUPPET_SERVICE_TOKEN,
        name: 'omnichannel-hub',
      }),
    );
  }
  return adapters;
}

@Module({
  providers: [
    SandboxSendsRepository,
    SandboxSinkService,
    {
      provide: ChannelRegistry,
      inject: [AppConfig, SandboxSinkService],
      useFactory: (config: AppConfig, sink: SandboxSinkService) =>
        new ChannelRegistry(createAdapters(config, sink)),
    },
  ],
  exports: [ChannelRegistry, SandboxSinkService],
})
export class ChannelsModule {}
