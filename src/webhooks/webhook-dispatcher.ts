import { Injectable, Logger } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events';
import { JobHandler, PermanentJobError, type JobContext } from '../queue/job-handler.decorator';
import { WebhookDeliveriesRepository, type AttemptOutcome } from './webhook-deliveries.repository';
import { DELIVER_JOB } from './webhook-publisher';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { webhookUrlProblem } from './webhook-url';

/** What of a receiver's answer the delivery log keeps. */
const RESPONSE_KEEP = 2048;

/**
 * Sends one delivery per job, signed per Standard Webhooks (webhook-id: the delivery's id, the
 * same on every retry and replay; webhook-timestamp: this attempt's time). A 2xx answer within
 * WEBHOOK_TIMEOUT_MS delivers; anything else is retried by the queue with backoff up to
 * WEBHOOK_MAX_ATTEMPTS. Redirects are not followed (they could lead inside the network).
 */
@Injectable()
export class WebhookDispatcher {
  private readonly log = new Logger('Webhooks');

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
  ) {}

  @JobHandler('webhooks', DELIVER_JOB)
  async deliver(payload: Record<string, unknown>, ctx: JobContext): Promise<void> {
    const delivery = await this.deliveries.find(String(payload.deliveryId));
    if (!delivery) return;
    const sub = await this.subscriptions.find(delivery.subscriptionId);
    // Deleted or disabled since: nothing is sent, the delivery stays as it was.
    if (!sub || !sub.active) return;
    const final = ctx.attempt >= ctx.maxAttempts;
    const env = this.config.env;
    const refused = await webhookUrlProblem(sub.url, env.WEBHOOK_ALLOW_PRIVATE);
    if (refused) {
      await this.settle(delivery.id, sub.id, {
        ok: false,
        responseStatus: null,
        responseBody: null,
        error: refused,
        ms: 0,
        final: true,
      });
      throw new PermanentJobError(refused);
    }
    const body = JSON.stringify(delivery.payload);
    const at = new Date();
    const signature = new Webhook(sub.secret).sign(delivery.id, at, body);
    const started = Date.now();
    let outcome: AttemptOutcome;
    try {
      const res = await fetch(sub.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'omnichannel-hub-webhooks/1',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(env.WEBHOOK_TIMEOUT_MS),
      });
      const text = (await res.text().catch(() => '')).slice(0, RESPONSE_KEEP);
      const ok = res.status >= 200 && res.status < 300;
      outcome = {
        ok,
        responseStatus: res.status,
        responseBody: text,
        error: ok ? null : `the receiver answered ${res.status}`,
        ms: Date.now() - started,
        final,
      };
    } catch (e) {
      const err = e as Error;
      const why =
        err.name === 'TimeoutError'
          ? `no answer within ${env.WEBHOOK_TIMEOUT_MS} ms`
          : `${err.message}${(err.cause as Error | undefined)?.message ? `: ${(err.cause as Error).message}` : ''}`;
      outcome = {
        ok: false,
        responseStatus: null,
        responseBody: null,
        error: why,
        ms: Date.now() - started,
        final,
      };
    }
    await this.settle(delivery.id, sub.id, outcome);
    if (!outcome.ok) throw new Error(`webhook ${delivery.id} to ${sub.url}: ${outcome.error}`);
  }

  private async settle(deliveryId: string, subscriptionId: string, o: AttemptOutcome) {
    await this.deliveries.recordAttempt(deliveryId, o);
    if (o.ok) return this.subscriptions.succeeded(subscriptionId);
    if (!o.final) return;
    const limit = this.config.env.WEBHOOK_DISABLE_AFTER_FAILURES;
    const disabled = await this.subscriptions.failed(
      subscriptionId,
      limit,
      `${limit} deliveries in a row failed; the last: ${o.error ?? 'unknown'}`,
    );
    if (!disabled) return;
    this.log.warn(`webhook subscription ${subscriptionId} (${disabled.url}) disabled`);
    this.events.emit('webhook.disabled', {
      subscriptionId,
      ownerId: disabled.createdBy,
      url: disabled.url,
      reason: disabled.disabledReason ?? '',
    });
  }
}
