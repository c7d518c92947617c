import { Module } from '@nestjs/common';
import { ChannelStatusController } from './channel-status.controller';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { ChannelsModule } from '../channels/channels.module';
import { CircuitBreakerModule } from '../routing/circuit-breaker';

@Module({
  imports: [CircuitBreakerModule, ChannelsModule],
  controllers: [HealthController, ChannelStatusController],
  providers: [HealthRepository],
})
export class HealthModule {}
