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
import { CircuitBreaker } from './circuit-breaker';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import type { JobContext } from '../queue/job-handler.decorator';

type Row = Record<string, unknown>;

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
  ) {}

  /** Stages the send job in the caller's transaction; dispatch the returned job after commit. */
  stageSend(m: EntityManager, messageId: string, runAt?: Date) {
    return this.queue.stage(m, {
      queue: QUEUES.delivery.name,
      name: 'send',
      payload: { messageId },
      dedupeKey: `send:${messageId}`,
      runAt,
      maxAttempts: 6,
    });
  }

  async enqueueSend(messageId: string, runAt?: Date): Promise<void> {
    const job = await this.stageSend(this.db.manager, messageId, runAt);
    await this.queue.dispatch(job);
  }

  @JobHandler('delivery', 'send')
  async send(payload: Record<string, unknown>, ctx: JobContext): Promise<void> {
    const messageId = String(payload.messageId);
    const rows = (await this.db.query(`SELECT * FROM messages WHERE id = $1`, [messageId])) as Row[];
    const msg = rows[0];
    if (!msg || msg.direction !== 'outbound' || msg.status !== 'queued') return;
    const channel = msg.channel as Channel;
    const address = msg.address as string;

    const blocked = await this.consentBlock(msg);
    if (blocked) {
      await this.finish(msg, 'suppressed', { reason: blocked });
      return;
    }
    const attemptNo = await this.nextAttemptNo(messageId);
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
    try {
      const receipt = await adapter.send(rendered);
      await this.db.query(
        `INSERT INTO delivery_attempts (message_id, attempt_no, channel, address, status, provider_message_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [messageId, attemptNo, channel, address, receipt.status, receipt.providerMessageId, JSON.stringify(receipt.details ?? {})],
      );
      this.metrics.outboundMessages.inc({ channel, outcome: 'sent' });
      this.breaker.success(channel);
      await this.finish(msg, receipt.status, {}, receipt.providerMessageId);
    } catch (err) {
      const e = err instanceof ChannelSendError ? err : new ChannelSendError('unknown', (err as Error).message);
      await this.db.query(
        `INSERT INTO delivery_attempts (message_id, attempt_no, channel, address, status, error_class, error_code, error)
         VALUES ($1, $2, $3, $4, 'failed', $5, $6, $7)`,
        [messageId, attemptNo, channel, address, e.errorClass, e.providerCode ?? null, e.message.slice(0, 2000)],
      );
      this.metrics.outboundMessages.inc({ channel, outcome: e.errorClass });
      if (e.errorClass !== 'permanent') this.breaker.failure(channel);
      if (e.errorClass === 'transient' && ctx.attempt < ctx.maxAttempts) throw e;
      if (e.errorClass === 'permanent') await this.markUndeliverable(channel, address, e);
      if (e.optOut) await this.recordOptOut(msg, e);
      await this.finish(msg, 'failed', { errorClass: e.errorClass, errorCode: e.providerCode ?? null });
    }
  }

  /** Consent is checked again at send time: a revocation reaches messages already queued. */
  private async consentBlock(msg: Row): Promise<string | null> {
    const purpose = msg.purpose as string | null;
    if (!purpose) return null;
    const state = await this.consents.state(msg.customer_id as string);
    const status = state.get(`${String(msg.channel)}:${purpose}`);
    if (status === 'revoked') return `consent revoked for ${purpose} on ${String(msg.channel)}`;
    if (purpose === 'marketing' && status !== 'granted') return `no marketing consent on ${String(msg.channel)}`;
    return null;
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

  private async nextAttemptNo(messageId: string): Promise<number> {
    const r = (await this.db.query(`SELECT count(*)::int AS n FROM delivery_attempts WHERE message_id = $1`, [messageId])) as Array<{ n: number }>;
    return r[0].n + 1;
  }

  private async markUndeliverable(channel: Channel, address: string, e: ChannelSendError): Promise<void> {
    await this.db.query(
      `UPDATE customer_identities SET status = 'undeliverable', status_reason = $3 WHERE kind = $1 AND address = $2`,
      [addressKindOf(channel), address, `${e.providerCode ?? e.errorClass}: ${e.message}`.slice(0, 500)],
    );
  }

  private async finish(msg: Row, status: DeliveryStatus, meta: Record<string, unknown>, providerMessageId?: string): Promise<void> {
    await this.db.query(
      `UPDATE messages SET status = $2, provider_message_id = COALESCE($3, provider_message_id),
              metadata = metadata || $4::jsonb, updated_at = now() WHERE id = $1`,
      [msg.id, status, providerMessageId ?? null, JSON.stringify(Object.keys(meta).length ? { delivery: meta } : {})],
    );
    if (status === 'failed' || status === 'suppressed') this.log.warn(`message ${String(msg.id)} ${status}: ${JSON.stringify(meta)}`);
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
