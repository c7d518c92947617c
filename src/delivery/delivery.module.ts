import { Module } from '@nestjs/common';
import { DeliveryService } from './delivery.service';
import { OutboundService } from './outbound.service';
import { InterruptedSends } from './interrupted-sends';
import { SendStore } from './send-store';
import { ChannelsModule } from '../channels/channels.module';
import { CircuitBreakerModule } from '../routing/circuit-breaker';
import { ConsentModule } from '../consent/consent.module';

@Module({
  imports: [ConsentModule, CircuitBreakerModule, ChannelsModule],
  providers: [DeliveryService, OutboundService, SendStore, InterruptedSends],
  exports: [DeliveryService, OutboundService],
})
export class DeliveryModule {}
