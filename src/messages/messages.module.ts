import { Module } from '@nestjs/common';
import { FallbackService } from '../delivery/fallback.service';
import { ConversationsModule } from '../conversations/conversations.module';
import { RoutingModule } from '../routing/routing.module';
import { MessageRenderer } from './message-renderer';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { DeliveryModule } from '../delivery/delivery.module';
import { TemplatesModule } from '../templates/templates.module';

/** Routed outbound messages: POST /messages, GET /messages/:id, POST /routing/preview, and the fallback chain. */
@Module({
  imports: [TemplatesModule, DeliveryModule, RoutingModule, ConversationsModule],
  controllers: [MessagesController],
  providers: [MessageRenderer, MessagesService, FallbackService],
  exports: [MessagesService, MessageRenderer],
})
export class MessagesModule {}
