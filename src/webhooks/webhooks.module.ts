import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEventSources } from './webhook-event-sources';
import { WebhookPublisher } from './webhook-publisher';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Outbound webhooks signed per Standard Webhooks, delivered on the 'webhooks' queue. */
@Module({
  imports: [AuditModule],
  controllers: [WebhooksController],
  providers: [
    WebhookSubscriptionsRepository,
    WebhookDeliveriesRepository,
    WebhookPublisher,
    WebhookDispatcher,
    WebhookEventSources,
    WebhooksService,
  ],
})
export class WebhooksModule {}
