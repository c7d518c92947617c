import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import {
  ChannelSendError,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ChannelHealth,
  type ProviderReceipt,
  type RenderedOutbound,
} from '../../src/channels/channel-port';
import { buildMailOptions, outboundMessageId } from './mail-options';
import { classifySmtpError } from './smtp-errors';

export interface SmtpEmailAdapterOptions {
  /** nodemailer connection URL, e.g. smtps://user:pass@smtp.example.com:465 (SMTP_URL). */
  url: string;
  /** Default sender (EMAIL_FROM). */
  from: string;
  /** Message-ID domain; defaults to the domain of `from`. */
  domain?: string;
}

interface SentInfo {
  response?: string;
  accepted?: unknown[];
  rejected?: unknown[];
}

/** The live email transport: nodemailer over SMTP. */
export class SmtpEmailAdapter implements ChannelAdapter {
  readonly channel = 'email' as const;
  readonly transport = 'live' as const;
  readonly capabilities: ChannelCapabilities = { text: true, html: true, media: true };
  private readonly transporter: Mail;
  private readonly domain: string;
  private lastFailure: ChannelSendError | undefined;

  constructor(private readonly options: SmtpEmailAdapterOptions) {
    this.transporter = createTransport(options.url);
    this.domain = options.domain ?? domainOf(options.from);
  }

  async send(message: RenderedOutbound): Promise<ProviderReceipt> {
    const mail = buildMailOptions(message, { from: this.options.from, domain: this.domain });
    let info: SentInfo;
    try {
      info = (await this.transporter.sendMail(mail)) as SentInfo;
    } catch (err) {
      this.lastFailure = classifySmtpError(err);
      throw this.lastFailure;
    }
    if ((info.accepted?.length ?? 0) === 0 && (info.rejected?.length ?? 0) > 0) {
      this.lastFailure = new ChannelSendError('permanent', `recipient rejected: ${message.to}`);
      throw this.lastFailure;
    }
    this.lastFailure = undefined;
    return {
      providerMessageId: outboundMessageId(message.messageId, this.domain),
      status: 'sent',
      details: { ...(info.response ? { response: info.response } : {}) },
    };
  }

  health(): ChannelHealth {
    // A rejected recipient says nothing about the channel; auth and connection failures do.
    const failure = this.lastFailure?.errorClass;
    if (failure === 'auth')
      return { status: 'down', transport: 'live', details: { lastError: failure } };
    if (failure === 'transient')
      return { status: 'degraded', transport: 'live', details: { lastError: failure } };
    return { status: 'up', transport: 'live' };
  }

  async stop(): Promise<void> {
    this.transporter.close();
  }
}

function domainOf(address: string): string {
  const match = /@([^\s>]+)>?\s*$/.exec(address);
  return match ? match[1].toLowerCase() : 'localhost';
}
