import { Module } from '@nestjs/common';
import { FallbackRepository } from './fallback.repository';
import { FallbackService } from './fallback.service';
import { ConversationsModule } from '../conversations/conversations.module';
import { RoutingModule } from '../routing/routing.module';
import { MessageRenderer } from './message-renderer';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { DeliveryModule } from '../delivery/delivery.module';
import { TemplatesModule } from '../templates/templates.module';

/** Routed outbound messages: POST /messages, GET /messages/:id, POST /routing/preview, and the fallback chain. */
@Module({
  imports: [TemplatesModule, DeliveryModule, RoutingModule, ConversationsModule],
  controllers: [MessagesController],
  providers: [
    MessageRenderer,
    MessagesService,
    MessagesRepository,
    FallbackService,
    FallbackRepository,
  ],
  exports: [MessagesService, MessageRenderer],
})
export class MessagesModule {}
