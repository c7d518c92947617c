import { Module } from '@nestjs/common';
import { DeliveryAttemptsRepository } from './delivery-attempts.repository';
import { DeliveryService } from './delivery.service';
import { EmailSignaturesRepository } from './email-signatures.repository';
import { EmailThreadsRepository } from './email-threads.repository';
import { OutboundService } from './outbound.service';
import { InterruptedSends } from './interrupted-sends';
import { MessageDeliveryRepository } from './message-delivery.repository';
import { OutboundMessagesRepository } from './outbound-messages.repository';
import { ChannelsModule } from '../channels/channels.module';
import { CircuitBreakerModule } from '../routing/circuit-breaker';
import { ConsentModule } from '../consent/consent.module';

@Module({
  imports: [ConsentModule, CircuitBreakerModule, ChannelsModule],
  providers: [
    DeliveryService,
    OutboundService,
    InterruptedSends,
    OutboundMessagesRepository,
    MessageDeliveryRepository,
    DeliveryAttemptsRepository,
    EmailThreadsRepository,
    EmailSignaturesRepository,
  ],
  // The repositories: status callbacks (TwilioModule) and GET /messages/:id (MessagesModule).
  exports: [
    DeliveryService,
    OutboundService,
    MessageDeliveryRepository,
    DeliveryAttemptsRepository,
    EmailSignaturesRepository,
  ],
})
export class DeliveryModule {}
