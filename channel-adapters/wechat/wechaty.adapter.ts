import { FileBox } from 'file-box';
import { WechatyBuilder, qrcodeValueToImageUrl, type Wechaty, type WechatyOptions } from 'wechaty';
import {
  ChannelSendError,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ChannelHealth,
  type NormalizedInbound,
  type ProviderReceipt,
  type RenderedOutbound,
} from '../../src/channels/channel-port';
import { normalizeWechatMessage } from './wechat-message';

/** A puppet instance (e.g. new PuppetMock()) as wechaty accepts it. */
export type WechatyPuppet = Exclude<NonNullable<WechatyOptions['puppet']>, string>;

export type WechatLoginState =
  | { state: 'stopped' }
  | { state: 'starting' }
  | { state: 'scan'; qrUrl: string; qrImageUrl: string; scanStatus: string }
  | { state: 'logged-in'; userId: string; userName: string }
  | { state: 'logged-out'; reason?: string };

export interface WechatyAdapterOptions {
  /** WECHATY_PUPPET (a puppet package name) or a puppet instance. */
  puppet: string | WechatyPuppet;
  /** WECHATY_PUPPET_SERVICE_TOKEN, passed to a named puppet. */
  token?: string;
  name: string;
  /** Where inbound messages go; may be bound later with setInboundHandler (before start). */
  onInbound?: (message: NormalizedInbound) => Promise<unknown>;
  /** Errors from the bot or from onInbound; the adapter never logs by itself. */
  onError?: (error: unknown) => void;
  includeRooms?: boolean;
}

/** WeChat through a wechaty bot running inside the app. */
export class WechatyAdapter implements ChannelAdapter {
  readonly channel = 'wechat' as const;
  readonly transport = 'live' as const;
  readonly capabilities: ChannelCapabilities = {
    text: true,
    html: false,
    media: true,
    maxLength: 2048,
    unitCost: 0,
  };
  readonly bot: Wechaty;
  private login: WechatLoginState = { state: 'stopped' };
  private inboundHandler?: (message: NormalizedInbound) => Promise<unknown>;

  constructor(private readonly options: WechatyAdapterOptions) {
    this.inboundHandler = options.onInbound;
    const puppetOptions: WechatyOptions =
      typeof options.puppet === 'string'
        ? {
            name: options.name,
            puppet: options.puppet as Extract<WechatyOptions['puppet'], string>,
            ...(options.token ? { puppetOptions: { token: options.token } } : {}),
          }
        : { name: options.name, puppet: options.puppet };
    this.bot = WechatyBuilder.build(puppetOptions);
    this.bot.on('scan', (qrcode, status) => {
      this.login = {
        state: 'scan',
        qrUrl: qrcode,
        qrImageUrl: qrcodeValueToImageUrl(qrcode),
        scanStatus: String(status),
      };
    });
    this.bot.on('login', (user) => {
      this.login = { state: 'logged-in', userId: user.id, userName: user.name() };
    });
    this.bot.on('logout', (_user, reason) => {
      this.login = { state: 'logged-out', reason };
    });
    this.bot.on('error', (error) => this.options.onError?.(error));
    this.bot.on('message', (message) => {
      normalizeWechatMessage(message, { includeRooms: options.includeRooms })
        .then((normalized) =>
          normalized && this.inboundHandler ? this.inboundHandler(normalized) : undefined,
        )
        .catch((error: unknown) => this.options.onError?.(error));
    });
  }

  /** Binds the core's inbound entry point when it exists only after the adapter was built. */
  setInboundHandler(handler: (message: NormalizedInbound) => Promise<unknown>): void {
    this.inboundHandler = handler;
  }

  get loginState(): WechatLoginState {
    return this.login;
  }

  async start(): Promise<void> {
    this.login = { state: 'starting' };
    await this.bot.start();
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    this.login = { state: 'stopped' };
  }

  async send(message: RenderedOutbound): Promise<ProviderReceipt> {
    if (!this.bot.isLoggedIn)
      throw new ChannelSendError('transient', 'WeChat bot is not logged in');
    const contact = await this.bot.Contact.find({ id: message.to }).catch(() => undefined);
    if (!contact) throw new ChannelSendError('permanent', `unknown WeChat contact ${message.to}`);
    try {
      const sent = message.text ? await contact.say(message.text) : undefined;
      for (const attachment of message.attachments ?? []) {
        if (attachment.content)
          await contact.say(FileBox.fromBuffer(attachment.content, attachment.filename));
        else if (attachment.url)
          await contact.say(FileBox.fromUrl(attachment.url, { name: attachment.filename }));
      }
      // Most puppets return no message from say(): our own id then stands in, stable across retries.
      return { providerMessageId: sent ? sent.id : `wechat-${message.messageId}`, status: 'sent' };
    } catch (error) {
      throw new ChannelSendError(
        'transient',
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  health(): ChannelHealth {
    const status =
      this.login.state === 'logged-in'
        ? 'up'
        : this.login.state === 'scan' || this.login.state === 'starting'
          ? 'degraded'
          : 'down';
    return { status, transport: 'live', details: { ...this.login } };
  }
}
