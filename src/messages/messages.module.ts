import { Module } from '@nestjs/common';
import { FallbackRepository } from './fallback.repository';
import { FallbackService } from './fallback.service';
import { DigestFlushService } from './digest-flush.service';
import { DigestGatherer } from './digest-gatherer';
import { DigestsRepository } from './digests.repository';
import { ConversationsModule } from '../conversations/conversations.module';
import { RoutingModule } from '../routing/routing.module';
import { MessageRenderer } from './message-renderer';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { DeliveryModule } from '../delivery/delivery.module';
import { TemplatesModule } from '../templates/templates.module';
import { TrackingModule } from '../tracking/tracking.module';

/** Routed outbound messages: POST /messages, GET /messages/:id, POST /routing/preview, the fallback chain and digests. */
@Module({
  imports: [TemplatesModule, DeliveryModule, RoutingModule, ConversationsModule, TrackingModule],
  controllers: [MessagesController],
  providers: [
    MessageRenderer,
    MessagesService,
    MessagesRepository,
    FallbackService,
    FallbackRepository,
    DigestsRepository,
    DigestGatherer,
    DigestFlushService,
  ],
  exports: [MessagesService, MessageRenderer],
})
export class MessagesModule {}
