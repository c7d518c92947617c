import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EmailReceiver } from '../../channel-adapters/email';
import { AppConfig } from '../config/app-config';
import { EmailInboundService } from './email-inbound.service';
import { smtpCodeFor } from './smtp-reply';

/**
 * The built-in SMTP receiver (START_SMTP_RECEIVER): mail for EMAIL_INBOXES on SMTP_INBOUND_PORT,
 * answered 250 only once it is on the timeline.
 */
@Injectable()
export class EmailReceiverService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('EmailReceiver');
  private receiver: EmailReceiver | undefined;
  private port: number | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly inbound: EmailInboundService,
  ) {}

  /** The port the receiver listens on (resolved when SMTP_INBOUND_PORT is 0); undefined when off. */
  get boundPort(): number | undefined {
    return this.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Like HTTP, the receiver belongs to API processes: a worker-only process must not take the port.
    if (!this.config.env.START_SMTP_RECEIVER || !this.config.runsApi) return;
    const receiver = new EmailReceiver({
      port: this.config.env.SMTP_INBOUND_PORT,
      host: this.config.env.HOST,
      inboxes: this.config.env.EMAIL_INBOXES,
      maxMessageBytes: this.config.env.EMAIL_MAX_BYTES,
      onMessage: async (raw, envelope) => {
        try {
          await this.inbound.receive(raw, envelope);
        } catch (e) {
          this.log.warn(`inbound mail not stored: ${(e as Error).message}`);
          throw Object.assign(new Error((e as Error).message), { smtpCode: smtpCodeFor(e) });
        }
      },
    });
    this.port = await receiver.start();
    this.receiver = receiver;
    this.log.log(
      `SMTP receiver on port ${this.port} for ${this.config.env.EMAIL_INBOXES.join(', ')}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = undefined;
    this.port = undefined;
    await receiver?.stop();
  }
}
