import { Module } from '@nestjs/common';
import { DeliveryService } from './delivery.service';
import { EmailThreadsRepository } from './email-threads.repository';
import { OutboundService } from './outbound.service';
import { InterruptedSends } from './interrupted-sends';
import { SendStore } from './send-store';
import { ChannelsModule } from '../channels/channels.module';
import { CircuitBreakerModule } from '../routing/circuit-breaker';
import { ConsentModule } from '../consent/consent.module';

@Module({
  imports: [ConsentModule, CircuitBreakerModule, ChannelsModule],
  providers: [
    DeliveryService,
    OutboundService,
    SendStore,
    InterruptedSends,
    EmailThreadsRepository,
  ],
  exports: [DeliveryService, OutboundService],
})
export class DeliveryModule {}
