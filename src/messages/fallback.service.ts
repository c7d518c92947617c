import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { Channel, Purpose } from '../common/names';
import { MessageRenderer } from './message-renderer';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueueService } from '../queue/job-queue.service';
import { fallbackDedupeKey, FALLBACK_JOB } from '../delivery/fallback-job';
import { FallbackRepository, type FallbackOriginal } from './fallback.repository';
import { OutboundService } from '../delivery/outbound.service';

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
    private readonly fallbacks: FallbackRepository,
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
    const original = await this.fallbacks.original(originalId);
    // A send cancelled before it went (a cancelled campaign's held send) has no fallback; one
    // held by its campaign's pause has none yet (the resume arms its checks afresh).
    if (
      !original ||
      original.metadata?.cancelled !== undefined ||
      original.metadata?.heldByPause === true
    )
      return;
    const route = (original.route ?? {}) as { fallbacks?: StoredFallback[]; sendAt?: string };
    const next = route.fallbacks?.[step];
    if (!next) return;
    const sendAt = route.sendAt ? new Date(route.sendAt) : new Date(original.createdAt);
    const chain = await this.fallbacks.chain(original);
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
    original: FallbackOriginal,
    next: StoredFallback,
    step: number,
    reason: string,
  ): Promise<void> {
    const originalId = original.id;
    const meta = (original.metadata ?? {}) as { template?: string; data?: Record<string, unknown> };
    const c = await this.fallbacks.recipient(original.customerId);
    let outcome: string;
    try {
      if (!c || !meta.template)
        throw new DomainError(
          'unprocessable',
          'the original intent (customer or template) is gone',
        );
      const rendered = await this.renderer.withShortLinks(
        this.renderer.render(
          {
            template: meta.template,
            channel: next.channel,
            locale: c.locale,
            timezone: c.timezone,
            attributes: c.attributes ?? {},
            displayName: c.displayName,
            data: meta.data ?? {},
            customerId: original.customerId,
          },
          original.purpose as Purpose,
        ),
        original.customerId,
      );
      const { message } = await this.outbound.send({
        customerId: original.customerId,
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
        topic: original.topic,
        urgency: original.urgency,
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
    await this.fallbacks.appendLog(originalId, {
      step,
      channel: next.channel,
      reason,
      outcome,
      at: new Date().toISOString(),
    });
  }
}
