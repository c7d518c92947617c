import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeliveryService } from './delivery.service';
import { OutboundService } from './outbound.service';
import { InterruptedSends } from './interrupted-sends';
import { SendStore } from './send-store';
import { DeliveryAttempt } from './entities/delivery-attempt.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([DeliveryAttempt])],
  providers: [DeliveryService, OutboundService, SendStore, InterruptedSends],
  exports: [DeliveryService, OutboundService],
})
export class DeliveryModule {}
