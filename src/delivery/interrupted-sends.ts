import { Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { ChannelAdapter, ProviderReceipt, RenderedOutbound } from '../channels/channel-port';
import type { Channel, DeliveryStatus } from '../common/names';
import { MetricsService } from '../metrics/metrics.service';
import type { JobContext } from '../queue/job-handler.decorator';
import { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import type { AttemptEnd, InFlightAttempt, MessageToSend } from './message-delivery.repository';

/** Provider clocks and ours disagree by this much at most (Twilio stamps whole seconds). */
const CLOCK_SKEW_MS = 60_000;

/**
 * What became of a send a crash interrupted, from what the provider says:
 * - `had-it`: the provider accepted it; it is recorded as sent, never sent again;
 * - `never-got-it`: the provider has nothing: it is sent again;
 * - `unknown`: the provider cannot be asked: the message is marked unknown, and sent again
 *   only when it is critical (a duplicate is then the lesser harm).
 */
export type InterruptedOutcome = 'had-it' | 'never-got-it' | 'unknown' | 'unknown-resent';

/** `found`: the provider's unrecorded matches, or null when it could not be asked. */
export function interruptedOutcome(
  found: ProviderReceipt[] | null,
  urgency: string | null,
): InterruptedOutcome {
  if (found === null) return urgency === 'critical' ? 'unknown-resent' : 'unknown';
  return found.length > 0 ? 'had-it' : 'never-got-it';
}

/** Settle the message with this (the job is done), or send it again when `settle` is absent. */
export interface Resolution {
  outcome: InterruptedOutcome;
  settle?: { status: DeliveryStatus; meta: Record<string, unknown>; attempt: AttemptEnd };
}

/**
 * Resolves a send found in flight (its attempt `sending`) when its job runs again: the process
 * that made it died between marking it and recording the provider's answer.
 */
@Injectable()
export class InterruptedSends {
  private readonly log = new Logger('Delivery');
  private readonly counter: Counter<'channel' | 'outcome'>;

  constructor(
    private readonly attempts: DeliveryAttemptsRepository,
    metrics: MetricsService,
  ) {
    this.counter = new Counter({
      name: 'hub_interrupted_sends_total',
      help: 'Sends a crash left in flight, by how they were resolved: had-it (the provider had it), never-got-it (sent again), unknown, unknown-resent (critical)',
      labelNames: ['channel', 'outcome'],
      registers: [metrics.registry],
    });
  }

  async resolve(
    msg: MessageToSend,
    inFlight: InFlightAttempt,
    rendered: RenderedOutbound,
    adapter: ChannelAdapter,
    ctx: JobContext,
  ): Promise<Resolution> {
    const channel = rendered.channel;
    const found = await this.ask(adapter, rendered, inFlight, ctx);
    const outcome = interruptedOutcome(found, msg.urgency);
    this.counter.inc({ channel, outcome });
    this.log.warn(
      `message ${rendered.messageId}: attempt ${inFlight.attemptNo} was interrupted in flight (${describe(outcome, channel)})`,
    );
    switch (outcome) {
      case 'had-it': {
        const receipt = found![0];
        return {
          outcome,
          settle: {
            status: receipt.status,
            meta: { interrupted: 'provider had it' },
            attempt: {
              id: inFlight.id,
              status: receipt.status,
              providerMessageId: receipt.providerMessageId,
              details: { ...(receipt.details ?? {}), recoveredFromProvider: true },
            },
          },
        };
      }
      case 'never-got-it':
        await this.attempts.end({
          id: inFlight.id,
          status: 'failed',
          errorClass: 'transient',
          error: 'interrupted before the provider took it (the provider has no such message)',
        });
        return { outcome };
      case 'unknown-resent':
        await this.attempts.end({
          id: inFlight.id,
          status: 'unknown',
          errorClass: 'unknown',
          error: 'interrupted in flight; the provider cannot be asked; sent again (critical)',
        });
        return { outcome };
      case 'unknown':
        return {
          outcome,
          settle: {
            status: 'unknown',
            meta: { interrupted: 'the provider cannot be asked' },
            attempt: {
              id: inFlight.id,
              status: 'unknown',
              errorClass: 'unknown',
              error: 'interrupted in flight; the provider cannot be asked whether it has it',
            },
          },
        };
    }
  }

  /**
   * The provider's matches no attempt has recorded yet, oldest first; null when it cannot be
   * asked. A provider that fails to answer is asked again on the job's next attempt, and
   * taken as unable to answer on its last.
   */
  private async ask(
    adapter: ChannelAdapter,
    rendered: RenderedOutbound,
    inFlight: InFlightAttempt,
    ctx: JobContext,
  ): Promise<ProviderReceipt[] | null> {
    if (!adapter.findSent) return null;
    let found: ProviderReceipt[];
    try {
      found = await adapter.findSent(
        rendered,
        new Date(inFlight.startedAt.getTime() - CLOCK_SKEW_MS),
      );
    } catch (err) {
      if (ctx.attempt < ctx.maxAttempts) throw err;
      this.log.warn(
        `message ${rendered.messageId}: the provider could not say whether it has it: ${(err as Error).message}`,
      );
      return null;
    }
    const fresh = new Set(
      await this.attempts.unrecorded(
        rendered.channel,
        found.map((r) => r.providerMessageId),
      ),
    );
    return found.filter((r) => fresh.has(r.providerMessageId));
  }
}

function describe(outcome: InterruptedOutcome, channel: Channel): string {
  switch (outcome) {
    case 'had-it':
      return `${channel} provider has it: recorded as sent`;
    case 'never-got-it':
      return `${channel} provider has no such message: sending it again`;
    case 'unknown':
      return `${channel} provider cannot be asked: marked unknown`;
    case 'unknown-resent':
      return `${channel} provider cannot be asked: critical, sending it again`;
  }
}
