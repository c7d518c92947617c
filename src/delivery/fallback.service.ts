import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Channel, Purpose } from '../common/names';
import { MessageRenderer } from '../messages/message-renderer';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { fallbackDedupeKey, FALLBACK_JOB } from './fallback-job';
import { OutboundService } from './outbound.service';

type Row = Record<string, unknown>;

interface StoredFallback {
  channel: Channel;
  address: string;
  afterSeconds: number;
  unless: 'delivered' | 'read';
  /** Critical: also move on when delivered but not read or answered by sendAt + this. */
  readWithinSeconds?: number;
}

const DONE: Record<StoredFallback['unless'], ReadonlySet<string>> = {
  delivered: new Set(['delivered', 'read']),
  read: new Set(['read']),
};

/**
 * The fallback chain: after a routed send, a delayed job (timers/fallback-check, dedupeKey
 * fallback:<messageId>:<n>) checks whether the message (or an earlier fallback of it) was
 * delivered, or read, in time; if not, the same intent goes out on the next channel of the
 * chain as a new message linked by metadata.fallbackOf, with the reason recorded. A step with
 * readWithinSeconds (critical messages) that passes the delivery check is checked once more
 * at that time (phase 'read', dedupeKey fallback:<messageId>:<n>:read): read, or any answer
 * from the customer since the original was sent, counts as acknowledged.
 */
@Injectable()
export class FallbackService {
  private readonly log = new Logger('Fallback');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: JobQueueService,
    private readonly outbound: OutboundService,
    private readonly renderer: MessageRenderer,
  ) {}

  /** Schedules check number `step` at sendAt + afterSeconds (or at `runAt` when given). */
  async arm(
    messageId: string,
    sendAt: Date,
    afterSeconds: number,
    step: number,
    phase: 'delivery' | 'read' = 'delivery',
    runAt?: Date,
  ): Promise<void> {
    await this.queue.enqueue({
      queue: FALLBACK_JOB.queue,
      name: FALLBACK_JOB.name,
      payload: phase === 'read' ? { messageId, step, phase } : { messageId, step },
      dedupeKey: fallbackDedupeKey(messageId, step, phase),
      runAt: runAt ?? new Date(sendAt.getTime() + afterSeconds * 1000),
      maxAttempts: FALLBACK_JOB.maxAttempts,
    });
  }

  @JobHandler('timers', 'fallback-check')
  async check(payload: Record<string, unknown>): Promise<void> {
    const originalId = String(payload.messageId);
    const step = Number(payload.step);
    const phase = payload.phase === 'read' ? 'read' : 'delivery';
    const rows = (await this.db.query(`SELECT * FROM messages WHERE id = $1`, [
      originalId,
    ])) as Row[];
    const original = rows[0];
    if (!original) return;
    const route = (original.route ?? {}) as { fallbacks?: StoredFallback[]; sendAt?: string };
    const next = route.fallbacks?.[step];
    if (!next) return;
    const sendAt = route.sendAt ? new Date(route.sendAt) : new Date(original.created_at as string);
    const chain = (await this.db.query(
      `SELECT id, channel, status,
              EXISTS (SELECT 1 FROM messages i WHERE i.customer_id = $2 AND i.direction = 'inbound' AND i.created_at > $3) AS answered
       FROM messages WHERE id = $1 OR metadata->>'fallbackOf' = $1::text ORDER BY created_at`,
      [originalId, original.customer_id, original.created_at],
    )) as Array<{ id: string; channel: Channel; status: string; answered: boolean }>;
    const last = chain[chain.length - 1];
    let reason: string;
    if (phase === 'read') {
      if (chain.some((m) => m.status === 'read') || last.answered) return;
      reason = `fallback to ${next.channel}: ${last.channel} message ${last.status}, not read or answered within ${next.readWithinSeconds ?? 0}s`;
    } else {
      if (chain.some((m) => DONE[next.unless].has(m.status))) {
        if (next.readWithinSeconds !== undefined && next.unless === 'delivered' && !last.answered) {
          await this.arm(originalId, sendAt, next.readWithinSeconds, step, 'read');
        }
        return;
      }
      reason = `fallback to ${next.channel}: ${last.channel} message ${last.status}, not ${next.unless} within ${next.afterSeconds}s`;
    }
    await this.sendNext(original, next, step, reason);
    const following = route.fallbacks?.[step + 1];
    if (following) {
      // Never earlier than one step's interval from now: a read timeout can fire after the next step's due time.
      const due = Math.max(
        sendAt.getTime() + following.afterSeconds * 1000,
        Date.now() + (following.afterSeconds - next.afterSeconds) * 1000,
      );
      await this.arm(
        originalId,
        sendAt,
        following.afterSeconds,
        step + 1,
        'delivery',
        new Date(due),
      );
    }
  }

  private async sendNext(
    original: Row,
    next: StoredFallback,
    step: number,
    reason: string,
  ): Promise<void> {
    const originalId = original.id as string;
    const meta = (original.metadata ?? {}) as { template?: string; data?: Record<string, unknown> };
    const customers = (await this.db.query(
      `SELECT display_name, locale, timezone, attributes FROM customers WHERE id = $1`,
      [original.customer_id],
    )) as Row[];
    const c = customers[0];
    let outcome: string;
    try {
      if (!c || !meta.template)
        throw new DomainError(
          'unprocessable',
          'the original intent (customer or template) is gone',
        );
      const rendered = this.renderer.render({
        template: meta.template,
        channel: next.channel,
        locale: c.locale as string,
        timezone: c.timezone as string,
        attributes: (c.attributes ?? {}) as Record<string, unknown>,
        displayName: c.display_name as string,
        data: meta.data ?? {},
      });
      const { message } = await this.outbound.send({
        customerId: original.customer_id as string,
        channel: next.channel,
        text: rendered.text,
        html: rendered.html ?? null,
        subject: rendered.subject ?? null,
        purpose: original.purpose as Purpose,
        idempotencyKey: `fallback:${originalId}:${step}`,
        route: {
          channel: next.channel,
          address: next.address,
          sendAt: new Date().toISOString(),
          fallbacks: [],
          reasons: [reason],
        },
        topic: (original.topic as string) ?? null,
        urgency: (original.urgency as string) ?? null,
        template: meta.template,
        metadata: {
          template: meta.template,
          data: meta.data ?? {},
          locale: rendered.locale,
          fallbackOf: originalId,
          fallbackStep: step,
          fallbackReason: reason,
        },
      });
      outcome = `sent as ${message.id}`;
    } catch (e) {
      // Consent or identity refused on the next channel: recorded, and the chain moves on.
      if (!(e instanceof DomainError)) throw e;
      outcome = `not sent: ${e.message}`;
    }
    this.log.log(`message ${originalId}: ${reason} (${outcome})`);
    await this.db.query(
      `UPDATE messages SET metadata = jsonb_set(metadata, '{fallbackLog}', COALESCE(metadata->'fallbackLog', '[]'::jsonb) || $2::jsonb), updated_at = now() WHERE id = $1`,
      [
        originalId,
        JSON.stringify([
          { step, channel: next.channel, reason, outcome, at: new Date().toISOString() },
        ]),
      ],
    );
  }
}
