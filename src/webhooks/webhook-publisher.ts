import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'crypto';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { StagedJob } from '../queue/outbox.repository';
import { JobQueueService } from '../queue/job-queue.service';
import { QUEUES } from '../queue/queue-names';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WEBHOOK_PAYLOAD_VERSION, type WebhookEvent } from './webhook-events';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';

/** A delivery's id, the `webhook-id` receivers dedupe on (Standard Webhooks: msg_...). */
export const newDeliveryId = () => `msg_${randomBytes(16).toString('base64url')}`;

export const DELIVER_JOB = 'deliver';

/**
 * Turns an event into one delivery per active subscription to its type, each with its job, in
 * one transaction: a delivery is never written without the job that sends it.
 */
@Injectable()
export class WebhookPublisher {
  private readonly log = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly queue: JobQueueService,
    private readonly config: AppConfig,
  ) {}

  async publish(event: WebhookEvent): Promise<number> {
    const subs = await this.subscriptions.activeFor(event.type);
    if (subs.length === 0) return 0;
    const body = {
      type: event.type,
      timestamp: event.at.toISOString(),
      version: WEBHOOK_PAYLOAD_VERSION,
      data: event.data,
    };
    const staged = await this.db.transaction(async (tx) => {
      const ids = await this.deliveries.insertMany(
        tx,
        subs.map((s) => ({
          id: newDeliveryId(),
          subscriptionId: s.id,
          eventType: event.type,
          dedupeKey: `${event.type}:${event.dedupeKey}`,
          payload: body,
        })),
      );
      const jobs: StagedJob[] = [];
      for (const id of ids) jobs.push(await this.queue.stage(tx, this.job(id, 'first')));
      return jobs;
    });
    await this.queue.dispatchAll(staged);
    return staged.length;
  }

  /** Sends a delivery again (a replay): a new job, the same webhook-id. */
  async resend(deliveryId: string): Promise<void> {
    await this.queue.enqueue(this.job(deliveryId, `replay:${randomBytes(6).toString('hex')}`));
  }

  private job(deliveryId: string, round: string) {
    return {
      queue: QUEUES.webhooks.name,
      name: DELIVER_JOB,
      payload: { deliveryId },
      dedupeKey: `webhook:${deliveryId}:${round}`,
      maxAttempts: this.config.env.WEBHOOK_MAX_ATTEMPTS,
    };
  }

  /** Publishes without failing the caller: an event's own work is done, its webhooks are extra. */
  publishQuietly(event: WebhookEvent): Promise<void> {
    return this.publish(event).then(
      () => undefined,
      (e: Error) => this.log.error(`webhooks for ${event.type} not written: ${e.message}`),
    );
  }
}
