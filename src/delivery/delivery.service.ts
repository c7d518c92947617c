import { Injectable, Logger } from '@nestjs/common';
import { ChannelSendError, type RenderedOutbound } from '../channels/channel-port';
import { ChannelRegistry } from '../channels/channel-registry';
import { AppConfig } from '../config/app-config';
import type { Channel, DeliveryStatus } from '../common/names';
import { PURPOSES } from '../common/names';
import { ConsentService } from '../consent/consent.service';
import { DomainEvents } from '../events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { CircuitBreaker } from '../routing/circuit-breaker';
import { WHATSAPP_WINDOW_HOURS, whatsappWindowProblem } from '../routing/decision/whatsapp-window';
import { JOB_COMPLETED, JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { deliveryQueueOf, withSendRates } from '../queue/send-rates';
import type { JobContext } from '../queue/job-handler.decorator';
import type { Tx } from '../database/transactions';
import { SEND_MAX_ATTEMPTS } from './send-job';
import { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import { InterruptedSends } from './interrupted-sends';
import {
  MessageDeliveryRepository,
  preloadedMessage,
  SEND_PRELOAD,
  type AttemptEnd,
  type MessageToSend,
} from './message-delivery.repository';

/** What a send handler answers: JOB_COMPLETED when its last statement also closed the job. */
type Sent = Promise<typeof JOB_COMPLETED | void>;

export { SEND_MAX_ATTEMPTS } from './send-job';

/** Sends queued outbound messages through their channel's adapter and records every attempt. */
@Injectable()
export class DeliveryService {
  private readonly log = new Logger('Delivery');

  constructor(
    private readonly channels: ChannelRegistry,
    private readonly queue: JobQueueService,
    private readonly consents: ConsentService,
    private readonly events: DomainEvents,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
    private readonly breaker: CircuitBreaker,
    private readonly messages: MessageDeliveryRepository,
    private readonly attempts: DeliveryAttemptsRepository,
    private readonly interrupted: InterruptedSends,
  ) {}

  /**
   * Stages the send job in the caller's transaction, on the channel's own delivery queue (its
   * provider's send rate); dispatch the returned job after commit. Without `channel` the
   * message's channel is read first.
   */
  async stageSend(tx: Tx, messageId: string, runAt?: Date, channel?: Channel) {
    return this.queue.stage(tx, await this.sendJob(messageId, runAt, channel, tx));
  }

  async enqueueSend(messageId: string, runAt?: Date): Promise<void> {
    await this.queue.enqueue(await this.sendJob(messageId, runAt));
  }

  private async sendJob(messageId: string, runAt?: Date, channel?: Channel, tx?: Tx) {
    const target = channel ?? (await this.messages.channelOf(messageId, tx));
    return {
      queue: target === null ? QUEUES.delivery.name : deliveryQueueOf(target),
      name: 'send',
      payload: { messageId },
      dedupeKey: `send:${messageId}`,
      runAt,
      maxAttempts: SEND_MAX_ATTEMPTS,
    };
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

  @JobHandler('delivery-whatsapp', 'send', { preload: SEND_PRELOAD })
  sendWhatsapp(payload: Record<string, unknown>, ctx: JobContext): Sent {
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
    const channel = await this.messages.channelOf(messageId);
    if (channel !== null && this.rateLimited(channel)) {
      await this.queue.enqueue({
        queue: deliveryQueueOf(channel),
        name: 'send',
        payload: { messageId },
        dedupeKey: `send:${messageId}:${channel}`,
        maxAttempts: SEND_MAX_ATTEMPTS,
      });
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

  async send(payload: Record<string, unknown>, ctx: JobContext): Sent {
    const messageId = String(payload.messageId);
    // Read with the claim (the handler's preload) when the queue could; consent is as of now.
    const msg = preloadedMessage(ctx.preloaded) ?? (await this.messages.forSend(messageId));
    if (!msg || msg.direction !== 'outbound' || msg.status !== 'queued') return;
    const channel = msg.channel;
    const address = msg.address;

    const attemptNo = msg.attemptsSoFar + 1;
    const adapter = this.channels.get(channel);
    const rendered: RenderedOutbound = {
      messageId,
      channel,
      to: address,
      from: channel === 'email' ? this.config.emailFrom : undefined,
      subject: msg.subject ?? undefined,
      text: msg.text,
      html: msg.html ?? undefined,
      locale: (msg.metadata?.locale as string) ?? undefined,
      headers: (msg.metadata?.headers as Record<string, string>) ?? undefined,
      statusCallbackUrl: `${this.config.publicUrl}/webhooks/twilio/status`,
      metadata: msg.metadata ?? {},
      ...(msg.attachments.length
        ? { attachments: await this.messages.attachmentContents(messageId) }
        : {}),
    };
    // A crash left an attempt of this message in flight: the provider may have it already.
    const inFlight = msg.inFlight;
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
    // A paused campaign's send waits (after the in-flight check: what the provider took is
    // recorded); the resume releases it at a time the customer's quiet hours allow.
    const campaignId = msg.metadata?.campaignId;
    if (
      msg.campaignStatus === 'paused' &&
      typeof campaignId === 'string' &&
      (await this.messages.holdForPause(msg.id, ctx.jobId, campaignId))
    ) {
      this.log.debug(`message ${msg.id} held: its campaign is paused`);
      return JOB_COMPLETED;
    }
    // After the in-flight check: what the provider already took is recorded as sent whatever
    // the consent says now.
    const blocked = consentBlock(msg) ?? this.windowBlock(msg);
    if (blocked) {
      await this.finish(ctx, msg, 'suppressed', { reason: blocked });
      return JOB_COMPLETED;
    }
    // In flight, committed before the provider is called: a crash from here on leaves it behind.
    const attemptId = await this.attempts.begin({ messageId, attemptNo, channel, address });
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
        await this.attempts.end(failed);
        throw e;
      }
      // A WhatsApp refusal (not on WhatsApp, outside the window) says nothing of the number's
      // SMS and calls, which share its phone identity: the identity stays active.
      if (e.errorClass === 'permanent' && channel !== 'whatsapp')
        await this.markUndeliverable(channel, address, e);
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

  /**
   * WhatsApp's window is checked again when the message goes: a send held in the queue (a
   * backlog, a paused campaign, retries) may reach its turn after the window closed, where
   * only an approved template may go. The fallback chain then moves on as for any other miss.
   */
  private windowBlock(msg: MessageToSend): string | null {
    if (msg.channel !== 'whatsapp') return null;
    return whatsappWindowProblem(msg.whatsappLastInboundAt, msg.template ?? undefined, Date.now(), {
      windowHours: WHATSAPP_WINDOW_HOURS,
      approvedTemplates: this.config.env.WHATSAPP_APPROVED_TEMPLATES,
    });
  }

  /** Twilio 21610 (the number sent STOP): a revocation of every purpose on that channel. */
  private async recordOptOut(msg: MessageToSend, e: ChannelSendError): Promise<void> {
    for (const purpose of PURPOSES) {
      await this.consents.record({
        customerId: msg.customerId,
        channel: msg.channel,
        purpose,
        status: 'revoked',
        source: `twilio-${e.providerCode ?? 'opt-out'}`,
        evidence: { errorCode: e.providerCode ?? null, messageId: msg.id },
      });
    }
  }

  private async markUndeliverable(
    channel: Channel,
    address: string,
    e: ChannelSendError,
  ): Promise<void> {
    await this.messages.markUndeliverable(
      channel,
      address,
      `${e.providerCode ?? e.errorClass}: ${e.message}`,
    );
  }

  /**
   * Sets the message's status, writes the attempt of a sent message and closes the send job,
   * in one statement.
   */
  private async finish(
    ctx: JobContext,
    msg: MessageToSend,
    status: DeliveryStatus,
    meta: Record<string, unknown>,
    providerMessageId?: string,
    attempt?: AttemptEnd,
  ): Promise<void> {
    await this.messages.record({
      messageId: msg.id,
      status,
      providerMessageId: providerMessageId ?? null,
      metadata: Object.keys(meta).length ? { delivery: meta } : {},
      attempt: attempt ?? null,
      jobId: ctx.jobId,
    });
    if (status === 'failed' || status === 'suppressed' || status === 'unknown')
      this.log.warn(`message ${msg.id} ${status}: ${JSON.stringify(meta)}`);
    this.events.emit('message.status', {
      messageId: msg.id,
      status,
      customerId: msg.customerId,
      conversationId: msg.conversationId ?? null,
      channel: msg.channel ?? null,
      errorCode: (meta.errorCode as string) ?? null,
    });
  }
}

/** Consent is checked again at send time: a revocation reaches messages already queued. */
function consentBlock(msg: MessageToSend): string | null {
  const purpose = msg.purpose;
  if (!purpose) return null;
  const status = msg.consentStatus;
  if (status === 'revoked') return `consent revoked for ${purpose} on ${String(msg.channel)}`;
  if (purpose === 'marketing' && status !== 'granted')
    return `no marketing consent on ${String(msg.channel)}`;
  return null;
}
