import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ChannelSendError, type RenderedOutbound } from '../channels/channel-port';
import { ChannelRegistry } from '../channels/channel-registry';
import { AppConfig } from '../config/app-config';
import type { Channel, DeliveryStatus } from '../common/names';
import { addressKindOf, PURPOSES } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import { DomainEvents } from '../events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { CircuitBreaker } from '../routing/circuit-breaker';
import { JOB_COMPLETED, JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { deliveryQueueOf, withSendRates } from '../queue/send-rates';
import type { JobContext } from '../queue/job-handler.decorator';
import { InterruptedSends } from './interrupted-sends';
import {
  inFlightOf,
  preloadedMessage,
  SEND_PRELOAD,
  SendStore,
  type AttemptEnd,
} from './send-store';

/** What a send handler answers: JOB_COMPLETED when its last statement also closed the job. */
type Sent = Promise<typeof JOB_COMPLETED | void>;

type Row = Record<string, unknown>;

/** Attempts of one send job (transient errors retry with backoff until then). */
export const SEND_MAX_ATTEMPTS = 6;

/** Sends queued outbound messages through their channel's adapter and records every attempt. */
@Injectable()
export class DeliveryService {
  private readonly log = new Logger('Delivery');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly channels: ChannelRegistry,
    private readonly queue: JobQueueService,
    private readonly consents: ConsentService,
    private readonly events: DomainEvents,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
    private readonly breaker: CircuitBreaker,
    private readonly store: SendStore,
    private readonly interrupted: InterruptedSends,
  ) {}

  /**
   * Stages the send job in the caller's transaction, on the channel's own delivery queue (its
   * provider's send rate); dispatch the returned job after commit. Without `channel` the
   * message's channel is read first.
   */
  async stageSend(m: EntityManager, messageId: string, runAt?: Date, channel?: Channel) {
    const target = channel ?? (await this.channelOf(m, messageId));
    return this.queue.stage(m, {
      queue: target === null ? QUEUES.delivery.name : deliveryQueueOf(target),
      name: 'send',
      payload: { messageId },
      dedupeKey: `send:${messageId}`,
      runAt,
      maxAttempts: SEND_MAX_ATTEMPTS,
    });
  }

  async enqueueSend(messageId: string, runAt?: Date): Promise<void> {
    const job = await this.stageSend(this.db.manager, messageId, runAt);
    await this.queue.dispatch(job);
  }

  // One handler per delivery queue (the registry allows one per queue and name); all send alike.
  @JobHandler('delivery-email', 'send', { preload: SEND_PRELOAD })
  sendEmail(payload: Record<string, unknown>, ctx: JobContext): Sent {
    return this.send(payload, ctx);
  }

  @JobHandler('delivery-sms', 'send', { preload: SEND_PRELOAD })
  sendSms(payload: Record<string, unknown>, ctx: JobContext): Sent {
    return this.send(payload, ctx);
  }

  @JobHandler('delivery-voice', 'send', { preload: SEND_PRELOAD })
  sendVoice(payload: Record<string, unknown>, ctx: JobContext): Sent {
    return this.send(payload, ctx);
  }

  @JobHandler('delivery-wechat', 'send', { preload: SEND_PRELOAD })
  sendWechat(payload: Record<string, unknown>, ctx: JobContext): Sent {
    return this.send(payload, ctx);
  }

  @JobHandler('delivery-livechat', 'send', { preload: SEND_PRELOAD })
  sendLivechat(payload: Record<string, unknown>, ctx: JobContext): Sent {
    return this.send(payload, ctx);
  }

  /**
   * The shared 'delivery' queue (rows staged before per-channel queues, or by writers that do
   * not name the channel): a channel with a configured send rate is handed over to its own
   * queue so the limit holds; otherwise it is sent right here.
   */
  @JobHandler('delivery', 'send')
  async sendShared(payload: Record<string, unknown>, ctx: JobContext): Sent {
    const messageId = String(payload.messageId);
    const channel = await this.channelOf(this.db.manager, messageId);
    if (channel !== null && this.rateLimited(channel)) {
      const job = await this.queue.stage(this.db.manager, {
        queue: deliveryQueueOf(channel),
        name: 'send',
        payload: { messageId },
        dedupeKey: `send:${messageId}:${channel}`,
        maxAttempts: SEND_MAX_ATTEMPTS,
      });
      await this.queue.dispatch(job);
      return;
    }
    return this.send(payload, ctx);
  }

  private rateLimited(channel: Channel): boolean {
    return (
      withSendRates([{ name: deliveryQueueOf(channel), concurrency: 1 }], this.config)[0]
        .limiter !== undefined
    );
  }

  private async channelOf(m: EntityManager, messageId: string): Promise<Channel | null> {
    const rows = (await m.query(`SELECT channel FROM messages WHERE id = $1`, [
      messageId,
    ])) as Array<{ channel: Channel | null }>;
    return rows[0]?.channel ?? null;
  }

  async send(payload: Record<string, unknown>, ctx: JobContext): Sent {
    const messageId = String(payload.messageId);
    // Read with the claim (the handler's preload) when the queue could; consent is as of now.
    const msg = preloadedMessage(ctx.preloaded) ?? (await this.store.load(messageId));
    if (!msg || msg.direction !== 'outbound' || msg.status !== 'queued') return;
    const channel = msg.channel as Channel;
    const address = msg.address as string;

    const attemptNo = Number(msg.attempts_so_far) + 1;
    const adapter = this.channels.get(channel);
    const rendered: RenderedOutbound = {
      messageId,
      channel,
      to: address,
      from: channel === 'email' ? this.config.emailFrom : undefined,
      subject: (msg.subject as string) ?? undefined,
      text: msg.text as string,
      html: (msg.html as string) ?? undefined,
      locale: ((msg.metadata as Row)?.locale as string) ?? undefined,
      headers: ((msg.metadata as Row)?.headers as Record<string, string>) ?? undefined,
      statusCallbackUrl: `${this.config.publicUrl}/webhooks/twilio/status`,
      metadata: (msg.metadata as Record<string, unknown>) ?? {},
    };
    // A crash left an attempt of this message in flight: the provider may have it already.
    const inFlight = inFlightOf(msg);
    if (inFlight) {
      const resolved = await this.interrupted.resolve(msg, inFlight, rendered, adapter, ctx);
      if (resolved.settle) {
        await this.finish(
          ctx,
          msg,
          resolved.settle.status,
          resolved.settle.meta,
          resolved.settle.attempt.providerMessageId ?? undefined,
          resolved.settle.attempt,
        );
        return JOB_COMPLETED;
      }
    }
    // After the in-flight check: what the provider already took is recorded as sent whatever
    // the consent says now.
    const blocked = consentBlock(msg);
    if (blocked) {
      await this.finish(ctx, msg, 'suppressed', { reason: blocked });
      return JOB_COMPLETED;
    }
    // In flight, committed before the provider is called: a crash from here on leaves it behind.
    const attemptId = await this.store.begin({ messageId, attemptNo, channel, address });
    try {
      const receipt = await adapter.send(rendered);
      this.metrics.outboundMessages.inc({ channel, outcome: 'sent' });
      this.breaker.success(channel);
      // The attempt, the message status and the job's outbox row in one statement.
      await this.finish(ctx, msg, receipt.status, {}, receipt.providerMessageId, {
        id: attemptId,
        status: receipt.status,
        providerMessageId: receipt.providerMessageId,
        details: receipt.details ?? {},
      });
      return JOB_COMPLETED;
    } catch (err) {
      const e =
        err instanceof ChannelSendError
          ? err
          : new ChannelSendError('unknown', (err as Error).message);
      const failed: AttemptEnd = {
        id: attemptId,
        status: 'failed',
        errorClass: e.errorClass,
        errorCode: e.providerCode ?? null,
        error: e.message.slice(0, 2000),
      };
      this.metrics.outboundMessages.inc({ channel, outcome: e.errorClass });
      if (e.errorClass !== 'permanent') this.breaker.failure(channel);
      if (e.errorClass === 'transient' && ctx.attempt < ctx.maxAttempts) {
        await this.store.endAttempt(failed);
        throw e;
      }
      if (e.errorClass === 'permanent') await this.markUndeliverable(channel, address, e);
      if (e.optOut) await this.recordOptOut(msg, e);
      await this.finish(
        ctx,
        msg,
        'failed',
        { errorClass: e.errorClass, errorCode: e.providerCode ?? null },
        undefined,
        failed,
      );
      return JOB_COMPLETED;
    }
  }

  /** Twilio 21610 (the number sent STOP): a revocation of every purpose on that channel. */
  private async recordOptOut(msg: Row, e: ChannelSendError): Promise<void> {
    for (const purpose of PURPOSES) {
      await this.consents.record({
        customerId: msg.customer_id as string,
        channel: msg.channel as Channel,
        purpose,
        status: 'revoked',
        source: `twilio-${e.providerCode ?? 'opt-out'}`,
        evidence: { errorCode: e.providerCode ?? null, messageId: msg.id as string },
      });
    }
  }

  private async markUndeliverable(
    channel: Channel,
    address: string,
    e: ChannelSendError,
  ): Promise<void> {
    await this.db.query(
      `UPDATE customer_identities SET status = 'undeliverable', status_reason = $3 WHERE kind = $1 AND address = $2`,
      [
        addressKindOf(channel),
        address,
        `${e.providerCode ?? e.errorClass}: ${e.message}`.slice(0, 500),
      ],
    );
  }

  /**
   * Sets the message's status, writes the attempt of a sent message and closes the send job,
   * in one statement.
   */
  private async finish(
    ctx: JobContext,
    msg: Row,
    status: DeliveryStatus,
    meta: Record<string, unknown>,
    providerMessageId?: string,
    attempt?: AttemptEnd,
  ): Promise<void> {
    await this.store.record({
      messageId: msg.id as string,
      status,
      providerMessageId: providerMessageId ?? null,
      metadata: Object.keys(meta).length ? { delivery: meta } : {},
      attempt: attempt ?? null,
      jobId: ctx.jobId,
    });
    if (status === 'failed' || status === 'suppressed' || status === 'unknown')
      this.log.warn(`message ${String(msg.id)} ${status}: ${JSON.stringify(meta)}`);
    this.events.emit('message.status', {
      messageId: msg.id as string,
      status,
      customerId: msg.customer_id as string,
      conversationId: (msg.conversation_id as string) ?? null,
      channel: (msg.channel as string) ?? null,
      errorCode: (meta.errorCode as string) ?? null,
    });
  }
}

/** Consent is checked again at send time: a revocation reaches messages already queued. */
function consentBlock(msg: Row): string | null {
  const purpose = msg.purpose as string | null;
  if (!purpose) return null;
  const status = msg.consent_status as string | null;
  if (status === 'revoked') return `consent revoked for ${purpose} on ${String(msg.channel)}`;
  if (purpose === 'marketing' && status !== 'granted')
    return `no marketing consent on ${String(msg.channel)}`;
  return null;
}
